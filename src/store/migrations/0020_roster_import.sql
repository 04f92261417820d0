-- Rosters from a jail's or prison's management system (ADR 23). What a roster carries that the
-- enrol form does not: the state id number, the cell or bed within the housing unit, words
-- where the projected release date belongs (TBD, LIFE, PENDING COURT), the charges (one per
-- line) and the roster source that keeps the person, so a person missing from that source's
-- next roster is proposed as released. Synced, following the record conventions of schema 1.

ALTER TABLE participants ADD COLUMN state_number TEXT;
ALTER TABLE participants ADD COLUMN cell TEXT;
ALTER TABLE participants ADD COLUMN release_note TEXT;
ALTER TABLE participants ADD COLUMN charges TEXT;
ALTER TABLE participants ADD COLUMN roster_source_id TEXT;
CREATE INDEX participants_roster_source ON participants (roster_source_id, status);

-- A system that sends rosters to one facility, with the mapping its files are read through.
CREATE TABLE roster_sources (
    id          TEXT PRIMARY KEY,
    facility_id TEXT,
    name        TEXT NOT NULL DEFAULT '',
    mapping     TEXT,                      -- JSON: which header holds which field, date formats, century rule
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX roster_sources_facility ON roster_sources (facility_id, deleted);

-- Each roster applied: the file's name and SHA-256, and what it changed.
CREATE TABLE roster_imports (
    id          TEXT PRIMARY KEY,
    source_id   TEXT,
    facility_id TEXT,
    file_name   TEXT,
    digest      TEXT,
    imported_on TEXT,
    people      INTEGER NOT NULL DEFAULT 0,
    enrolled    INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    released    INTEGER NOT NULL DEFAULT 0,
    returned    INTEGER NOT NULL DEFAULT 0,
    refused     INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX roster_imports_source ON roster_imports (source_id, imported_on);
