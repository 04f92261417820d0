-- Bridger schema 1.
--
-- Synced tables (facilities, locations, participants) follow the record conventions: a UUIDv7
-- `id`, a `deleted` tombstone, a clock per field in `field_clocks`, every change in `journal`.
-- They have no FOREIGN KEY constraints between them on purpose: bundles may arrive in any
-- order, so a participant can land before its facility. References are checked by the write
-- path instead.

CREATE TABLE site (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    site_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    hlc_last    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE facilities (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL DEFAULT '',
    code     TEXT NOT NULL DEFAULT '',
    deleted  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE locations (
    id           TEXT PRIMARY KEY,
    facility_id  TEXT,
    kind         TEXT NOT NULL DEFAULT 'unit',
    name         TEXT NOT NULL DEFAULT '',
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_facility ON locations (facility_id, kind, name);

CREATE TABLE participants (
    id               TEXT PRIMARY KEY,
    legal_name       TEXT NOT NULL DEFAULT '',
    preferred_name   TEXT,
    dob              TEXT,
    facility_number  TEXT NOT NULL DEFAULT '',
    facility_id      TEXT,
    unit_id          TEXT,
    admission_date   TEXT,
    release_date     TEXT,
    program          TEXT,
    status           TEXT NOT NULL DEFAULT 'active',
    status_date      TEXT,
    status_note      TEXT,
    language         TEXT,
    notes            TEXT,
    deleted          INTEGER NOT NULL DEFAULT 0,
    -- Derived from legal_name by the store and not synced: the folded name for accent-blind
    -- ordering, and its punctuated words run together ("O'Brien" as "OBrien") for search.
    sort_name        TEXT NOT NULL DEFAULT '',
    name_compact     TEXT NOT NULL DEFAULT ''
);
-- The roster pages through these without touching the rows: by name, and by status then name.
CREATE INDEX participants_roster ON participants (deleted, sort_name, id);
CREATE INDEX participants_roster_status ON participants (deleted, status, sort_name, id);
CREATE INDEX participants_number ON participants (facility_number, facility_id);
CREATE INDEX participants_dob ON participants (dob);
CREATE INDEX participants_release ON participants (release_date);

-- Search over names and numbers: accent- and case-blind, with prefix indexes so that
-- search-as-you-type stays fast from the second letter on.
CREATE VIRTUAL TABLE participants_fts USING fts5 (
    legal_name, preferred_name, facility_number, name_compact,
    content = 'participants', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER participants_fts_insert AFTER INSERT ON participants BEGIN
    INSERT INTO participants_fts (rowid, legal_name, preferred_name, facility_number, name_compact)
    VALUES (new.rowid, new.legal_name, new.preferred_name, new.facility_number, new.name_compact);
END;
CREATE TRIGGER participants_fts_delete AFTER DELETE ON participants BEGIN
    INSERT INTO participants_fts (participants_fts, rowid, legal_name, preferred_name, facility_number, name_compact)
    VALUES ('delete', old.rowid, old.legal_name, old.preferred_name, old.facility_number, old.name_compact);
END;
CREATE TRIGGER participants_fts_update AFTER UPDATE OF legal_name, preferred_name, facility_number, name_compact ON participants BEGIN
    INSERT INTO participants_fts (participants_fts, rowid, legal_name, preferred_name, facility_number, name_compact)
    VALUES ('delete', old.rowid, old.legal_name, old.preferred_name, old.facility_number, old.name_compact);
    INSERT INTO participants_fts (rowid, legal_name, preferred_name, facility_number, name_compact)
    VALUES (new.rowid, new.legal_name, new.preferred_name, new.facility_number, new.name_compact);
END;

-- Site ids are long; the journal and the clocks name a site by a local number instead, and
-- record ids are stored there as their 16 bytes. Together this halves the size of a database.
CREATE TABLE site_numbers (
    site_no  INTEGER PRIMARY KEY,
    site_id  TEXT NOT NULL UNIQUE
);

-- The newest clock of every field of every synced record: what a merge compares against.
CREATE TABLE field_clocks (
    tbl        TEXT NOT NULL,
    record_id  BLOB NOT NULL,
    field      TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    site_no    INTEGER NOT NULL,
    PRIMARY KEY (tbl, record_id, field)
) WITHOUT ROWID;

-- Every field change ever made or received, in the order this site learned of it (seq); the
-- unique index makes applying the same change twice impossible.
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    site_no    INTEGER NOT NULL,
    hlc        INTEGER NOT NULL,
    tbl        TEXT NOT NULL,
    record_id  BLOB NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL
);
CREATE UNIQUE INDEX journal_origin ON journal (site_no, hlc, tbl, record_id, field);

-- Who did what, when, on which workstation. Values are not copied here, only field names.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at_ms      INTEGER NOT NULL,
    site_id    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    tbl        TEXT,
    record_id  TEXT,
    detail     TEXT NOT NULL DEFAULT ''
);
