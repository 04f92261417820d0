-- Groups: the staff directory, group series with their weekly schedule and roster, sessions
-- and attendance. All synced, following the record conventions of schema 1.
--
-- A weekly schedule is a rule, not rows: the week's sessions are computed from it. A session
-- row exists only once something happens to one occurrence (roll call, a move, a cancellation)
-- or for a session added by hand. Its id is derived from the group and the occurrence's date,
-- and an attendance row's from the session and the participant, so two workstations that take
-- the same roll call write the same records and sync merges them field by field.

CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    peer_roles    TEXT NOT NULL DEFAULT '',   -- comma-separated
    facility_id   TEXT,
    has_login     INTEGER NOT NULL DEFAULT 0,
    username      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_facility ON staff (facility_id, name);

CREATE TABLE groups (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL DEFAULT '',
    topic          TEXT,
    support_type   TEXT NOT NULL DEFAULT 'emotional',
    facility_id    TEXT,
    location_id    TEXT,
    weekdays       TEXT NOT NULL DEFAULT '',  -- ISO weekday numbers, Monday 1, comma-separated
    start_time     TEXT NOT NULL DEFAULT '09:00',
    duration_min   INTEGER NOT NULL DEFAULT 60,
    facilitators   TEXT NOT NULL DEFAULT '[]', -- JSON array of staff ids
    capacity       INTEGER,
    open_group     INTEGER NOT NULL DEFAULT 1,
    starts_on      TEXT,
    ends_on        TEXT,
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX groups_facility ON groups (facility_id, deleted);

CREATE TABLE group_members (
    id              TEXT PRIMARY KEY,
    group_id        TEXT,
    participant_id  TEXT,
    joined_on       TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX group_members_group ON group_members (group_id, deleted);
CREATE INDEX group_members_participant ON group_members (participant_id, deleted);

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    group_id           TEXT,
    occurrence         TEXT,   -- the scheduled date it stands for; NULL for an added session
    date               TEXT,
    start_time         TEXT,
    duration_min       INTEGER,
    location_id        TEXT,
    status             TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, held, cancelled
    cancel_reason      TEXT,
    topic_covered      TEXT,
    notes              TEXT,
    facilitator_hours  REAL,
    late_reason        TEXT,
    deleted            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_group ON sessions (group_id, date);
CREATE INDEX sessions_date ON sessions (date);

CREATE TABLE attendance (
    id              TEXT PRIMARY KEY,
    session_id      TEXT,
    participant_id  TEXT,
    mark            TEXT NOT NULL DEFAULT 'absent', -- present, absent, excused, refused
    walk_in         INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attendance_session ON attendance (session_id);
CREATE INDEX attendance_participant ON attendance (participant_id, mark);
