-- Indexes the program report reads a period through, each holding every column its query
-- needs, so a quarter at a large site reads the period's rows from a small index instead of
-- decrypting every page of the tables: who is in scope, the period's contacts and check-ins,
-- and the releases in it.

CREATE INDEX participants_scope ON participants (deleted, facility_id, id);
CREATE INDEX contacts_period ON contacts (deleted, date, participant_id, minutes, kind, intercept, id);
CREATE INDEX checkins_period ON checkins (deleted, date, participant_id, instrument_id, total, id);
CREATE INDEX status_changes_period ON status_changes (status, deleted, date, participant_id);

-- A contact's types of support and recovery dimensions, read for each contact of the period: the
-- index holds the value too, so no row of the table is read.
DROP INDEX contact_supports_contact;
CREATE INDEX contact_supports_contact ON contact_supports (contact_id, deleted, support_type);
DROP INDEX contact_dimensions_contact;
CREATE INDEX contact_dimensions_contact ON contact_dimensions (contact_id, deleted, dimension);
