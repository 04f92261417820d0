-- Who facilitated a session, as roll call found the group's facilitators when it was first
-- taken: a JSON list of staff ids. A group's facilitators change over the months; a peer
-- mentor's record of peer work counts each session for those who led it that day, not for
-- whoever leads the group now. Sessions held before this column are counted by the group's
-- facilitators, as before.

ALTER TABLE sessions ADD COLUMN facilitators TEXT;
