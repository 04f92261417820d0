-- Peer work: one-on-one contacts, check-ins with instruments as data, recovery plans, a
-- person's status changes kept as records, and each participant's peer. All synced, following
-- the record conventions of schema 1.
--
-- A contact's support types and recovery dimensions, and a check-in's answers, are rows with
-- ids derived from their parent and their word (or item), so ticking the same box at two
-- workstations writes one row and un-ticking it is a tombstone like any other.

ALTER TABLE participants ADD COLUMN peer_id TEXT;   -- the staff member whose caseload they are on
CREATE INDEX participants_peer ON participants (peer_id, deleted);

CREATE TABLE contacts (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    staff_id      TEXT,                       -- the peer who gave it (staff directory)
    date          TEXT,
    start_time    TEXT,
    minutes       INTEGER NOT NULL DEFAULT 0, -- billing units are derived, never stored
    setting       TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    intercept     TEXT NOT NULL DEFAULT '',   -- Sequential Intercept Model, 0 to 5
    note          TEXT,
    sensitive     INTEGER NOT NULL DEFAULT 0,
    follow_up_on  TEXT,
    entered_by    TEXT,                       -- the account that wrote it: the note's author
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_participant ON contacts (participant_id, deleted, date);
CREATE INDEX contacts_staff ON contacts (staff_id, deleted, date);

CREATE TABLE contact_supports (
    id            TEXT PRIMARY KEY,
    contact_id    TEXT,
    support_type  TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_supports_contact ON contact_supports (contact_id, deleted);

CREATE TABLE contact_dimensions (
    id            TEXT PRIMARY KEY,
    contact_id    TEXT,
    dimension     TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_dimensions_contact ON contact_dimensions (contact_id, deleted);

-- Instruments a program loaded (the built-in check-in lives in the program, not here). The id
-- is derived from the key and version, so a file loaded at two sites is one record.
CREATE TABLE instruments (
    id            TEXT PRIMARY KEY,
    key           TEXT NOT NULL DEFAULT '',
    definition    TEXT NOT NULL DEFAULT '{}',
    deleted       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE checkins (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    instrument_id TEXT,
    date          TEXT,
    language      TEXT NOT NULL DEFAULT 'en',
    total         INTEGER NOT NULL DEFAULT 0, -- scored by the core from the answers
    staff_id      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX checkins_participant ON checkins (participant_id, deleted, date);

CREATE TABLE checkin_answers (
    id            TEXT PRIMARY KEY,
    checkin_id    TEXT,
    item          TEXT NOT NULL DEFAULT '',
    value         INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX checkin_answers_checkin ON checkin_answers (checkin_id, deleted);

CREATE TABLE recovery_goals (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    goal          TEXT NOT NULL DEFAULT '',   -- in the participant's own words
    dimension     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active',
    review_on     TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_goals_participant ON recovery_goals (participant_id, deleted);

CREATE TABLE recovery_steps (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    goal_id       TEXT,
    step          TEXT NOT NULL DEFAULT '',
    owner         TEXT,
    due_on        TEXT,
    status        TEXT NOT NULL DEFAULT 'to_do',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_steps_participant ON recovery_steps (participant_id, deleted);

-- Who changed what in a recovery plan, and when: written with the change, never edited.
CREATE TABLE recovery_plan_changes (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    at_ms         INTEGER NOT NULL DEFAULT 0,
    by_name       TEXT NOT NULL DEFAULT '',
    what          TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_plan_changes_participant ON recovery_plan_changes (participant_id, deleted, at_ms);

-- Each change of a participant's status, kept as a record for their timeline (the participant
-- row holds only the latest).
CREATE TABLE status_changes (
    id            TEXT PRIMARY KEY,
    participant_id TEXT,
    status        TEXT NOT NULL DEFAULT '',
    date          TEXT,
    note          TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX status_changes_participant ON status_changes (participant_id, deleted);
