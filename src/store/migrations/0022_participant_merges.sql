-- Two records of one person made one (ADR 25). A merge is synced like any record: every site
-- that holds it moves what hangs from the merged record onto the kept one after each import,
-- and one that holds it undone moves back what a merge moved. Synced, following the record
-- conventions of schema 1.

CREATE TABLE participant_merges (
    id          TEXT PRIMARY KEY,
    kept_id     TEXT,
    merged_id   TEXT,
    merged_on   TEXT,
    merged_by   TEXT,
    reason      TEXT,
    seen        TEXT,   -- JSON: for each site, the newest clock of its changes the merging site held
    changes     TEXT,   -- JSON: what the merge filled in or made on the kept record, for undo
    undone_on   TEXT,
    undone_by   TEXT,
    undo_reason TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX participant_merges_kept ON participant_merges (kept_id);
CREATE INDEX participant_merges_merged ON participant_merges (merged_id);

-- One row per record a merge moved from the merged person to the kept one, wherever it was
-- moved: its id is derived from the merge and the record, so sites that move the same record
-- write the same row. Undo moves these back.
CREATE TABLE merge_moves (
    id        TEXT PRIMARY KEY,
    merge_id  TEXT,
    tbl       TEXT,
    record_id TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX merge_moves_merge ON merge_moves (merge_id);
