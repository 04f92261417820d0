-- Reentry: the plan template, each participant's plan (items, appointments, referrals), the
-- community resource directory, 42 CFR Part 2 consents and the accounting of disclosures.
-- All synced, following the record conventions of schema 1.
--
-- The template's default items and a plan's items have ids derived from what they stand for
-- (the template item's key; the participant and the template item), so two workstations that
-- start the same plan write the same records and sync merges them instead of doubling them.

CREATE TABLE plan_template (
    id            TEXT PRIMARY KEY,
    area          TEXT NOT NULL DEFAULT '',   -- one of the plan's areas (model::reentry::Area)
    title         TEXT NOT NULL DEFAULT '',
    due_days      INTEGER NOT NULL DEFAULT 0, -- days before release it should be done (negative: after)
    sort          INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0
);

-- What a plan holds once per person; its id is derived from the participant's.
CREATE TABLE reentry_plans (
    id                      TEXT PRIMARY KEY,
    participant_id          TEXT,
    community_peer          TEXT,
    community_peer_phone    TEXT,
    community_peer_resource_id TEXT,
    supervision_conditions  TEXT,
    first_report_date       TEXT,
    first_report_place      TEXT,
    deleted                 INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reentry_plans_participant ON reentry_plans (participant_id);

CREATE TABLE plan_items (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT,
    template_id     TEXT,
    area            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    due_days        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'open',  -- open, in_progress, done, not_needed
    owner           TEXT,
    due_date        TEXT,
    notes           TEXT,
    sort            INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_items_participant ON plan_items (participant_id, deleted, sort);

CREATE TABLE resources (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT 'provider',
    address       TEXT,
    phone         TEXT,
    contact       TEXT,
    offers        TEXT,
    notes         TEXT,
    site_id       TEXT,                       -- the trusted site it receives hand-off bundles as, if any
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX resources_name ON resources (deleted, name COLLATE NOCASE);

CREATE TABLE appointments (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT,
    area            TEXT NOT NULL DEFAULT '',
    resource_id     TEXT,
    provider        TEXT NOT NULL DEFAULT '',
    address         TEXT,
    phone           TEXT,
    date            TEXT,
    time            TEXT,
    before_release_reason TEXT,               -- required when it falls before the release date
    confirmed       INTEGER NOT NULL DEFAULT 0, -- the person was seen: the community contact is made
    notes           TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointments_participant ON appointments (participant_id, deleted, date);
CREATE INDEX appointments_date ON appointments (deleted, date);

CREATE TABLE referrals (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT,
    resource_id     TEXT,
    area            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'sent', -- sent, accepted, attended, declined
    sent_on         TEXT,
    notes           TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX referrals_participant ON referrals (participant_id, deleted);

CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT,
    resource_id     TEXT,                     -- the recipient, from the directory
    information     TEXT NOT NULL DEFAULT '[]', -- JSON array of the plan areas it covers
    purpose         TEXT NOT NULL DEFAULT '',
    signed_on       TEXT,
    expires_on      TEXT,
    revoked_on      TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consents_participant ON consents (participant_id, deleted);

-- What left the workstation about whom, to whom, under which consent; kept for the accounting
-- of disclosures. A hand-off is closed when the recipient's confirmation is recorded.
CREATE TABLE disclosures (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT,
    consent_id      TEXT,
    resource_id     TEXT,
    what            TEXT NOT NULL DEFAULT '', -- JSON array of the areas disclosed
    how             TEXT NOT NULL DEFAULT '', -- handoff_bundle, packet
    disclosed_ms    INTEGER,
    disclosed_by    TEXT,
    confirmed_on    TEXT,
    confirmed_how   TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX disclosures_participant ON disclosures (participant_id, deleted);
CREATE INDEX disclosures_open ON disclosures (deleted, confirmed_on);
