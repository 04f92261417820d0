-- Program readiness: a program's dated self-assessments against the toolkit's five steps, and
-- the answer to each item, with its note and action item. Synced, following the record
-- conventions of schema 1. An answer's id is derived from its assessment and its item, so the
-- same item answered at two workstations is one record whose fields merge.

CREATE TABLE readiness_assessments (
    id            TEXT PRIMARY KEY,
    facility_id   TEXT,
    date          TEXT,
    title         TEXT,
    entered_by    TEXT,                               -- the account that started it
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX readiness_assessments_facility ON readiness_assessments (facility_id, deleted, date);

CREATE TABLE readiness_answers (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT,
    item          TEXT NOT NULL DEFAULT '',           -- an item id of assets/readiness
    answer        TEXT NOT NULL DEFAULT 'not_yet',    -- in_place, in_progress, not_yet, not_applicable
    note          TEXT,
    action        TEXT,                               -- the action item a gap becomes
    owner         TEXT,
    due_date      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX readiness_answers_assessment ON readiness_answers (assessment_id, deleted);
