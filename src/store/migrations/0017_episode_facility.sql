-- Where a program episode ran. A person transferred out of an RSAT unit ends that episode at the
-- facility they left and starts the next where they arrive, so each facility's report counts its
-- own enrolments, exits and completions, whatever facility holds the person now. Episodes kept
-- before this column have none: they count where the person is held, as they did. Synced.

ALTER TABLE program_episodes ADD COLUMN facility_id TEXT;
CREATE INDEX program_episodes_facility ON program_episodes (facility_id, deleted);
