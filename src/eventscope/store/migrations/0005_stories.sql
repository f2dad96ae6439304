-- Schema version 5: one record per real event across its reports. A story is the
-- articles about one happening; within it, the event mentions of its reports that
-- describe one real event form a resolved event; each figure is a point of its story's
-- series; each attributed statement linked to an event is a claim about it. The story
-- stage (resolve/) fills these after each batch is stored (`eventscope resolve` does it
-- for what is left, `--from-scratch` rebuilds them all).

-- Articles stored but in no story yet: what the next run of the stage links, in canonical
-- order. Each write of a batch adds its articles; linking removes them.
CREATE TABLE story_pending (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    published  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX story_pending_order ON story_pending (published, article_id);
INSERT INTO story_pending SELECT id, coalesce(published, '') FROM articles;

-- What the stage compares: resolve.signature.Signature as JSON, one per article.
CREATE TABLE story_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    day        INTEGER,                            -- publication day, proleptic ordinal
    data       TEXT NOT NULL
);

CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    first_day  TEXT,                               -- ISO days of its first and last report
    last_day   TEXT,
    first_ord  INTEGER,                            -- the same as ordinals (the date window)
    last_ord   INTEGER,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_sources  INTEGER NOT NULL DEFAULT 0,
    n_events   INTEGER NOT NULL DEFAULT 0,         -- resolved events
    thin       INTEGER NOT NULL DEFAULT 0,         -- started by a thin article: takes no other
    title      TEXT,
    country    TEXT,                               -- ISO alpha-2 of most of its events
    data       TEXT NOT NULL DEFAULT '{}'          -- summary: latest figures, places, actors
);
CREATE INDEX stories_days ON stories (first_day, last_day);
CREATE INDEX stories_size ON stories (n_articles, first_day);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    score      REAL                                -- its link score; NULL: it began the story
);
CREATE INDEX story_articles_story ON story_articles (story_id);

-- The candidate index: a new article is compared with the stories sharing one of its keys
-- (p: person, g: GeoNames id, t: heavy term), never with every stored article.
-- `last_ord` is its story's last day, so that a lookup reads only the stories of the date
-- window, however many the store holds.
CREATE TABLE story_keys (
    key      TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    last_ord INTEGER,
    PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
CREATE INDEX story_keys_window ON story_keys (key, last_ord);
CREATE INDEX story_keys_story ON story_keys (story_id);

-- A resolved event: named by its first mention (ARTICLE:EVENT); the filterable columns
-- carry the names of the events table's, holding the fused values.
CREATE TABLE resolved_events (
    id         TEXT PRIMARY KEY,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,                      -- its first mention's article and id
    local_id   TEXT NOT NULL,
    type       TEXT NOT NULL,
    mode       TEXT,
    date       TEXT,
    date_start TEXT,
    date_end   TEXT,
    place_name TEXT,                               -- the fused place, as the events' places
    feature    TEXT,
    lat        REAL,
    lon        REAL,
    country    TEXT,
    admin1     TEXT,
    geonameid  INTEGER,
    quad_class INTEGER,
    factual    INTEGER NOT NULL DEFAULT 1,
    confidence REAL NOT NULL,
    n_mentions INTEGER NOT NULL,
    n_articles INTEGER NOT NULL,
    n_sources  INTEGER NOT NULL,
    data       TEXT NOT NULL                       -- fused record, disagreements, figures
);
CREATE INDEX resolved_events_story ON resolved_events (story_id);
CREATE INDEX resolved_events_interval ON resolved_events (date_start, date_end, confidence);
CREATE INDEX resolved_events_type_interval ON resolved_events (type, date_start, date_end);
CREATE INDEX resolved_events_country_interval ON resolved_events (country, date_start, date_end);

CREATE TABLE resolved_mentions (
    article_id  TEXT NOT NULL,
    local_id    TEXT NOT NULL,
    resolved_id TEXT NOT NULL REFERENCES resolved_events (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX resolved_mentions_resolved ON resolved_mentions (resolved_id);

-- Each figure of a story's reports as a point of a series (kind, group), with its status:
-- current, superseded (a later report of the same series replaced it), conflict (another
-- reporter gave another value the same day) or other-incident (an earlier happening's toll).
CREATE TABLE figure_points (
    article_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,                  -- the figure's seq in its article
    story_id    INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    resolved_id TEXT,
    kind        TEXT NOT NULL,
    grp         TEXT NOT NULL DEFAULT '',          -- '' the total, else the subgroup counted
    value       REAL NOT NULL,
    qualifier   TEXT,
    as_of       TEXT,                              -- ISO day the count holds on
    reporter    TEXT,
    status      TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX figure_points_story ON figure_points (story_id, kind, as_of);
CREATE INDEX figure_points_resolved ON figure_points (resolved_id);

-- Who claimed what about a resolved event (or its story): a quote's speaker, stance and text.
CREATE TABLE claims (
    article_id  TEXT NOT NULL,
    quote_seq   INTEGER NOT NULL,
    story_id    INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    resolved_id TEXT,
    speaker     TEXT,
    registry_id INTEGER,
    stance      TEXT NOT NULL,                     -- claims | accuses | denies | confirms
    data        TEXT NOT NULL,
    PRIMARY KEY (article_id, quote_seq)
);
CREATE INDEX claims_story ON claims (story_id);
CREATE INDEX claims_resolved ON claims (resolved_id);
