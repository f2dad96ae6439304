"""Exports of the store's events in the field's formats (`eventscope export`).

- csv, jsonl, parquet: eventscope's own flat event rows (COLUMNS); jsonl keeps lists and
  the evidence sentence as JSON.
- plover: the PLOVER JSON record layout (one JSON object per line), as in the PLOVER
  gold-standard records: id, date, source/target [{actorText, code, sector}], event,
  eventText, mode, context, eventLoc, dead, injured, size, text, language.
- gdelt: the 61 columns of the GDELT 2.0 event table, tab-separated, no header (as GDELT
  ships it); `GDELT_COLUMNS` names them.
- acled: ACLED's column layout (CSV with header), for the events that have an ACLED type.

With `EventFilter(resolved=True)` (the CLI's default) each row is a resolved event, one per
real event across its reports: GDELT's NumMentions / NumSources / NumArticles are its
counts, ACLED's fatalities its share of its story's latest toll (never a sum over
reports), PLOVER records carry its id and its mentions' ids. Mention rows carry the id of
the resolved event they belong to.

What maps to what, and what stays empty, is in `MAPPINGS` (`eventscope export --mappings`,
and the README). Events are read from the store reader in chunks of one query, so a
store of any size exports in bounded memory. The layouts' rows are in `layouts.py`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from eventscope.errors import E003, InputError
from eventscope.store import EventFilter, StoreReader
from eventscope.store.rows import EventRow

from .layouts import ACLED_COLUMNS, GDELT_COLUMNS, Event, acled_row, gdelt_row, plover_record
from .mappings import MAPPINGS, mappings_text

__all__ = ["ACLED_COLUMNS", "COLUMNS", "FORMATS", "GDELT_COLUMNS", "MAPPINGS", "export_events",
           "mappings_text"]  # fmt: skip

FORMATS = ("csv", "jsonl", "parquet", "plover", "gdelt", "acled")

COLUMNS = (
    "ref",
    "article",
    "id",
    "date",
    "date_precision",
    "date_start",  # the date's first and last day (ISO; Arrow date32 in Parquet)
    "date_end",
    "type",
    "mode",
    "cameo",
    "quad_class",
    "intensity",
    "source",
    "source_ids",
    "target",
    "target_ids",
    "place",
    "place_country",
    "admin1",
    "geonameid",
    "lat",
    "lon",
    "modality",
    "trigger",
    "acled_type",
    "acled_subtype",
    "confidence",
    "rule",
    "published",
    "title",
    "url",
    "sentence",
    "resolved_id",  # a mention's resolved event; a resolved event's own id
    "story",  # resolved events: their story, and how many mentions, articles, outlets
    "n_mentions",
    "n_articles",
    "n_sources",
)


def _flat(e: Event) -> dict[str, Any]:
    row = {k: e.get(k) for k in COLUMNS}
    row["sentence"] = (e.get("sentence") or {}).get("text")
    return row


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


def export_events(
    reader: StoreReader,
    fmt: str,
    out: Path | IO[str],
    f: EventFilter | None = None,
    *,
    version: str = "",
    chunk: int = 2000,
) -> int:
    """Write the events matching `f` to `out` in format `fmt`; returns how many."""
    if fmt not in FORMATS:
        raise InputError(E003, f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    f = f or EventFilter()
    chunks = reader.iter_events(f, sort="date", chunk=chunk)
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise InputError(E003, "parquet needs a file path, not a stream")
        return _parquet(chunks, out)
    if isinstance(out, Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return _text(reader, fmt, chunks, handle, version)
    return _text(reader, fmt, chunks, out, version)


def _text(
    reader: StoreReader,
    fmt: str,
    chunks: Iterator[list[EventRow]],
    handle: IO[str],
    version: str,
) -> int:
    n = 0
    writer: Any = None
    if fmt in ("csv", "acled"):
        writer = csv.writer(handle)
        writer.writerow(COLUMNS if fmt == "csv" else ACLED_COLUMNS)
    elif fmt == "gdelt":
        writer = csv.writer(
            handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
    write: Callable[[Event, dict[str, float]], None]
    if fmt == "csv":

        def write(e: Event, _: dict[str, float]) -> None:
            writer.writerow([_csv_value(v) for v in _flat(e).values()])
    elif fmt == "jsonl":

        def write(e: Event, _: dict[str, float]) -> None:
            handle.write(json.dumps(_flat(e), ensure_ascii=False) + "\n")
    elif fmt == "plover":

        def write(e: Event, figures: dict[str, float]) -> None:
            record = plover_record(e, figures, version)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "gdelt":

        def write(e: Event, _: dict[str, float]) -> None:
            writer.writerow([v.replace("\t", " ").replace("\n", " ") for v in gdelt_row(e)])
    else:

        def write(e: Event, figures: dict[str, float]) -> None:
            if e.get("acled_type"):
                writer.writerow(acled_row(e, figures))

    for events in chunks:
        linked = reader.event_figures(events) if fmt in ("plover", "acled") else {}
        for e in events:
            if fmt == "acled" and not e.get("acled_type"):
                continue
            write(e, _figures_of(e, linked))
            n += 1
    return n


def _figures_of(e: Event, linked: dict[tuple[str, str], dict[str, float]]) -> dict[str, float]:
    """The counts a row reports: a resolved event's from its story's figure series (killed:
    its share of the story's toll, so a story's rows add up to the toll); a mention's,
    the largest of its own article's figures linked to it."""
    if e.get("resolved"):
        return {**(e.get("figures") or {}), "killed": float(e.get("fatalities") or 0)}
    return linked.get((e["article"], e["id"]), {})


def _parquet(chunks: Iterator[list[EventRow]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    lists = {"source", "source_ids", "target", "target_ids", "modality"}
    numbers = {
        "story": pa.int64(),
        "n_mentions": pa.int64(),
        "n_articles": pa.int64(),
        "n_sources": pa.int64(),
        "quad_class": pa.int8(),
        "intensity": pa.float64(),
        "geonameid": pa.int64(),
        "lat": pa.float64(),
        "lon": pa.float64(),
        "confidence": pa.float64(),
        "date_start": pa.date32(),
        "date_end": pa.date32(),
    }
    schema = pa.schema(
        [
            (
                c,
                pa.list_(pa.int64() if c.endswith("_ids") else pa.string())
                if c in lists
                else numbers.get(c, pa.string()),
            )
            for c in COLUMNS
        ]
    )
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for events in chunks:
            rows = [_flat(e) for e in events]
            for row in rows:  # Arrow takes days as dates, not as ISO text
                for key in ("date_start", "date_end"):
                    row[key] = date.fromisoformat(row[key]) if row[key] else None
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
