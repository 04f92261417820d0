-- Transfers between the program's facilities (ADR 24): asked for where the person is held,
-- carried to the receiving site in a bundle, answered there. The person's record moves only
-- when the receiving facility accepts. Synced, following the record conventions of schema 1.

CREATE TABLE transfers (
    id               TEXT PRIMARY KEY,
    participant_id   TEXT,
    from_facility_id TEXT,
    to_facility_id   TEXT,
    requested_on     TEXT,
    requested_by     TEXT,
    reason           TEXT,
    delivered_on     TEXT,   -- the day a receipt showed another site holds the request
    delivered_to     TEXT,   -- that site's name
    answer           TEXT,   -- accepted, declined, cancelled; none while it waits
    answered_on      TEXT,
    answered_by      TEXT,
    answer_note      TEXT,
    deleted          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX transfers_participant ON transfers (participant_id, deleted);
CREATE INDEX transfers_to ON transfers (to_facility_id, answer);
CREATE INDEX transfers_from ON transfers (from_facility_id, answer);
