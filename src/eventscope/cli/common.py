"""What the commands share: the consoles, the common options, the event filter options
of `events` and `export`, and one way to open the store, fail and print JSON."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from eventscope.errors import E001, E003, EventscopeError, InputError
from eventscope.sources import FORMATS, ReadOptions, parse_published
from eventscope.sources.base import DEFAULT_FIELDS, check_published

if TYPE_CHECKING:
    from eventscope.kb.knowledge import KnowledgeBase
    from eventscope.store import EventFilter, Store

KB_KEY = "eventscope.kb"  # where the callback leaves the chosen KB in the click context

out = Console()
err = Console(stderr=True)

DEFAULT_DB = "eventscope.db"
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="EVENTSCOPE_DB",
        help="Store: a SQLite file, or a PostgreSQL URL (postgresql://user@host/db).",
        show_default=True,
    ),
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

# The event filter of `events` and `export`: the fields of EventFilter, meaning the same
# as the HTTP API's parameters.
TypeFilter = Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated.")]
ModeFilter = Annotated[str | None, typer.Option(help="PLOVER mode(s).")]
SinceFilter = Annotated[str | None, typer.Option(help="Event on or after (YYYY-MM-DD).")]
UntilFilter = Annotated[str | None, typer.Option(help="Event on or before (YYYY-MM-DD).")]
CountryFilter = Annotated[
    str | None, typer.Option(help="The event place's country (ISO code or name).")
]
Admin1Filter = Annotated[str | None, typer.Option(help="First-level region name.")]
PlaceFilter = Annotated[str | None, typer.Option(help="Place name or GeoNames id.")]
ActorFilter = Annotated[str | None, typer.Option(help="A source or target, by any alias.")]
RoleFilter = Annotated[str | None, typer.Option(help="With --actor: source or target.")]
ActorCountryFilter = Annotated[
    str | None, typer.Option(help="A source's or target's country (ISO code or name).")
]
ModalityFilter = Annotated[
    str | None, typer.Option(help="factual, negated, hypothetical, future, proposed, reported.")
]
SearchFilter = Annotated[str | None, typer.Option(help="Words in the article.")]
MentionsOption = Annotated[
    bool,
    typer.Option(
        "--mentions",
        help="Each report's event mentions instead of resolved events (one per real event).",
    ),
]
ConfidenceFilter = Annotated[float, typer.Option(min=0.0, max=1.0)]


def chosen_kb(ctx: typer.Context) -> KnowledgeBase:
    """The knowledge base `--kb` chose for this command (the shipped one by default)."""
    from eventscope.kb.knowledge import KnowledgeBase

    found = ctx.meta.get(KB_KEY)  # `meta` is shared by the command's and the callback's context
    return found if isinstance(found, KnowledgeBase) else KnowledgeBase()


def fail(exc: EventscopeError) -> NoReturn:
    """Print the error with its code on stderr and exit 1."""
    err.print(f"[bold red]error[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def failing() -> Iterator[None]:
    """Any EventscopeError inside becomes the exit-1 message."""
    try:
        yield
    except EventscopeError as exc:
        fail(exc)


def check_values(ctx: typer.Context) -> None:
    """The exit-1 E003 message for the first option or argument of the running command
    that no query can take: text with a control character or bytes that are not UTF-8
    (SQLite cannot bind it), a whole number beyond SQLite's 64-bit integers."""
    from eventscope.store.filters import number_problem, text_problem

    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, str):
                problem = text_problem(item)
                # bytes of argv that are not UTF-8 (lone surrogates) shown as U+FFFD
                shown = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in item)
            elif isinstance(item, int) and not isinstance(item, bool):
                problem, shown = number_problem(item), str(item)
            else:
                continue
            if problem:
                is_option = param.param_type_name == "option"
                name = param.opts[0] if is_option else (param.name or "").upper()  # as --help
                fail(InputError(E003, f"{name} {shown!r} {problem}"))


@contextmanager
def reading(db: str, ctx: typer.Context) -> Iterator[Store]:
    """The store at `db`, read-only, once the values of the command of `ctx` are checked
    (`check_values`); any EventscopeError inside becomes the exit-1 message."""
    from eventscope.store import open_store

    check_values(ctx)
    with failing(), open_store(db, readonly=True) as store:
        yield store


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(InputError(E003, f"{option} {value!r} is not a date", hint="use YYYY-MM-DD"))


def event_filter(
    *,
    kind: str | None,
    mode: str | None,
    since: str | None,
    until: str | None,
    country: str | None,
    admin1: str | None,
    place: str | None,
    actor: str | None,
    role: str | None,
    actor_country: str | None,
    modality: str | None,
    search: str | None,
    min_confidence: float,
    article: str | None = None,
    resolved: bool = False,
) -> EventFilter:
    """The event filter of the options given (as `eventscope.query.event_filter`), or the
    exit-1 message naming the option that cannot be used."""
    from eventscope.query import event_filter as make_filter
    from eventscope.store.filters import FilterError

    try:  # normalise_filter checks every field (role, modality, countries ...) once
        return make_filter(type=kind, mode=mode, since=parse_day(since, "--since"),
                           until=parse_day(until, "--until"), country=country, admin1=admin1,
                           place=place, actor=actor, role=role, actor_country=actor_country,
                           modality=modality, search=search, min_confidence=min_confidence,
                           article=article, resolved=resolved)  # fmt: skip
    except FilterError as exc:
        fail(InputError(E003, f"--{exc.field.replace('_', '-')}: {exc.message}"))


def read_options(
    day: str | None, fmt: str | None, fields: list[str] | None, **extra: Any
) -> ReadOptions:
    published, precision = None, "day"
    if day:
        try:
            published, precision = parse_published(day)
            check_published(published, ReadOptions())
        except EventscopeError as exc:
            reason = getattr(exc, "reason", str(exc))
            fail(InputError(E003, f"--date {day!r}: {reason}", hint="use YYYY-MM-DD"))
    if fmt and fmt not in FORMATS:
        fail(InputError(E003, f"--format {fmt!r} unknown", hint=f"use one of {FORMATS}"))
    mapping: dict[str, tuple[str, ...]] = {}
    for item in fields or []:
        key, sep, names = item.partition("=")
        known = tuple(DEFAULT_FIELDS)
        if not sep or key.strip() not in known or not names.strip():
            fail(InputError(E003, f"--field {item!r}", hint="write FIELD=COLUMN[,COLUMN]"))
        mapping[key.strip()] = tuple(n.strip() for n in names.split(",") if n.strip())
    return ReadOptions(
        date=published, date_precision=precision, format=fmt, fields=mapping, **extra
    )


def check_paths(paths: list[str]) -> None:
    for name in paths:
        if name != "-" and not os.path.lexists(name):
            fail(InputError(E001, f"no such file or folder: {name}"))
