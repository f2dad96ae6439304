"""Commands of the story layer: resolve (link what is left, or rebuild all), stories (the
listing) and story (one story: its events on a timeline, figure series, reports, claims)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from eventscope.errors import E003, InputError

from .common import (
    DEFAULT_DB,
    CountryFilter,
    DbOption,
    JsonOption,
    SearchFilter,
    SinceFilter,
    UntilFilter,
    fail,
    failing,
    out,
    parse_day,
    print_json,
    reading,
)


def resolve(
    db: DbOption = DEFAULT_DB,
    from_scratch: Annotated[
        bool, typer.Option("--from-scratch", help="Drop every story and link all articles again.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Link stored articles into stories and rebuild their resolved events, figure series
    and claims (ingest does this as it goes; this takes up what is left)."""
    from eventscope.resolve.run import resolve as run_resolve
    from eventscope.store import open_store

    with failing(), open_store(db) as store:
        summary = run_resolve(store, from_scratch=from_scratch)
        stats = store.stats()
    if as_json:
        print_json({**summary.to_dict(), "stories": stats["stories"],
                    "resolved_events": stats["resolved_events"]})  # fmt: skip
        return
    out.print(
        f"linked {summary.articles} articles ({summary.joined} joined a story, "
        f"{summary.started} began one) in {summary.seconds:.1f} s; the store holds "
        f"{stats['stories']} stories and {stats['resolved_events']} resolved events"
    )


_SORTS = ("articles", "-articles", "date", "-date", "last", "-last", "events", "-events")


def stories(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    search: SearchFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    country: CountryFilter = None,
    min_articles: Annotated[int, typer.Option(min=1, help="Stories of at least N reports.")] = 1,
    sort: Annotated[str, typer.Option(help=f"One of {', '.join(_SORTS)}.")] = "-articles",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stories: the real happenings, with how many reports and outlets covered each."""
    if sort not in _SORTS:
        fail(InputError(E003, f"--sort {sort!r}", hint=f"use one of {', '.join(_SORTS)}"))
    with reading(db, ctx) as store:
        page = store.stories(search=search, since=parse_day(since, "--since"),
                             until=parse_day(until, "--until"), country=country,
                             min_articles=min_articles, sort=sort, limit=limit,
                             offset=offset)  # fmt: skip
    if as_json:
        print_json({"total": page.total, "stories": page.items})
        return
    table = Table("id", "first", "last", "reports", "outlets", "events", "killed", "title",
                  title=f"{page.total} stories")  # fmt: skip
    for s in page.items:
        killed = s["figures"].get("killed")
        table.add_row(str(s["id"]), s["first_day"] or "", s["last_day"] or "",
                      str(s["n_articles"]), str(s["n_sources"]), str(s["n_events"]),
                      "" if killed is None else f"{killed:g}", (s["title"] or "")[:70])  # fmt: skip
    out.print(table)


def story(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="Story id (see eventscope stories).")],
    db: DbOption = DEFAULT_DB,
    events: Annotated[int, typer.Option(min=0, help="Show this many resolved events.")] = 30,
    as_json: JsonOption = False,
) -> None:
    """One story: its resolved events on a timeline, each figure's series with who
    reported what, its reports and the claims made about it."""
    with reading(db, ctx) as store:
        found = store.story(story_id)
    if as_json:
        print_json(found)
        return
    out.print(f"[bold]story {found['id']}[/]: {found['title']}  ({found['first_day']} to "
              f"{found['last_day']}; {found['n_articles']} reports from {found['n_sources']} "
              f"outlets; {found['n_events']} resolved events)")  # fmt: skip
    _figures(found)
    timeline = Table("date", "type", "place", "mentions", "reports", "outlets", "disagree",
                     title="resolved events (most reported first, then by date)")  # fmt: skip
    ranked = sorted(found["events"], key=lambda e: (-e["n_articles"], e.get("date_start") or ""))
    for e in sorted(ranked[:events], key=lambda e: e.get("date_start") or "9999"):
        place = (e.get("place") or {}).get("name") or ""
        disagree = ", ".join(d["field"] for d in e["disagreements"])
        timeline.add_row(e.get("date") or "?", e["type"], place, str(e["n_mentions"]),
                         str(e["n_articles"]), str(e["n_sources"]), disagree)  # fmt: skip
    out.print(timeline)
    claims = Table("stance", "speaker", "claim", "published", title="claims")
    for c in found["claims"]:
        claims.add_row(c["stance"], c["speaker"] or "?", (c["content"] or "")[:80],
                       c["published"] or "")  # fmt: skip
    out.print(claims)
    reports = Table("published", "outlet", "title", "link score", title="reports")
    for r in found["reports"]:
        score = "began it" if r["score"] is None else f"{r['score']:.2f}"
        reports.add_row(r["published"] or "", r["source"] or "", (r["title"] or "")[:70], score)
    out.print(reports)


def _figures(found: dict[str, Any]) -> None:
    title = "figures (latest value of each series; groups are parts, not added)"
    table = Table("kind", "group", "latest", "as of", "according to", "range", "reporters",
                  "conflicts",
                  title=title)  # fmt: skip
    for s in found["series"]:
        latest = s["latest"] or {}
        conflicts = ", ".join(
            f"{c['value']} ({c['reporter'] or c['article_id'][:8]})" for c in s["conflicts"]
        )
        table.add_row(s["kind"], s["group"] or "total", str(latest.get("value", "")),
                      latest.get("as_of") or "", ", ".join(s.get("according_to") or []),
                      f"{s['min']:g}-{s['max']:g}", ", ".join(s["reporters"])[:60],
                      conflicts)  # fmt: skip
    for kind in found.get("derived") or ():  # no report gives it: computed from others
        table.add_row(kind, "total", f"{found['figures'][kind]:g}", "", "derived: shot - killed",
                      "", "", "")  # fmt: skip
    out.print(table)
