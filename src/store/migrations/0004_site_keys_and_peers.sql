-- This site's keys for sync bundles, and the sites it trusts. Both local: keys never leave the
-- encrypted database, and trust is each site's own decision.

CREATE TABLE site_keys (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    age_identity  TEXT NOT NULL,   -- the X25519 secret key, age's own text form
    signing_key   BLOB NOT NULL    -- the ed25519 secret key's 32 bytes
);

CREATE TABLE peers (
    site_id        TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    age_recipient  TEXT NOT NULL,
    verify_key     BLOB NOT NULL,
    fingerprint    TEXT NOT NULL,
    added_ms       INTEGER NOT NULL,
    added_by       TEXT NOT NULL
);
