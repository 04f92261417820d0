-- The indexes of 0018 led with `deleted`, an equality every query has: with no statistics to go
-- by, SQLite took them for the facility-number check at every enrolment and for a person's own
-- contacts, reading every person at the facility or every contact each time. Led by the period's
-- date (or by id, for who is in scope), they serve the report's ranges and nothing else.

DROP INDEX participants_scope;
CREATE INDEX participants_scope ON participants (id, facility_id, deleted);
DROP INDEX contacts_period;
CREATE INDEX contacts_period ON contacts (date, deleted, participant_id, minutes, kind, intercept, id);
DROP INDEX checkins_period;
CREATE INDEX checkins_period ON checkins (date, deleted, participant_id, instrument_id, total, id);
