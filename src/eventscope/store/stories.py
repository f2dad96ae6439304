"""Stories in SQLite: the writes of the story stage (signatures, links, candidate index,
each story's derived records) and the index the linker searches (`resolve.stories`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

import orjson

from eventscope.model import JSON, Article
from eventscope.resolve.signature import Signature
from eventscope.resolve.stories import MAX_COMPARED, WINDOW_DAYS, Linker, StoryState
from eventscope.resolve.story import Member, StoryBuild

from .connection import Connection

_DERIVED = ("resolved_mentions", "figure_points", "claims")
_UNDATED = 1 << 30  # the last_ord of an undated story's keys: found from any day


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode("utf-8")


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


class SqliteStoryIndex:
    """The linker's view of the stored stories, over the writer's connection."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def story_candidates(
        self, keys: Sequence[str], limit: int, day: int | None = None, window: int | None = None
    ) -> list[StoryState]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        active, params = "", []
        if day is not None:  # stories active within the window: (key, last_ord) is indexed
            days = WINDOW_DAYS if window is None else window
            active = " AND k.last_ord >= ? AND (s.first_ord IS NULL OR s.first_ord <= ?)"
            params = [day - days, day + days]
        rows = self.db.execute(
            f"SELECT k.story_id, count(*) AS shared, s.first_ord, s.last_ord, s.n_articles,"
            f" s.thin FROM story_keys k JOIN stories s ON s.id = k.story_id"
            f" WHERE k.key IN ({marks}){active}"
            " GROUP BY k.story_id, s.first_ord, s.last_ord, s.n_articles, s.thin"
            f" ORDER BY shared DESC, k.story_id LIMIT ?",
            [*keys, *params, limit],
        ).fetchall()
        found = []
        for story_id, _shared, first, last, size, thin in rows:
            # the members nearest in time to the article (the latest when it is undated),
            # those `story_score` compares
            near = "abs(coalesce(g.day, ?) - ?)" if day is not None else "-coalesce(g.day, 0)"
            members = [
                Signature.from_dict(orjson.loads(r[0]))
                for r in self.db.execute(
                    "SELECT g.data FROM story_articles m JOIN story_signatures g"
                    " ON g.article_id = m.article_id WHERE m.story_id = ?"
                    f" ORDER BY {near}, m.article_id LIMIT ?",
                    (story_id, *((day, day) if day is not None else ()), MAX_COMPARED),
                )
            ]
            found.append(StoryState(story_id, first, last, members, size, bool(thin)))
        return found

    def key_stories(self, keys: Sequence[str], most: int) -> dict[str, set[int] | None]:
        found: dict[str, set[int] | None] = {key: set() for key in keys}
        for key in keys:  # the (key, last_ord) index: at most `most` + 1 rows read per key
            ids = {
                r[0]
                for r in self.db.execute(
                    "SELECT story_id FROM story_keys WHERE key = ? LIMIT ?", (key, most + 1)
                )
            }
            found[key] = ids if len(ids) <= most else None
        return found

    def next_story_id(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])


def save_signatures(db: Connection, sigs: Iterable[Signature]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO story_signatures VALUES (?, ?, ?)",
        [(s.article_id, s.day, _dumps(s.to_dict())) for s in sigs],
    )


def unresolved_ids(db: Connection, limit: int) -> list[str]:
    """Stored articles in no story yet, in canonical order (published day, then id)."""
    rows = db.execute(
        "SELECT article_id FROM story_pending ORDER BY published, article_id LIMIT ?", (limit,)
    )
    return [r[0] for r in rows]


def stored_signatures(db: Connection, ids: Sequence[str]) -> dict[str, Signature]:
    found: dict[str, Signature] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        rows = db.execute(
            f"SELECT data FROM story_signatures WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for (data,) in rows:
            sig = Signature.from_dict(orjson.loads(data))
            found[sig.article_id] = sig
    return found


def save_links(db: Connection, linker: Linker) -> None:
    """The stories a linker touched or merged, its articles' links and the candidate keys."""
    for gone in linker.merged:
        keep = linker.story_of(gone)
        db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (keep, gone))
        db.execute(
            "INSERT OR IGNORE INTO story_keys SELECT key, ?, last_ord FROM story_keys"
            " WHERE story_id = ?",
            (keep, gone),
        )
        db.execute("DELETE FROM stories WHERE id = ?", (gone,))  # its keys and records go
    for story in linker.touched.values():
        db.execute(
            "INSERT INTO stories (id, first_day, last_day, first_ord, last_ord, n_articles, thin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " first_day = excluded.first_day, last_day = excluded.last_day,"
            " first_ord = excluded.first_ord, last_ord = excluded.last_ord,"
            " n_articles = excluded.n_articles",
            (story.id, _iso(story.first_day), _iso(story.last_day), story.first_day,
             story.last_day, story.size, int(story.thin)),
        )  # fmt: skip
    db.executemany(
        "INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?)",
        [(link.article_id, link.story_id, link.score) for link in linker.final_links()],
    )
    db.executemany(
        "DELETE FROM story_pending WHERE article_id = ?",
        [(link.article_id,) for link in linker.links],
    )
    db.executemany(
        "INSERT OR IGNORE INTO story_keys VALUES (?, ?, NULL)",
        [(key, story_id) for key, ids in linker.new_keys().items() for story_id in ids],
    )
    db.executemany(
        "UPDATE story_keys SET last_ord = ? WHERE story_id = ?",  # undated: always in
        [
            (_UNDATED if story.last_day is None else story.last_day, story.id)
            for story in linker.touched.values()
        ],
    )


