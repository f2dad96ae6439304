-- Schema version 2: one actor across the whole store, with every alias seen.
-- actors rows (one per actor per article) point at their registry entry.

CREATE TABLE actor_registry (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,      -- type:country:transliteration key, or country:ISO3
    name            TEXT NOT NULL,
    type            TEXT,
    country         TEXT,
    sector          TEXT,
    aliases         TEXT NOT NULL DEFAULT '[]', -- JSON list of every form seen
    articles        INTEGER NOT NULL DEFAULT 0,
    mentions        INTEGER NOT NULL DEFAULT 0,
    first_published TEXT,
    last_published  TEXT
);
CREATE INDEX actor_registry_name ON actor_registry (name);
CREATE INDEX actor_registry_country ON actor_registry (country, sector);

ALTER TABLE actors ADD COLUMN registry_id INTEGER REFERENCES actor_registry (id);
CREATE INDEX actors_registry ON actors (registry_id);
