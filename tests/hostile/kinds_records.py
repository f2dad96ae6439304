"""Records: unbounded metadata (issue 20, 2), CSV out of step (issue 20, 4) and other
CSV, JSON that is not what a reader expects, many tiny articles, duplicates."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from ..conftest import write
from .corpus import (
    MB,
    NOTHING,
    Context,
    Hostile,
    Writer,
    dated,
    expect,
    kind,
    line,
    rejected,
    repeated,
    stored,
    story,
)

# -- issue 20 (2): unbounded metadata fields ----------------------------------------------


def _metadata(**fields: object) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, json.dumps({"text": story(path.name), "date": "2022-01-05", **fields}))
        return expect(stored())  # stored with the field cut to its limit (model.FIELD_LIMITS)

    return writer


kind("meta-title-1mb.json")(_metadata(title="Title " * (MB // 6)))
kind("meta-url-1mb.json")(_metadata(url="https://x.example/" + "a" * MB))
kind("meta-source-1mb.json")(_metadata(source="S" * MB))
kind("meta-authors-100k.json")(_metadata(authors=[f"Author {i}" for i in range(100_000)]))
kind("meta-10k-keys.json")(_metadata(**{f"key{i}": "v" * 100 for i in range(10_000)}))
kind("meta-long-key.json")(_metadata(**{"k" * 100_000: "value"}))
kind("meta-title-array.json")(_metadata(title=[["nested", ["deep"]]] * 10_000))


# -- issue 20 (4): CSV out of step after an oversized field -------------------------------

INJECTED = "INJECTED-ROW-7731"


@kind("csv-huge-field.csv")
def _csv_huge_field(path: Path, ctx: Context) -> Hostile:
    filler = b"filler line inside one quoted field, which goes on and on\n"
    fake = f"{story('injected')} {INJECTED},2022-01-05\n".encode()
    with open(path, "wb") as handle:
        handle.write(f'text,date\n"{story("csv first")}",2022-01-05\n"'.encode())
        half = ctx.size.csv_field // 2
        for chunk in repeated(filler, half):
            handle.write(chunk)
        handle.write(fake)
        for chunk in repeated(filler, half):
            handle.write(chunk)
        handle.write(f'",2022-01-05\n"{story("csv last")}",2022-01-06\n'.encode())
    return expect(stored(2, W007=1), forbidden=(INJECTED,))


@kind("csv-long-unquoted-line.csv")
def _csv_long_line(path: Path, ctx: Context) -> Hostile:
    write(path, f'text,date\n"{story("a")}",2022-01-05\n{"x" * ctx.size.long_line},2022-01-05\n'
                f'"{story("b")}",2022-01-05\n')  # fmt: skip
    return expect(stored(2, W007=1))


@kind("csv-semicolons.csv")
def _csv_semicolons(path: Path, ctx: Context) -> Hostile:
    body = story("semicolons").replace(",", "")
    write(path, f'text;date\n"{body}";2022-01-05\n"{body} Two";2022-01-06\n')
    return expect(rejected("W008", 2))  # one column "text;date": no text field


@kind("csv-tabs-named-csv.csv")
def _csv_tabs(path: Path, ctx: Context) -> Hostile:
    body = story("tabs").replace(",", "")
    write(path, f"text\tdate\n{body}\t2022-01-05\n{body} Two\t2022-01-06\n")
    return expect(rejected("W008", 2))


@kind("csv-unclosed-quote.csv")
def _csv_unclosed(path: Path, ctx: Context) -> Hostile:
    write(path, f'text,date\n"{story("q1")}",2022-01-05\n"{story("q2")} open,2022-01-05\n'
                f'"{story("q3")}",2022-01-05\n')  # fmt: skip
    # The open quote runs to the next quote, in every CSV reader: rows 3-4 are one record.
    return expect(stored(2))


@kind("csv-cr-line-ends.csv")
def _csv_cr(path: Path, ctx: Context) -> Hostile:
    write(path, f'text,date\r"{story("cr1")}",2022-01-05\r"{story("cr2")}",2022-01-05\r')
    return expect(stored(2))


@kind("csv-header-only.csv")
def _csv_header_only(path: Path, ctx: Context) -> Hostile:
    write(path, "text,date\n")
    return expect(NOTHING)


@kind("csv-header-over-limit.csv")
def _csv_header_long(path: Path, ctx: Context) -> Hostile:
    write(path, f'text,date,{"c" * ctx.size.long_line}\n"{story("hdr")}",2022-01-05,x\n')
    return expect(rejected("W008"))  # no header: no row can be read


@kind("csv-ragged-rows.csv")
def _csv_ragged(path: Path, ctx: Context) -> Hostile:
    write(path, f'text,date\n"{story("ragged")}",2022-01-05\na,b,c,d\nalone\n')
    return expect(stored(1, W008=2))


@kind("csv-100k-columns.csv")
def _csv_columns(path: Path, ctx: Context) -> Hostile:
    header = ",".join(["text", "date"] + [f"c{i}" for i in range(100_000)])
    write(path, f'{header}\n"{story("columns")}",2022-01-05{",x" * 100_000}\n')
    return expect(stored())


@kind("tsv-quoted-tabs.tsv")
def _tsv(path: Path, ctx: Context) -> Hostile:
    write(path, f'text\tdate\n"{story("tsv")}\twith a tab\nand a line"\t2022-01-05\n')
    return expect(stored())


# -- JSON that is not what a reader expects ----------------------------------------------


@kind("json-duplicate-keys.jsonl")
def _dup_keys(path: Path, ctx: Context) -> Hostile:
    write(path, f'{{"text": "short", "text": "{story("dup keys")}", "date": "2022-01-05"}}\n')
    return expect(stored())  # the last value of a key wins, as in every JSON parser


@kind("json-array-of-scalars.json")
def _scalars(path: Path, ctx: Context) -> Hostile:
    write(path, json.dumps([1, "x", None, True, [1], 2.5]))
    return expect(rejected("W008", 6))


@kind("json-non-object-lines.jsonl")
def _non_objects(path: Path, ctx: Context) -> Hostile:
    last = line(text=story("after scalars"), date="2022-01-05")
    write(path, '1\n"text"\nnull\ntrue\n[]\n' + last)
    return expect(stored(1, W008=5))


@kind("json-empty-array.json")
def _empty_array(path: Path, ctx: Context) -> Hostile:
    write(path, "[]")
    return expect(NOTHING)


@kind("json-top-level-string.json")
def _top_string(path: Path, ctx: Context) -> Hostile:
    write(path, json.dumps(story("top string")))
    return expect(rejected("W008"))


@kind("json-text-not-a-string.jsonl")
def _text_types(path: Path, ctx: Context) -> Hostile:
    write(path, "".join(line(text=t, date="2022-01-05") for t in ({"a": 1}, None, ["a", "b"], 7)))
    return expect(rejected("W008", 4))


@kind("json-nan-in-fields.jsonl")
def _nan_fields(path: Path, ctx: Context) -> Hostile:
    write(path, f'{{"text": "{story("nan fields")}", "date": "2022-01-05", "score": NaN, '
                '"weight": -Infinity, "n": 1e999}\n')  # fmt: skip
    return expect(stored())


# -- many tiny articles and files --------------------------------------------------------


@kind("tiny-articles.jsonl")
def _tiny(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.tiny
    write(path, "".join(line(text=f"Police detained {i} protesters in Almaty on Monday.",
                             date="2022-01-05") for i in range(n)))  # fmt: skip
    return expect(stored(n))


@kind("tiny-too-short.jsonl")
def _too_short(path: Path, ctx: Context) -> Hostile:
    n = ctx.size.tiny * 10
    write(path, "".join(line(text=f"Short {i}.", date="2022-01-05") for i in range(n)))
    return expect(rejected("W015", n))


@kind("tiny-files")
def _tiny_files(path: Path, ctx: Context) -> Hostile:
    for i in range(ctx.size.files):
        write(path / f"{i:06d}.txt", dated(f"Too short {i}."))
    return expect(rejected("W015", ctx.size.files))


# -- duplicates ---------------------------------------------------------------------------

ORIGINAL = dated(story("original"))


@kind("dup-a-original.txt")
def _original(path: Path, ctx: Context) -> Hostile:
    write(path, ORIGINAL)
    return expect(stored())


@kind("dup-b-exact-copy.txt")
def _copy(path: Path, ctx: Context) -> Hostile:
    write(path, ORIGINAL)
    return expect(stored(0, duplicates=1))


@kind("dup-c-case-and-spaces.txt")
def _case_copy(path: Path, ctx: Context) -> Hostile:
    write(path, ORIGINAL.upper().replace("DATE ", "date ").replace(" ", "  \n"))
    return expect(stored(0, duplicates=1))


@kind("dup-d-gzipped-copy.txt.gz")
def _gzip_copy(path: Path, ctx: Context) -> Hostile:
    write(path, gzip.compress(ORIGINAL.encode()))
    return expect(stored(0, duplicates=1))


@kind("dup-within-a-file.jsonl")
def _dup_within(path: Path, ctx: Context) -> Hostile:
    write(path, line(text=story("within"), date="2022-01-05") * 3)
    return expect(stored(1, duplicates=2))
