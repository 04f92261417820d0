-- Storage that costs less per change (ADR 0018). An import of a million changes spent most of
-- its time writing three B-trees per change: the journal, its index by origin and clock, and a
-- field clock. Now it writes one per change and one per record.
--
-- The journal is kept in the order of its index by origin and clock (which every reader of it
-- uses: frontiers, segments, duplicates), so the index and the row are one. The order in which
-- this site learned of its entries (seq) was used by nothing but tests.
CREATE TABLE journal_by_origin (
    site_no       INTEGER NOT NULL,
    hlc           INTEGER NOT NULL,
    tbl           TEXT NOT NULL,
    record_id     BLOB NOT NULL,
    field         TEXT NOT NULL,
    value         TEXT NOT NULL,
    sig           BLOB,
    prev_hlc      INTEGER,
    prev_site_no  INTEGER,
    PRIMARY KEY (site_no, hlc, tbl, record_id, field)
) WITHOUT ROWID;

INSERT INTO journal_by_origin (site_no, hlc, tbl, record_id, field, value, sig, prev_hlc, prev_site_no)
    SELECT site_no, hlc, tbl, record_id, field, value, sig, prev_hlc, prev_site_no FROM journal;
DROP TABLE journal;
ALTER TABLE journal_by_origin RENAME TO journal;
CREATE INDEX journal_signed_alone ON journal (site_no, hlc) WHERE sig IS NOT NULL;

-- Field clocks are kept per record: one row holds the clock of each of the record's fields and
-- the site that wrote its value. Each field still has its own clock; a record's changes are
-- merged together, its clocks read once and written once. Bridger writes them packed (postcard,
-- see store/write.rs); here they are moved as a JSON object of field name to [hlc, site_no],
-- which Bridger reads until the record next changes.
CREATE TABLE record_clocks (
    tbl        TEXT NOT NULL,
    record_id  BLOB NOT NULL,
    clocks     BLOB NOT NULL,
    PRIMARY KEY (tbl, record_id)
) WITHOUT ROWID;

INSERT INTO record_clocks (tbl, record_id, clocks)
    SELECT tbl, record_id, json_group_object(field, json_array(hlc, site_no))
    FROM field_clocks GROUP BY tbl, record_id;
DROP TABLE field_clocks;
