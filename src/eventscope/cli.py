"""The `eventscope` command: a thin layer over the Python API with Rich output.

Exit codes: 0 success; 1 an eventscope error (message with its E code on stderr);
2 a usage error (unknown option, missing argument); 3 `ingest --strict` rejected some
input; 130 interrupted.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventscope.errors import E001, E003, E006, E008, EventscopeError, InputError
from eventscope.model import Article, Rejected
from eventscope.sources import FORMATS, ReadOptions, parse_published, read_paths
from eventscope.sources.base import DEFAULT_FIELDS, check_published

if TYPE_CHECKING:
    from eventscope.kb.knowledge import KnowledgeBase

app = typer.Typer(
    name="eventscope",
    help="Dated news reports in, a source-cited database of political events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DEFAULT_DB = "eventscope.db"
DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="EVENTSCOPE_DB", help="Store file (SQLite).", show_default=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Publication date (YYYY-MM-DD) for inputs that carry none."),
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help=f"Force the input format: {', '.join(FORMATS)}."),
]
FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Map a record field to input columns, e.g. --field text=body --field "
        "date=pub_date,created (JSON Lines, CSV). Fields: text, title, date, url, "
        "language, source, author.",
    ),
]


def _fail(exc: EventscopeError) -> NoReturn:
    err.print(f"[bold red]error[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _read_options(
    day: str | None, fmt: str | None, fields: list[str] | None, **extra: Any
) -> ReadOptions:
    published, precision = None, "day"
    if day:
        try:
            published, precision = parse_published(day)
            check_published(published, ReadOptions())
        except EventscopeError as exc:
            reason = getattr(exc, "reason", str(exc))
            _fail(InputError(E003, f"--date {day!r}: {reason}", hint="use YYYY-MM-DD"))
    if fmt and fmt not in FORMATS:
        _fail(InputError(E003, f"--format {fmt!r} unknown", hint=f"use one of {FORMATS}"))
    mapping: dict[str, tuple[str, ...]] = {}
    for item in fields or []:
        key, sep, names = item.partition("=")
        known = tuple(DEFAULT_FIELDS)
        if not sep or key.strip() not in known or not names.strip():
            _fail(InputError(E003, f"--field {item!r}", hint="write FIELD=COLUMN[,COLUMN]"))
        mapping[key.strip()] = tuple(n.strip() for n in names.split(",") if n.strip())
    return ReadOptions(
        date=published, date_precision=precision, format=fmt, fields=mapping, **extra
    )


def _check_paths(paths: list[str]) -> None:
    for name in paths:
        if name != "-" and not os.path.lexists(name):
            _fail(InputError(E001, f"no such file or folder: {name}"))


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


_KB = "eventscope.kb"  # where the callback leaves the chosen KB in the click context


@app.callback()
def _main(
    ctx: typer.Context,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log.")] = 0,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            envvar="EVENTSCOPE_KB",
            help="Extra knowledge-base YAML (organizations, people or titles schema), "
            "added to the shipped one; repeatable. Without it, the files of "
            "EVENTSCOPE_KB (separated by ':').",
        ),
    ] = None,
) -> None:
    level = [logging.ERROR, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    from eventscope.kb.knowledge import KnowledgeBase

    missing = [str(p) for p in kb or () if not p.is_file()]
    if missing:
        _fail(InputError(E001, f"no such knowledge-base file: {', '.join(missing)}"))
    # The commands pass it to the pipeline (`_kb(ctx)`); the library never reads the env.
    ctx.meta[_KB] = KnowledgeBase.of(p.resolve() for p in kb or ())


def _kb(ctx: typer.Context) -> KnowledgeBase:
    """The knowledge base `--kb` chose for this command (the shipped one by default)."""
    from eventscope.kb.knowledge import KnowledgeBase

    found = ctx.meta.get(_KB)  # `meta` is shared by the command's and the callback's context
    return found if isinstance(found, KnowledgeBase) else KnowledgeBase()


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), .gz, or -.")],
    db: DbOption = Path(DEFAULT_DB),
    day: DateOption = None,
    fmt: FormatOption = None,
    field: FieldOption = None,
    batch_size: Annotated[int, typer.Option(help="Articles per batch and transaction.")] = 64,
    n_process: Annotated[int, typer.Option(help="spaCy worker processes.")] = 1,
    max_chars: Annotated[int, typer.Option(min=100, help="Reject longer articles.")] = 200_000,
    strict: Annotated[bool, typer.Option(help="Exit 3 if any input was rejected.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read, extract and store articles; report read, stored, duplicates and rejected."""
    from eventscope.pipeline import IngestSummary
    from eventscope.pipeline import ingest as run_ingest
    from eventscope.store import Store

    _check_paths(paths)
    opts = _read_options(day, fmt, field, max_chars=max_chars)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest[/]"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    )
    try:
        with Store(db) as store, progress:
            task = progress.add_task("ingest", total=None, counts="starting")

            def show(s: IngestSummary) -> None:
                counts = f"read {s.read}  stored {s.stored}  dup {s.duplicates}  rej {s.rejected}"
                progress.update(task, counts=counts)

            summary = run_ingest(
                paths,
                store,
                opts=opts,
                batch_size=batch_size,
                n_process=n_process,
                on_batch=show,
                kb=_kb(ctx),
            )
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(summary.to_dict())
    else:
        _print_summary(summary.to_dict())
    if strict and summary.rejected:
        raise typer.Exit(3)


