"""Commands that read the store: articles, show, explain, rejected, actors, actor,
events, info. Each opens the store read-only with `reading` and prints a Rich table or,
with --json, the rows of the Python API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from eventscope.errors import E003, InputError

from .common import (
    DEFAULT_DB,
    ActorCountryFilter,
    ActorFilter,
    Admin1Filter,
    ConfidenceFilter,
    CountryFilter,
    DbOption,
    JsonOption,
    MentionsOption,
    ModalityFilter,
    ModeFilter,
    PlaceFilter,
    RoleFilter,
    SearchFilter,
    SinceFilter,
    TypeFilter,
    UntilFilter,
    event_filter,
    fail,
    failing,
    out,
    parse_day,
    print_json,
    reading,
)


def articles(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Full-text search.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en, ru.")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet or feed name.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first, filtered and searched."""
    from eventscope.query import article_summary

    with reading(db, ctx) as store:
        found = store.articles(search=search, language=language, source=source,
                               since=parse_day(since, "--since"),
                               until=parse_day(until, "--until"), limit=limit,
                               offset=offset)  # fmt: skip
    if as_json:
        print_json([article_summary(a) for a in found])
        return
    table = Table("id", "published", "lang", "source", "title", title=f"{len(found)} articles")
    for a in found:
        title = a.title or a.text[:70].replace("\n", " ") + "…"
        table.add_row(a.id[:12], str(a.published), a.language or "?", a.source or "", title)
    out.print(table)


