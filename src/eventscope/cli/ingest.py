"""Commands that read inputs: ingest (into the store), extract (one input, printed) and
gazetteer (the offline place index)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventscope.errors import E006, InputError
from eventscope.extract.budget import DEFAULT_SECONDS
from eventscope.model import Article, Rejected
from eventscope.sources import read_paths

from .common import (
    DEFAULT_DB,
    DateOption,
    DbOption,
    FieldOption,
    FormatOption,
    JsonOption,
    check_paths,
    chosen_kb,
    err,
    fail,
    failing,
    out,
    print_json,
    read_options,
)

TimeLimitOption = Annotated[
    float,
    typer.Option(
        min=0,
        help="Seconds of extraction one article may take; a slower one is rejected (W019). "
        "0: no limit.",
    ),
]


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), .gz, or -.")],
    db: DbOption = DEFAULT_DB,
    day: DateOption = None,
    fmt: FormatOption = None,
    field: FieldOption = None,
    batch_size: Annotated[int, typer.Option(help="Articles per batch and transaction.")] = 64,
    n_process: Annotated[int, typer.Option(help="spaCy worker processes.")] = 1,
    max_chars: Annotated[int, typer.Option(min=100, help="Reject longer articles.")] = 200_000,
    strict: Annotated[bool, typer.Option(help="Exit 3 if any input was rejected.")] = False,
    time_limit: TimeLimitOption = DEFAULT_SECONDS,
    as_json: JsonOption = False,
) -> None:
    """Read, extract and store articles; report read, stored, duplicates and rejected."""
    from eventscope.pipeline import IngestSummary
    from eventscope.pipeline import ingest as run_ingest
    from eventscope.store import open_store

    check_paths(paths)
    opts = read_options(day, fmt, field, max_chars=max_chars)
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
    with failing(), open_store(db) as store, progress:
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
            kb=chosen_kb(ctx),
            time_limit=time_limit,
        )
    if as_json:
        print_json(summary.to_dict())
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


def extract(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="One input file (any format), or - for stdin.")],
    day: DateOption = None,
    fmt: FormatOption = None,
    field: FieldOption = None,
    time_limit: TimeLimitOption = DEFAULT_SECONDS,
    as_json: JsonOption = False,
) -> None:
    """Run the pipeline on one input without storing; print its records.

    With --json, one article prints one JSON object in the records contract; an input
    holding several articles (JSON Lines, a feed) prints one object per line.
    """
    from eventscope.pipeline import extract_batch

    check_paths([path])
    if path != "-" and Path(path).is_dir():
        fail(InputError(E006, f"{path} is a folder", hint="use `ingest` for folders"))
    opts = read_options(day, fmt, field)
    items = list(read_paths([path], opts))
    for item in items:
        if isinstance(item, Rejected):
            err.print(f"[yellow]rejected[/] {item.input_ref}: {item.code} {item.reason}")
    found = [i for i in items if isinstance(i, Article)]
    if not found:
        fail(InputError(E006, f"no article could be read from {path}"))
    with failing():
        results = extract_batch(found, kb=chosen_kb(ctx), time_limit=time_limit)
    records = [r for r in results if not isinstance(r, Rejected)]
    for failed in (r for r in results if isinstance(r, Rejected)):
        err.print(f"[yellow]rejected[/] {failed.input_ref}: {failed.code} {failed.reason}")
    if not records:
        fail(InputError(E006, f"no article of {path} could be extracted"))
    if as_json:
        if len(items) == 1 and len(records) == 1:
            print_json(records[0].to_dict())
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


def gazetteer(as_json: JsonOption = False) -> None:
    """Build (or rebuild) the offline gazetteer index in the cache folder ($EVENTSCOPE_CACHE)."""
    from eventscope.kb.gazetteer import build_gazetteer

    report = build_gazetteer()
    found = {"path": str(report.path), "places": report.places, "names": report.names,
             "bytes": report.bytes, "seconds": round(report.seconds, 2)}  # fmt: skip
    if as_json:
        print_json(found)
        return
    size, seconds = report.bytes / 1e6, report.seconds
    line = f"{report.path}: {report.places:,} places, {report.names:,} names, {size:.1f} MB"
    out.print(f"{line}, built in {seconds:.1f} s", highlight=False)
