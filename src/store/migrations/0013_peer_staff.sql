-- Peer staff: a staff directory entry grows into a staff record; each person's credentials and
-- the continuing education that renews them; the supervision log; an incarcerated peer mentor's
-- signed agreement and evaluations. All synced, following the record conventions of schema 1.
--
-- A person's roles and the further facilities they work in, and a session's supervisees and
-- functions, are rows with ids derived from their parent and their word (or staff id), as a
-- contact's support types are: ticking the same box at two workstations writes one row.
-- `staff.peer_roles` stays what the program calls the person ("forensic peer specialist").

ALTER TABLE staff ADD COLUMN employer_kind TEXT NOT NULL DEFAULT 'facility';
ALTER TABLE staff ADD COLUMN employer TEXT;           -- the organisation, for a community employer
ALTER TABLE staff ADD COLUMN start_date TEXT;
ALTER TABLE staff ADD COLUMN phone TEXT;              -- contact details, for community peers
ALTER TABLE staff ADD COLUMN email TEXT;
ALTER TABLE staff ADD COLUMN cadence TEXT NOT NULL DEFAULT 'none';
ALTER TABLE staff ADD COLUMN supervisor_id TEXT;      -- the staff record of their supervisor
ALTER TABLE staff ADD COLUMN agreement_signed_on TEXT;
ALTER TABLE staff ADD COLUMN agreement_covers TEXT;   -- conduct, boundaries, reporting duties
CREATE INDEX staff_supervisor ON staff (supervisor_id, deleted);

CREATE TABLE staff_roles (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT,
    role          TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_roles_staff ON staff_roles (staff_id, deleted);

CREATE TABLE staff_facilities (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT,
    facility_id   TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_facilities_staff ON staff_facilities (staff_id, deleted);
CREATE INDEX staff_facilities_facility ON staff_facilities (facility_id, deleted);

CREATE TABLE credentials (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT,
    kind          TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL DEFAULT '',
    issuer        TEXT NOT NULL DEFAULT '',
    number        TEXT,
    issued_on     TEXT,
    expires_on    TEXT,                               -- none for a certificate that does not expire
    renewal_years INTEGER NOT NULL DEFAULT 0,         -- 0: not renewed by hours
    renewal_hours REAL,
    renewal_ethics_hours REAL,
    entered_by    TEXT,                               -- the account that wrote it
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credentials_staff ON credentials (staff_id, deleted);

CREATE TABLE ce_hours (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT,
    date          TEXT,
    hours         REAL,
    topic         TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    provider      TEXT,
    entered_by    TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ce_hours_staff ON ce_hours (staff_id, deleted, date);

CREATE TABLE supervision (
    id            TEXT PRIMARY KEY,
    supervisor_id TEXT,
    date          TEXT,
    minutes       INTEGER NOT NULL DEFAULT 0,
    setting       TEXT NOT NULL DEFAULT '',
    topics        TEXT,
    follow_ups    TEXT,
    entered_by    TEXT,                               -- the account that wrote it
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_supervisor ON supervision (supervisor_id, deleted, date);

CREATE TABLE supervision_supervisees (
    id            TEXT PRIMARY KEY,
    supervision_id TEXT,
    staff_id      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_supervisees_session ON supervision_supervisees (supervision_id, deleted);
CREATE INDEX supervision_supervisees_staff ON supervision_supervisees (staff_id, deleted);

CREATE TABLE supervision_functions (
    id            TEXT PRIMARY KEY,
    supervision_id TEXT,
    function      TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_functions_session ON supervision_functions (supervision_id, deleted);

CREATE TABLE evaluations (
    id            TEXT PRIMARY KEY,
    staff_id      TEXT,
    date          TEXT,
    evaluator_id  TEXT,                               -- a staff record
    strengths     TEXT,
    growth        TEXT,                               -- what to work on
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_staff ON evaluations (staff_id, deleted, date);
