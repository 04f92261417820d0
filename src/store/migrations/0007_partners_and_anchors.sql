-- Closing holes an account holder could use (ADR 0011, ADR 0013).
--
-- Whether a trusted site is a community partner is this site's own decision, kept with its
-- trust: a partner receives hand-offs only and may write only its confirmations back. It used
-- to follow from a synced directory field, which any site could change.
ALTER TABLE peers ADD COLUMN partner INTEGER NOT NULL DEFAULT 0;
UPDATE peers SET partner = 1 WHERE site_id IN (SELECT site_id FROM resources WHERE site_id IS NOT NULL AND deleted = 0);

-- A consent names the partner site it lets a hand-off go to, fixed when it is signed.
ALTER TABLE consents ADD COLUMN site_id TEXT;

-- Audit chain heads exchanged with other sites: each head of another site's chain this site
-- has seen, each head of this site's chain it has sent to another, and every rewrite found
-- when a chain no longer extends a head that was seen.
CREATE TABLE peer_audit_heads (
    peer_site  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    hash       BLOB NOT NULL,
    seen_ms    INTEGER NOT NULL,
    PRIMARY KEY (peer_site, seq)
) WITHOUT ROWID;

CREATE TABLE audit_heads_sent (
    peer_site  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (peer_site, seq)
) WITHOUT ROWID;

CREATE TABLE audit_warnings (
    id         INTEGER PRIMARY KEY,
    found_ms   INTEGER NOT NULL,
    peer_site  TEXT NOT NULL,
    detail     TEXT NOT NULL
);
