"""`eventscope export`: the events matching the filters in eventscope's columns or the
field's layouts, and `--mappings`, what each layout's fields hold; `eventscope copy`: a
whole store into another (SQLite file <-> PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

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
    err,
    event_filter,
    fail,
    failing,
    out,
    print_json,
    reading,
)


def _print_mappings(wanted: bool) -> None:
    if wanted:
        from eventscope.export import mappings_text

        sys.stdout.write(mappings_text())
        raise typer.Exit(0)


def export(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="File to write ('-': stdout).")],
    fmt: Annotated[
        str, typer.Option("--format", help="csv, jsonl, parquet, plover, gdelt or acled.")
    ] = "csv",
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
    search: SearchFilter = None,
    min_confidence: ConfidenceFilter = 0.0,
    mentions: MentionsOption = False,
    mappings: Annotated[
        bool,
        typer.Option(
            "--mappings",
            is_eager=True,
            callback=_print_mappings,
            help="Print what each field of the plover, gdelt and acled layouts holds; exit.",
        ),
    ] = False,
) -> None:
    """Export events in eventscope's columns (csv, jsonl, parquet) or the field's layouts
    (PLOVER JSON lines, GDELT 2.0 event table, ACLED columns): one row per resolved event
    (or with --mentions per report's event mention); see the README or --mappings for the
    column mappings."""
    from eventscope import __version__
    from eventscope.export import FORMATS, export_events

    if fmt not in FORMATS:
        fail(InputError(E003, f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}"))
    f = event_filter(kind=kind, mode=mode, since=since, until=until, country=country,
                     admin1=admin1, place=place, actor=actor, role=role,
                     actor_country=actor_country, modality=modality, search=search,
                     min_confidence=min_confidence, resolved=not mentions)  # fmt: skip
    if str(out_path) == "-" and fmt == "parquet":
        fail(InputError(E003, "parquet cannot go to stdout: give a file"))
    with reading(db, ctx) as store:
        try:
            target = sys.stdout if str(out_path) == "-" else out_path
            n = export_events(store, fmt, target, f, version=__version__)
        except OSError as exc:
            fail(InputError(E003, f"cannot write {out_path}: {exc.strerror or exc}"))
    if str(out_path) != "-":
        err.print(f"{n:,} events written to {out_path} ({fmt})", highlight=False)


StoreArgument = Annotated[
    str, typer.Argument(metavar="STORE", help="A SQLite file or a postgresql:// URL.")
]


def copy(src: StoreArgument, dst: StoreArgument, as_json: JsonOption = False) -> None:
    """Copy every record of one store into a new or empty one, between backends (a SQLite
    file and a PostgreSQL database, either way), losslessly."""
    from eventscope.errors import E002, StoreError
    from eventscope.store import open_store
    from eventscope.store.copy import copy_store
    from eventscope.store.pg import is_url

    if not is_url(src) and not Path(src).is_file():
        fail(StoreError(E002, f"no store at {src}", hint="give an existing store to copy"))
    with failing(), open_store(src, readonly=True) as source, open_store(dst) as target:
        counts = copy_store(source, target)
        where = str(target.path)
    if as_json:
        print_json({"source": str(source.path), "destination": where, "rows": counts})
        return
    out.print(f"copied {counts['articles']:,} articles, {counts['events']:,} events and"
              f" {counts['stories']:,} stories ({sum(counts.values()):,} rows) into {where}",
              highlight=False)  # fmt: skip