def story_members(
    db: Connection,
    story_id: int,
    records: Callable[[str], JSON],
    registry: Callable[[str], dict[str, int]],
    known: Mapping[str, JSON] | None = None,
) -> list[Member]:
    """A story's reports with their records (`known` ones as given, the others read with
    `records`) and their actors' registry ids (`registry`): the reader's own reads."""
    rows = db.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,))
    members = []
    for (aid,) in rows.fetchall():
        given = known.get(aid) if known else None
        members.append(Member(given if given is not None else records(aid), registry(aid)))
    return members


def save_build(db: Connection, build: StoryBuild) -> None:
    """Replace one story's resolved events, figure points and claims."""
    sid = build.story_id
    db.execute(
        "DELETE FROM resolved_mentions WHERE resolved_id IN"
        " (SELECT id FROM resolved_events WHERE story_id = ?)",
        (sid,),
    )
    for table in ("resolved_events", "figure_points", "claims"):
        db.execute(f"DELETE FROM {table} WHERE story_id = ?", (sid,))
    for r in build.resolved:
        place = r.get("place") or {}
        anchor_article, anchor_local = r["id"].split(":", 1)
        db.execute(
            "INSERT INTO resolved_events (id, story_id, article_id, local_id, type, mode, date,"
            " date_start, date_end, place_name, feature, lat, lon, country, admin1, geonameid,"
            " quad_class, factual, confidence, n_mentions, n_articles, n_sources, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["id"], sid, anchor_article, anchor_local, r["type"], r.get("mode"), r.get("date"),
             r.get("date_start"), r.get("date_end"), place.get("name"), place.get("feature"),
             place.get("lat"), place.get("lon"), place.get("country"),
             place.get("admin1"), place.get("geonameid"), r.get("quad_class"),
             int(bool(r.get("factual"))), r["confidence"], r["n_mentions"], r["n_articles"],
             r["n_sources"], _dumps(r)),
        )  # fmt: skip
    db.executemany(
        "INSERT OR REPLACE INTO resolved_mentions VALUES (?, ?, ?)",
        [(*ref.split(":", 1), rid) for ref, rid in build.mentions.items()],
    )
    db.executemany(
        "INSERT OR REPLACE INTO figure_points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.article_id, p.seq, sid, p.resolved_id, p.kind, p.group, p.value, p.qualifier,
          p.as_of, p.reporter, p.status, _dumps(p.to_dict())) for p in build.points],
    )  # fmt: skip
    db.executemany(
        "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(c["article_id"], c["quote_seq"], sid, c["resolved_id"], c["speaker"],
          c["registry_id"], c["stance"], _dumps(c)) for c in build.claims],
    )  # fmt: skip
    s = build.summary
    db.execute(
        "UPDATE stories SET title = ?, country = ?, n_sources = ?, n_events = ?, data = ?"
        " WHERE id = ?",
        (s["title"], s["country"], s["n_sources"], s["n_events"], _dumps(s), sid),
    )


def clear_stories(db: Connection) -> None:
    """Every story and what was derived from it (signatures stay)."""
    for table in (*_DERIVED, "resolved_events", "story_keys", "story_articles", "stories"):
        db.execute(f"DELETE FROM {table}")
    db.execute(
        "INSERT OR IGNORE INTO story_pending SELECT id, coalesce(published, '') FROM articles"
    )


class SqliteStorySession:
    """The story stage's reads and writes inside one write transaction of the store."""

    def __init__(
        self,
        db: Connection,
        records: Callable[[str], JSON],
        registry: Callable[[str], dict[str, int]],
    ) -> None:
        self.db = db
        self._index = SqliteStoryIndex(db)
        self._records = records
        self._registry = registry

    @property
    def index(self) -> SqliteStoryIndex:
        return self._index

    def unresolved_ids(self, limit: int) -> list[str]:
        return unresolved_ids(self.db, limit)

    def signatures(self, ids: Sequence[str]) -> dict[str, Signature]:
        return stored_signatures(self.db, ids)

    def records(self, article_id: str) -> JSON:
        return self._records(article_id)

    def save_signatures(self, sigs: Sequence[Signature]) -> None:
        save_signatures(self.db, sigs)

    def save_links(self, linker: Linker) -> None:
        save_links(self.db, linker)

    def members(self, story_id: int, known: Mapping[str, JSON] | None = None) -> list[Member]:
        return story_members(self.db, story_id, self._records, self._registry, known)

    def save_build(self, build: StoryBuild) -> None:
        save_build(self.db, build)

    def clear(self) -> None:
        clear_stories(self.db)


def add_pending(db: Connection, article: Article) -> None:
    """A newly stored article waits for the story stage."""
    published = article.published.isoformat() if article.published else ""
    db.execute("INSERT OR IGNORE INTO story_pending VALUES (?, ?)", (article.id, published))


__all__ = [
    "SqliteStoryIndex",
    "SqliteStorySession",
    "add_pending",
    "clear_stories",
    "save_build",
    "save_links",
    "save_signatures",
    "stored_signatures",
    "story_members",
    "unresolved_ids",
]