def _print_summary(s: dict[str, Any]) -> None:
    table = Table(title=f"ingest into {s['db']}", show_header=False, title_justify="left")
    rate = s["words"] / s["seconds"] if s["seconds"] else 0.0
    for key in ("read", "stored", "duplicates", "rejected"):
        table.add_row(key, f"{s[key]:,}")
    for code, n in s["rejected_by_code"].items():
        from eventscope.errors import REASONS

        table.add_row(f"  {code}", f"{n:,}  {REASONS.get(code, '')}")
    table.add_row("time", f"{s['seconds']:.1f} s  ({rate:,.0f} words/s)")
    out.print(table)


@app.command()
def articles(
    db: DbOption = Path(DEFAULT_DB),
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
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            found = store.articles(
                search=search,
                language=language,
                source=source,
                since=_day(since, "--since"),
                until=_day(until, "--until"),
                limit=limit,
                offset=offset,
            )
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json([{k: v for k, v in a.to_dict().items() if k != "text"} for a in found])
        return
    table = Table("id", "published", "lang", "source", "title", title=f"{len(found)} articles")
    for a in found:
        title = a.title or a.text[:70].replace("\n", " ") + "…"
        table.add_row(a.id[:12], str(a.published), a.language or "?", a.source or "", title)
    out.print(table)


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(InputError(E003, f"{option} {value!r} is not a date", hint="use YYYY-MM-DD"))


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id or a unique prefix (6+).")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Show one stored article with its extracted records."""
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            records = store.records(article_id)
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(records)
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


@app.command()
def explain(
    event: Annotated[
        str,
        typer.Argument(
            help="ARTICLE_ID:EVENT_ID, e.g. 3f2a9c01d4e5:e2 (a unique article prefix of 6+ works)."
        ),
    ],
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """Why an event was coded so: trigger, rule, arguments, date, place and modality."""
    from eventscope.explain import explain_event
    from eventscope.store import Store

    article_id, sep, event_id = event.rpartition(":")
    if not sep or not article_id or not event_id:
        _fail(
            InputError(E003, f"{event!r} is not ARTICLE_ID:EVENT_ID", hint="e.g. 3f2a9c01d4e5:e2")
        )
    try:
        with Store(db, readonly=True) as store:
            records = store.records(article_id)
        lines = explain_event(records, event_id)
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        found = next(e for e in records["events"] if e["id"] == event_id)
        _print_json({"article": records["article"]["id"], "event": found, "explanation": lines})
        return
    for line in lines:
        out.print(line, highlight=False, markup=False)


@app.command()
def extract(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="One input file (any format), or - for stdin.")],
    day: DateOption = None,
    fmt: FormatOption = None,
    field: FieldOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the pipeline on one input without storing; print its records.

    With --json, one article prints one JSON object in the records contract; an input
    holding several articles (JSON Lines, a feed) prints one object per line.
    """
    from eventscope.pipeline import extract_batch

    _check_paths([path])
    if path != "-" and Path(path).is_dir():
        _fail(InputError(E006, f"{path} is a folder", hint="use `ingest` for folders"))
    opts = _read_options(day, fmt, field)
    items = list(read_paths([path], opts))
    for item in items:
        if isinstance(item, Rejected):
            err.print(f"[yellow]rejected[/] {item.input_ref}: {item.code} {item.reason}")
    found = [i for i in items if isinstance(i, Article)]
    if not found:
        _fail(InputError(E006, f"no article could be read from {path}"))
    try:
        results = extract_batch(found, kb=_kb(ctx))
    except EventscopeError as exc:
        _fail(exc)
    records = [r for r in results if not isinstance(r, Rejected)]
    for failed in (r for r in results if isinstance(r, Rejected)):
        err.print(f"[yellow]rejected[/] {failed.input_ref}: {failed.code} {failed.reason}")
    if not records:
        _fail(InputError(E006, f"no article of {path} could be extracted"))
    if as_json:
        if len(items) == 1 and len(records) == 1:
            _print_json(records[0].to_dict())
        else:
            for r in records:
                sys.stdout.write(r.to_json() + "\n")
        return
    for r in records:
        d = r.to_dict()
        counts = ", ".join(f"{len(d[k])} {k}" for k in d if k != "article")
        out.print(f"[bold]{d['article']['id']}[/] {d['article']['published']} {counts}")
        for actor in d["actors"]:
            out.print(f"  actor {actor['name']} ({actor['type']}), {len(actor['mentions'])}x")


@app.command()
def rejected(
    db: DbOption = Path(DEFAULT_DB),
    code: Annotated[str | None, typer.Option(help="Only this W code.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    as_json: JsonOption = False,
) -> None:
    """List inputs that were read but not stored, with their reasons."""
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            rows = store.rejected(code=code, limit=limit)
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(list(rows))
        return
    table = Table("code", "input", "reason", "times", title=f"{len(rows)} rejected inputs")
    for r in rows:
        table.add_row(r["code"], r["input_ref"], r["reason"], str(r["times"]))
    out.print(table)


@app.command()
def actors(
    db: DbOption = Path(DEFAULT_DB),
    search: Annotated[str | None, typer.Option("--search", "-s", help="Any alias.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector code, e.g. GOV.")] = None,
    kind: Annotated[str | None, typer.Option("--type", help="person, organization...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List actors across all articles (one per real actor, all aliases seen)."""
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            found = store.actors(search=search, country=country, sector=sector, type=kind,
                                 limit=limit, offset=offset)  # fmt: skip
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(list(found))
        return
    table = Table("id", "name", "type", "country", "sector", "articles", "aliases",
                  title=f"{len(found)} actors")  # fmt: skip
    for a in found:
        others = ", ".join(x for x in a["aliases"] if x != a["name"])[:60]
        table.add_row(str(a["id"]), a["name"], a["type"] or "", a["country"] or "",
                      a["sector"] or "", str(a["articles"]), others)  # fmt: skip
    out.print(table)


@app.command()
def events(
    db: DbOption = Path(DEFAULT_DB),
    kind: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. PROTEST.")] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode, e.g. arrest.")] = None,
    since: Annotated[str | None, typer.Option(help="Event on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Event on or before (YYYY-MM-DD).")] = None,
    actor: Annotated[str | None, typer.Option(help="A source or target, by any alias.")] = None,
    role: Annotated[str | None, typer.Option(help="With --actor: source or target.")] = None,
    country: Annotated[str | None, typer.Option(help="An actor's ISO alpha-3 code.")] = None,
    factual: Annotated[
        bool, typer.Option(help="Leave out negated, hypothetical, future, proposed, reported.")
    ] = False,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.0,
    article: Annotated[str | None, typer.Option(help="Article id or prefix.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List coded events across all articles, latest first (see `explain REF`)."""
    from eventscope.store import Store

    if role not in (None, "source", "target"):
        _fail(InputError(E003, f"--role must be source or target, not {role!r}"))
    try:
        with Store(db, readonly=True) as store:
            found = store.events(type=kind, mode=mode, since=_day(since, "--since"),
                                 until=_day(until, "--until"), actor=actor, role=role,
                                 country=country, factual=factual,
                                 min_confidence=min_confidence, article=article, limit=limit,
                                 offset=offset)  # fmt: skip
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(list(found))
        return
    table = Table("date", "type", "source", "target", "place", "trigger", "flags", "ref",
                  title=f"{len(found)} events")  # fmt: skip
    for e in found:
        kind_mode = e["type"] + (f" ({e['mode']})" if e["mode"] else "")
        table.add_row(e["date"] or "", kind_mode, ", ".join(e["source"])[:40],
                      ", ".join(e["target"])[:40], e["place"] or "", e["trigger"] or "",
                      ", ".join(e["modality"]), e["ref"])  # fmt: skip
    out.print(table)


@app.command()
def actor(
    actor_id: Annotated[int, typer.Argument(help="Registry id (see `actors`).")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: JsonOption = False,
) -> None:
    """One actor: its coding, every alias seen, and the articles that mention it."""
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            found = store.actor(actor_id)
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(found)
        return
    out.print(f"[bold]{found['name']}[/] ({found['type']}, {found['country'] or '-'}, "
              f"{found['sector'] or '-'})", highlight=False)  # fmt: skip
    out.print("aliases: " + "; ".join(found["aliases"]), highlight=False)
    for seen in found["in_articles"]:
        out.print(f"  {seen['published']} {seen['article'][:12]} {seen['title'] or ''}",
                  highlight=False)  # fmt: skip


@app.command()
def info(db: DbOption = Path(DEFAULT_DB), as_json: JsonOption = False) -> None:
    """What the store holds: counts, date range, languages, rejections, recent runs."""
    from eventscope.store import Store

    try:
        with Store(db, readonly=True) as store:
            stats = store.stats()
            runs = list(store.runs(limit=5))
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json({**stats, "runs": runs})
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


@app.command("eval")
def eval_(
    task: Annotated[
        str, typer.Argument(help="A task name, or all (see `eventscope eval --help`).")
    ],
    path: Annotated[Path, typer.Argument(help="Gold data: an eval folder, a task folder or file.")],
    as_json: JsonOption = False,
    errors: Annotated[int, typer.Option(help="Print N misses: text, gold, prediction.")] = 0,
    limit: Annotated[int | None, typer.Option(help="Read at most N gold documents.")] = None,
    scorecard: Annotated[
        Path | None, typer.Option(help="With `all`: also write the Markdown scorecard here.")
    ] = None,
) -> None:
    """Score extraction against gold data in its original format.

    Tasks: events-plover, events-cameo, event-classes, geoparse, event-location, dates,
    quotes, figures, clustering, entities; `all` runs every task whose data is present.
    """
    from eventscope.evaluate import run_task, tasks
    from eventscope.evaluate.report import errors_text, scorecard_markdown

    _check_paths([str(path)])
    try:
        if task == "all":
            reports = []
            for name, one in tasks().items():
                err.print(f"[dim]eval {name} ...[/]")
                report = one.run(path, limit, errors)
                if report.counts:
                    reports.append(report)
        else:
            reports = [run_task(task, path, limit=limit, errors=errors)]
    except EventscopeError as exc:
        _fail(exc)
    if not reports or not reports[0].counts:
        _fail(InputError(E008, f"no gold data for {task} under {path}",
                         hint="give the eval folder or the task's own folder"))  # fmt: skip
    command = f"eventscope eval {task} {path}" + (f" --limit {limit}" if limit else "")
    markdown = scorecard_markdown(reports, command=command)
    if scorecard:
        scorecard.parent.mkdir(parents=True, exist_ok=True)
        scorecard.write_text(markdown, encoding="utf-8")
    if as_json:
        _print_json({"data": str(path), "command": command,
                     "tasks": [r.to_dict() for r in reports]})  # fmt: skip
        return
    for report in reports:
        table = Table("metric", "value", title=f"{report.task} ({report.seconds:.0f} s)",
                      title_justify="left")  # fmt: skip
        for name, value in report.metrics.items():
            table.add_row(name, "n/a" if value is None else f"{value:.3f}")
        out.print(table)
        out.print(", ".join(f"{k} {v}" for k, v in report.counts.items()), highlight=False)
        for note in report.notes:
            out.print(f"[dim]{note}[/]", highlight=False)
        if report.errors:
            out.print(errors_text(report), highlight=False, markup=False)


@app.command()
def export(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="File to write ('-': stdout).")],
    fmt: Annotated[
        str, typer.Option("--format", help="csv, jsonl, parquet, plover, gdelt or acled.")
    ] = "csv",
    db: DbOption = Path(DEFAULT_DB),
    kind: Annotated[
        str | None, typer.Option("--type", help="PLOVER type(s), comma-separated.")
    ] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode(s).")] = None,
    since: Annotated[str | None, typer.Option(help="Event on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Event on or before (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, typer.Option(help="The event place's country (ISO code or name).")
    ] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level region name.")] = None,
    place: Annotated[str | None, typer.Option(help="Place name or GeoNames id.")] = None,
    actor: Annotated[str | None, typer.Option(help="A source or target, by any alias.")] = None,
    role: Annotated[str | None, typer.Option(help="With --actor: source or target.")] = None,
    actor_country: Annotated[str | None, typer.Option(help="An actor's country.")] = None,
    modality: Annotated[
        str | None, typer.Option(help="factual, negated, hypothetical, future, proposed, reported.")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Words in the article.")] = None,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.0,
) -> None:
    """Export events in eventscope's columns (csv, jsonl, parquet) or the field's layouts
    (PLOVER JSON lines, GDELT 2.0 event table, ACLED columns); see the README for the
    column mappings."""
    from eventscope import __version__
    from eventscope.export import FORMATS, export_events
    from eventscope.kb.countries import country_index
    from eventscope.store import Store
    from eventscope.store.events import MODALITIES, EventFilter

    if fmt not in FORMATS:
        _fail(InputError(E003, f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}"))
    if role not in (None, "source", "target"):
        _fail(InputError(E003, f"--role must be source or target, not {role!r}"))
    if modality not in (None, "factual", *MODALITIES):
        _fail(InputError(E003, f"--modality must be factual or one of {', '.join(MODALITIES)}"))
    index = country_index()

    def code(value: str | None, option: str, alpha: int) -> str | None:
        if not value:
            return None
        found = index.given(value)
        if found is None:
            _fail(InputError(E003, f"{option}: unknown country {value!r}"))
        return found.iso2 if alpha == 2 else found.iso3

    f = EventFilter(type=kind, mode=mode, since=_day(since, "--since"),
                    until=_day(until, "--until"), country=code(country, "--country", 2),
                    admin1=admin1, place=place, actor=actor, role=role,
                    actor_country=code(actor_country, "--actor-country", 3), modality=modality,
                    search=search, min_confidence=min_confidence)  # fmt: skip
    try:
        with Store(db, readonly=True) as store:
            if str(out_path) == "-":
                if fmt == "parquet":
                    _fail(InputError(E003, "parquet cannot go to stdout: give a file"))
                n = export_events(store.db, fmt, sys.stdout, f, version=__version__)
                return
            n = export_events(store.db, fmt, out_path, f, version=__version__)
    except EventscopeError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(InputError(E003, f"cannot write {out_path}: {exc.strerror or exc}"))
    err.print(f"{n:,} events written to {out_path} ({fmt})", highlight=False)


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="EVENTSCOPE_TOKEN", help="Every request must carry it (Bearer)."),
    ] = None,
    stats_cache: Annotated[
        int, typer.Option(min=0, help="/stats answers kept until the store changes (0: none).")
    ] = 64,
) -> None:
    """Serve the HTTP API (docs at /docs) and the dashboard from one process."""
    from eventscope.errors import E002, E009, StoreError

    if not _loopback(host) and not token:
        _fail(InputError(E009, f"refusing to serve on {host} without a token: anyone who can"
                         " reach it could read the store",
                         hint="give --token or EVENTSCOPE_TOKEN, or bind 127.0.0.1"))  # fmt: skip
    if not db.is_file():
        _fail(StoreError(E002, f"no store at {db}", hint="ingest something first"))
    import uvicorn

    from eventscope.api import Limits, create_app
    from eventscope.api.assets import missing_assets

    try:
        web = create_app(db, token=token, limits=Limits(stats_cache=stats_cache))
    except EventscopeError as exc:
        _fail(exc)
    missing = missing_assets()
    if missing:
        err.print(
            f"[yellow]warning:[/] the dashboard's libraries are not installed"
            f" ({len(missing)} missing): run `make setup`; the API works",
            highlight=False,
        )
    shown = f"[{host}]" if ":" in host else host
    out.print(f"eventscope: serving {db} at http://{shown}:{port}/ (API docs at /docs)"
              + ("; token required" if token else ""), highlight=False)  # fmt: skip
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def bench(
    corpus: Annotated[
        Path | None, typer.Argument(help="Any input ingest reads (default: the sample corpus).")
    ] = None,
    rounds: Annotated[int, typer.Option(min=1, help="Alternating rounds of each.")] = 3,
    batch_size: Annotated[int, typer.Option(min=1)] = 64,
    n_process: Annotated[int, typer.Option(min=1, help="spaCy worker processes.")] = 1,
    limit: Annotated[int | None, typer.Option(min=1, help="Use the first N articles.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Throughput and peak memory of the full pipeline against the bare spaCy parse."""
    from eventscope.bench import bench as run_bench

    if corpus is not None:
        _check_paths([str(corpus)])
    try:
        report = run_bench(
            corpus, rounds=rounds, batch_size=batch_size, n_process=n_process, limit=limit
        )
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(report.to_dict())
        return
    table = Table("", "bare spaCy parse", "full pipeline", title_justify="left",
                  title=f"{report.articles} articles, {report.words:,} words, "
                  f"{report.rounds} rounds, batch {report.batch_size}, "
                  f"{report.n_process} process(es): {report.corpus}")  # fmt: skip
    for key, label in (
        ("words_per_s", "words/s"),
        ("articles_per_s", "articles/s"),
        ("seconds_median", "seconds (median)"),
        ("peak_rss_mb", "peak RSS MB"),
        ("load_seconds", "loading s (not timed)"),
    ):
        table.add_row(label, f"{report.bare[key]:,.1f}", f"{report.full[key]:,.1f}")
    table.add_row("ratio full/bare", "", f"{report.ratio:.3f}")
    out.print(table)
    shares = Table("step", "seconds", "share", title="full pipeline by step", title_justify="left")
    for step, share in sorted(report.stages.items(), key=lambda kv: -kv[1]):
        shares.add_row(step, f"{report.stage_seconds[step]:.3f}", f"{share:.1%}")
    out.print(shares)
    loading = Table("part", "seconds", title="full pipeline loading (not timed)",
                    title_justify="left")  # fmt: skip
    for part, seconds in report.loading.items():
        loading.add_row(part.replace("_", " "), f"{seconds:.3f}")
    out.print(loading)


@app.command("bench-api")
def bench_api(
    events: Annotated[int, typer.Option(min=1, help="Events in the generated store.")] = 100_000,
    requests: Annotated[int, typer.Option(min=1, help="Requests per URL.")] = 200,
    concurrency: Annotated[int, typer.Option(min=1, help="Concurrent clients.")] = 4,
    source: Annotated[
        Path | None, typer.Option(help="Store to copy (default: the sample corpus, ingested).")
    ] = None,
    keep: Annotated[Path | None, typer.Option(help="Keep the generated store here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """API latency (p50/p95/p99) on a generated store of N events, loaded with ab."""
    from eventscope.bench_api import bench_api as run

    try:
        report = run(events=events, requests=requests, concurrency=concurrency,
                     source=source, keep=keep)  # fmt: skip
    except EventscopeError as exc:
        _fail(exc)
    if as_json:
        _print_json(report.to_dict())
        return
    table = Table("URL", "p50 ms", "p95 ms", "p99 ms", "max ms", title_justify="left",
                  title=f"{report.events:,} events in {report.articles:,} articles (built in"
                  f" {report.build_seconds} s); {report.requests} requests per URL,"
                  f" {report.concurrency} concurrent, on loopback")  # fmt: skip
    for url, ms in report.latency_ms.items():
        table.add_row(url, *(f"{ms[k]:.0f}" for k in ("p50", "p95", "p99", "max")))
    out.print(table)


@app.command()
def gazetteer(as_json: JsonOption = False) -> None:
    """Build (or rebuild) the offline gazetteer index in the cache folder ($EVENTSCOPE_CACHE)."""
    from eventscope.kb.gazetteer import build_gazetteer

    report = build_gazetteer()
    found = {"path": str(report.path), "places": report.places, "names": report.names,
             "bytes": report.bytes, "seconds": round(report.seconds, 2)}  # fmt: skip
    if as_json:
        _print_json(found)
        return
    size, seconds = report.bytes / 1e6, report.seconds
    line = f"{report.path}: {report.places:,} places, {report.names:,} names, {size:.1f} MB"
    out.print(f"{line}, built in {seconds:.1f} s", highlight=False)


def main() -> None:
    """Entry point of the `eventscope` script (Typer exits 130 on Ctrl-C)."""
    app()