def show(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="Article id or a unique prefix (6+).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one stored article with its extracted records."""
    with reading(db, ctx) as store:
        records = store.records(article_id)
    if as_json:
        print_json(records)
        return
    a = records["article"]
    out.print(f"[bold]{a['title'] or '(no title)'}[/]", highlight=False)
    out.print(
        f"id {a['id']}  published {a['published']}  language {a['language']}  "
        f"source {a['source'] or '-'}  url {a['url'] or '-'}\nread from {a['input_ref']}",
        highlight=False,
    )
    out.print()
    out.print(a["text"], highlight=False, markup=False)
    out.print()
    counts = ", ".join(f"{len(records[k])} {k}" for k in records if k != "article")
    out.print(f"[dim]records: {counts}[/]")
    for actor in records["actors"]:
        spans = ", ".join(f"{m['text']}@{m['start']}" for m in actor["mentions"])
        out.print(f"  actor {actor['id']} {actor['name']} ({actor['type']}): {spans}")


def explain(
    ctx: typer.Context,
    event: Annotated[
        str,
        typer.Argument(
            help="ARTICLE_ID:EVENT_ID, e.g. 3f2a9c01d4e5:e2 (a unique article prefix of 6+ works)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Why an event was coded so: trigger, rule, arguments, date, place and modality."""
    from eventscope.explain import explain_event

    article_id, sep, event_id = event.rpartition(":")
    if not sep or not article_id or not event_id:
        fail(InputError(E003, f"{event!r} is not ARTICLE_ID:EVENT_ID", hint="e.g. 3f2a9c01d4e5:e2"))
    with reading(db, ctx) as store:
        records = store.records(article_id)
    with failing():
        lines = explain_event(records, event_id)
    if as_json:
        found = next(e for e in records["events"] if e["id"] == event_id)
        print_json({"article": records["article"]["id"], "event": found, "explanation": lines})
        return
    for line in lines:
        out.print(line, highlight=False, markup=False)


def rejected(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    code: Annotated[str | None, typer.Option(help="Only this W code.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    as_json: JsonOption = False,
) -> None:
    """List inputs that were read but not stored, with their reasons."""
    with reading(db, ctx) as store:
        rows = store.rejected(code=code, limit=limit)
    if as_json:
        print_json(list(rows))
        return
    table = Table("code", "input", "reason", "times", title=f"{len(rows)} rejected inputs")
    for r in rows:
        table.add_row(r["code"], r["input_ref"], r["reason"], str(r["times"]))
    out.print(table)


def actors(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Any alias.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector code, e.g. GOV.")] = None,
    kind: Annotated[str | None, typer.Option("--type", help="person, organization...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List actors across all articles (one per real actor, all aliases seen)."""
    with reading(db, ctx) as store:
        found = store.actors(search=search, country=country, sector=sector, type=kind,
                             limit=limit, offset=offset)  # fmt: skip
    if as_json:
        print_json(list(found))
        return
    table = Table("id", "name", "type", "country", "sector", "articles", "aliases",
                  title=f"{len(found)} actors")  # fmt: skip
    for a in found:
        others = ", ".join(x for x in a["aliases"] if x != a["name"])[:60]
        table.add_row(str(a["id"]), a["name"], a["type"] or "", a["country"] or "",
                      a["sector"] or "", str(a["articles"]), others)  # fmt: skip
    out.print(table)


def events(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    kind: TypeFilter = None,
    mode: ModeFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    country: CountryFilter = None,
    admin1: Admin1Filter = None,
    place: PlaceFilter = None,
    actor: ActorFilter = None,
    role: RoleFilter = None,
    actor_country: ActorCountryFilter = None,
    modality: ModalityFilter = None,
    factual: Annotated[
        bool, typer.Option(help="Leave out negated, hypothetical, future, proposed, reported.")
    ] = False,
    search: SearchFilter = None,
    min_confidence: ConfidenceFilter = 0.0,
    article: Annotated[str | None, typer.Option(help="Article id or prefix.")] = None,
    sort: Annotated[
        str, typer.Option(help="date, confidence, type or published; '-' first: descending.")
    ] = "-date",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    mentions: MentionsOption = False,
    as_json: JsonOption = False,
) -> None:
    """List events, latest first: resolved events (one per real event, with how many
    reports and outlets gave it), or with --mentions each report's event (see `explain
    REF`); the filters are those of `export` and of the HTTP API's /events."""
    from eventscope.store.events import SORTS

    if factual and modality not in (None, "factual"):
        fail(InputError(E003, f"--factual and --modality {modality} contradict each other"))
    if sort.lstrip("-+") not in SORTS:
        fail(InputError(E003, f"--sort must be one of {', '.join(SORTS)}, not {sort!r}"))
    f = event_filter(kind=kind, mode=mode, since=since, until=until, country=country,
                     admin1=admin1, place=place, actor=actor, role=role,
                     actor_country=actor_country, modality="factual" if factual else modality,
                     search=search, min_confidence=min_confidence, article=article,
                     resolved=not mentions)  # fmt: skip
    with reading(db, ctx) as store:
        found = store.events(f, sort=sort, limit=limit, offset=offset)
    if as_json:
        print_json(list(found))
        return
    if mentions:
        table = Table("date", "type", "source", "target", "place", "trigger", "flags", "ref",
                      title=f"{len(found)} event mentions")  # fmt: skip
    else:
        table = Table("date", "type", "source", "target", "place", "reports", "ref",
                      title=f"{len(found)} resolved events")  # fmt: skip
    for e in found:
        kind_mode = e["type"] + (f" ({e['mode']})" if e["mode"] else "")
        cells = [e["date"] or "", kind_mode, ", ".join(e["source"])[:40],
                 ", ".join(e["target"])[:40], e["place"] or ""]  # fmt: skip
        if mentions:
            cells += [e["trigger"] or "", ", ".join(e["modality"])]
        else:
            cells.append(f"{e.get('n_articles', 1)} ({e.get('n_sources', 1)} outlets)")
        table.add_row(*cells, e["ref"])
    out.print(table)


def actor(
    ctx: typer.Context,
    actor_id: Annotated[int, typer.Argument(help="Registry id (see `actors`).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """One actor: its coding, every alias seen, and the articles that mention it."""
    with reading(db, ctx) as store:
        found = store.actor(actor_id)
    if as_json:
        print_json(found)
        return
    out.print(f"[bold]{found['name']}[/] ({found['type']}, {found['country'] or '-'}, "
              f"{found['sector'] or '-'})", highlight=False)  # fmt: skip
    out.print("aliases: " + "; ".join(found["aliases"]), highlight=False)
    for seen in found["in_articles"]:
        out.print(f"  {seen['published']} {seen['article'][:12]} {seen['title'] or ''}",
                  highlight=False)  # fmt: skip


def info(ctx: typer.Context, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """What the store holds: counts, date range, languages, rejections, recent runs."""
    with reading(db, ctx) as store:
        stats = store.stats()
        runs = list(store.runs(limit=5))
    if as_json:
        print_json({**stats, "runs": runs})
        return
    table = Table(show_header=False, title=f"store {stats['path']}", title_justify="left")
    for key, value in stats.items():
        if key != "path":
            table.add_row(key, str(value))
    for run in runs:
        c = run["counts"]
        table.add_row(
            f"run {run['id']}",
            f"{run['status']} {run['started_at']}: read {c.get('read', 0)}, stored "
            f"{c.get('stored', 0)}, duplicates {c.get('duplicates', 0)}, rejected "
            f"{c.get('rejected', 0)}",
        )
    out.print(table)
