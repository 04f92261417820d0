-- Sync by bundle files. Each journal entry keeps the signature of the site that wrote it, so a
-- site passing on another's changes cannot alter them, and the clock of the value it replaced,
-- so an importer can tell an edit made on top of its own value from a concurrent one. Per
-- peer, what it is known to hold; and the values that lost a concurrent edit, kept for review.

ALTER TABLE journal ADD COLUMN sig BLOB;
ALTER TABLE journal ADD COLUMN prev_hlc INTEGER;
ALTER TABLE journal ADD COLUMN prev_site_no INTEGER;

CREATE TABLE peer_frontier (
    peer_site    TEXT NOT NULL,
    origin_site  TEXT NOT NULL,
    hlc          INTEGER NOT NULL,
    PRIMARY KEY (peer_site, origin_site)
) WITHOUT ROWID;

CREATE TABLE conflicts (
    id            INTEGER PRIMARY KEY,
    tbl           TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    winner_value  TEXT NOT NULL,
    winner_site   TEXT NOT NULL,
    winner_hlc    INTEGER NOT NULL,
    loser_value   TEXT NOT NULL,
    loser_site    TEXT NOT NULL,
    loser_hlc     INTEGER NOT NULL,
    found_ms      INTEGER NOT NULL,
    resolved_ms   INTEGER
);
CREATE INDEX conflicts_open ON conflicts (resolved_ms, tbl, record_id);
