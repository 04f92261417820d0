-- Program episodes: a participant's enrolment in a program (RSAT, a therapeutic community, MOUD
-- continuity, peer mentoring), its phases, its end and outcome. The report counts completions
-- from these. Synced, following the record conventions of schema 1. `participants.program`
-- stays as it was typed before; the screens offer to record it as an episode.

CREATE TABLE program_episodes (
    id             TEXT PRIMARY KEY,
    participant_id TEXT,
    kind           TEXT NOT NULL DEFAULT 'other',   -- rsat, therapeutic_community, moud, peer_mentoring, other
    name           TEXT,                            -- what the program calls itself
    start_date     TEXT,
    end_date       TEXT,
    outcome        TEXT,                            -- completed, released, transferred, discharged, left_voluntarily
    exit_note      TEXT,
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX program_episodes_participant ON program_episodes (participant_id, deleted);
CREATE INDEX program_episodes_dates ON program_episodes (deleted, start_date, end_date);

CREATE TABLE episode_phases (
    id             TEXT PRIMARY KEY,
    episode_id     TEXT,
    date           TEXT,
    phase          TEXT,
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX episode_phases_episode ON episode_phases (episode_id, deleted);
