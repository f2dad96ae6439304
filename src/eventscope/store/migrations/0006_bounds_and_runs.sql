-- Schema version 6: metadata within limits, registry article counts by article, runs
-- that know their process.

-- The metadata fields cut to their limit (model.FIELD_LIMITS), as a JSON list of names;
-- stored articles over a limit are cut after this (store/caps.py).
ALTER TABLE articles ADD COLUMN truncated TEXT NOT NULL DEFAULT '[]';

-- An article naming one registry actor in two actor rows (two surface forms) counted
-- twice: the count is of distinct articles.
UPDATE actor_registry SET articles = (
    SELECT count(DISTINCT x.article_id) FROM actors x WHERE x.registry_id = actor_registry.id
);

-- The process of a run, so that the next run can tell a run whose process is gone
-- (killed, disk full) from one still going: 'interrupted' then.
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN pid INTEGER;
