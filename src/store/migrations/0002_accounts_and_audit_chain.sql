-- Accounts, settings and the hash-chained audit trail. Accounts and settings belong to this
-- workstation's database and never travel in bundles: an account is only usable with its key
-- slot, which lives in the key file beside this database.

CREATE TABLE accounts (
    id                    TEXT PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL,
    roles                 TEXT NOT NULL,            -- comma-separated role names
    facilities            TEXT NOT NULL DEFAULT '*', -- '*' or a JSON array of facility ids
    active                INTEGER NOT NULL DEFAULT 1,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    created_ms            INTEGER NOT NULL,
    updated_ms            INTEGER NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Each entry's hash covers the previous entry's hash and its own content, so changing, removing
-- or reordering an entry breaks the chain where it happened. The site row keeps the newest
-- hash, so removing entries from the end is seen too.
ALTER TABLE audit_log ADD COLUMN workstation TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN prev_hash BLOB;
ALTER TABLE audit_log ADD COLUMN hash BLOB;
ALTER TABLE site ADD COLUMN audit_head_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site ADD COLUMN audit_head_hash BLOB;

CREATE INDEX audit_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_by_record ON audit_log (record_id, seq);
CREATE INDEX audit_by_time ON audit_log (at_ms);
