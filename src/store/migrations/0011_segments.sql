-- Signed segments (ADR 0017): a site signs a run of its own changes once, every change of its
-- clocked from first_hlc to last_hlc, rather than each change alone. A site keeps each segment it
-- signed or received whole, so it can pass the run on whole with the one signature. The changes
-- themselves stay in the journal; journal.sig is kept for changes signed alone (format 1, and
-- hand-offs to community partners).
CREATE TABLE segments (
    site_no    INTEGER NOT NULL,
    first_hlc  INTEGER NOT NULL,
    last_hlc   INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    sig        BLOB NOT NULL,
    PRIMARY KEY (site_no, first_hlc, last_hlc)
) WITHOUT ROWID;

-- The changes a site may pass on alone, found without reading every change of their writer.
CREATE INDEX journal_signed_alone ON journal (site_no, hlc) WHERE sig IS NOT NULL;
