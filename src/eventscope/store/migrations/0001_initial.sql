-- eventscope store, schema version 1: articles, their extracted records, rejections, runs.
-- Offsets (char_start, char_end) are character offsets into articles.text.

CREATE TABLE articles (
    id                  TEXT PRIMARY KEY,          -- hash of the normalised text
    published           TEXT,                      -- ISO date
    published_precision TEXT NOT NULL DEFAULT 'day',
    language            TEXT,
    title               TEXT,
    source              TEXT,
    url                 TEXT,
    author              TEXT,
    input_ref           TEXT,
    ingested_at         TEXT NOT NULL,
    n_words             INTEGER NOT NULL,
    meta                TEXT NOT NULL DEFAULT '{}', -- JSON object
    text                TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_language ON articles (language);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

-- Each record table keeps the queryable fields as columns and the whole record, in the
-- JSON contract of `eventscope extract --json`, in `data`. Ids are local to the article.
CREATE TABLE actors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    local_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT,
    country    TEXT,
    sector     TEXT,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX actors_name ON actors (name);

CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    local_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    geonameid  INTEGER,
    feature    TEXT,
    country    TEXT,
    admin1     TEXT,
    lat        REAL,
    lon        REAL,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX places_geonameid ON places (geonameid);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                      -- actor | place
    local_id   TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX mentions_article ON mentions (article_id, kind, local_id);

CREATE TABLE dates (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    value      TEXT,
    precision  TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE events (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    local_id   TEXT NOT NULL,
    type       TEXT NOT NULL,
    mode       TEXT,
    cameo      TEXT,
    date       TEXT,
    place_id   TEXT,
    confidence REAL NOT NULL,
    rule       TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX events_type_date ON events (type, date);
CREATE INDEX events_date ON events (date);

CREATE TABLE event_actors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id   TEXT NOT NULL,
    role       TEXT NOT NULL,                      -- source | target
    actor_id   TEXT NOT NULL
);
CREATE INDEX event_actors_actor ON event_actors (article_id, actor_id);

CREATE TABLE figures (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    value      REAL NOT NULL,
    qualifier  TEXT NOT NULL,
    as_of      TEXT,
    event_id   TEXT,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX figures_kind ON figures (kind, as_of);

CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    speaker_id TEXT,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);

-- Inputs read but not stored. One row per (input, reason); a re-run bumps `times`.
CREATE TABLE rejected (
    id         INTEGER PRIMARY KEY,
    input_ref  TEXT NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (input_ref, code)
);

-- One row per ingest command; a run killed midway stays 'running' with its last counts.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,                     -- running | done | failed
    inputs      TEXT NOT NULL,                     -- JSON list of paths
    counts      TEXT NOT NULL DEFAULT '{}'         -- JSON: read, stored, duplicates, rejected
);
