-- Schema version 3: the event fields the API and dashboard filter and group on, kept as
-- indexed columns (they are also in `data`), so a page of a million events needs no JSON.

ALTER TABLE events ADD COLUMN quad_class INTEGER;
ALTER TABLE events ADD COLUMN factual INTEGER NOT NULL DEFAULT 1;  -- no modality at all
ALTER TABLE events ADD COLUMN country TEXT;                        -- ISO alpha-2 of the place
ALTER TABLE events ADD COLUMN admin1 TEXT;
ALTER TABLE events ADD COLUMN geonameid INTEGER;

UPDATE events SET
    quad_class = json_extract(data, '$.quad_class'),
    factual = coalesce(json_array_length(json_extract(data, '$.modality')), 0) = 0;
UPDATE events SET (country, admin1, geonameid) = (
    SELECT p.country, p.admin1, p.geonameid FROM places p
    WHERE p.article_id = events.article_id AND p.local_id = events.place_id
) WHERE place_id IS NOT NULL;

CREATE INDEX events_date_confidence ON events (date, confidence);
CREATE INDEX events_country_date ON events (country, date);
CREATE INDEX events_geonameid ON events (geonameid);
CREATE INDEX events_quad_date ON events (quad_class, date);

-- The registry actor of each event role, for actor filters and source -> target pairs.
ALTER TABLE event_actors ADD COLUMN registry_id INTEGER;
UPDATE event_actors SET registry_id = (
    SELECT x.registry_id FROM actors x
    WHERE x.article_id = event_actors.article_id AND x.local_id = event_actors.actor_id
);
CREATE INDEX event_actors_event ON event_actors (article_id, event_id, role);
CREATE INDEX event_actors_registry ON event_actors (registry_id, role);

-- The day a figure counts as of: its own date when it names a day, else its article's.
ALTER TABLE figures ADD COLUMN day TEXT;
UPDATE figures SET day = coalesce(
    CASE WHEN length(as_of) = 10 THEN as_of END,
    (SELECT published FROM articles WHERE id = figures.article_id)
);
CREATE INDEX figures_event ON figures (article_id, event_id);
CREATE INDEX figures_day ON figures (day, kind, value);
CREATE INDEX quotes_speaker ON quotes (article_id, speaker_id);
