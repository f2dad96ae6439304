"""Bytes: blank-line runs and gzip bombs (issue 20, 9), damaged gzip, NUL bytes, lone
surrogates, BOMs, UTF-16/32 and mixed encodings (issue 20, 10)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from ..conftest import write
from .corpus import (
    Context,
    Hostile,
    Outcome,
    Writer,
    dated,
    expect,
    gzip_file,
    kind,
    line,
    page,
    paragraphs,
    rejected,
    repeated,
    stored,
    story,
)

# -- issue 20 (9): blank lines, and bombs -------------------------------------------------


def _blank_lines(fmt: str, compress: bool) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        if fmt == "jsonl":
            first = line(text=story(f"{path.name} first"), date="2022-01-05")
            last = line(text=story(f"{path.name} last"), date="2022-01-05")
        else:
            first = f'text,date\n"{story(path.name + " first")}",2022-01-05\n'
            last = f'"{story(path.name + " last")}",2022-01-05\n'
        n = ctx.size.blank_gz if compress else ctx.size.blank_plain
        parts = [first.encode(), *repeated(b"\n", n), last.encode()]
        if compress:
            gzip_file(path, parts)
            return expect(stored(1, W018=1))  # over 200:1 once past the first 16 MB
        with open(path, "wb") as handle:
            handle.writelines(parts)
        return expect(stored(2))

    return writer


kind("bomb-blank-lines.jsonl.gz")(_blank_lines("jsonl", True))
kind("bomb-blank-lines.csv.gz")(_blank_lines("csv", True))
kind("blank-lines.jsonl")(_blank_lines("jsonl", False))


@kind("bomb-zeros.txt.gz")
def _bomb_zeros(path: Path, ctx: Context) -> Hostile:
    gzip_file(path, [b"date 2022-01-05\n", *repeated(b"\0", ctx.size.bomb)])
    return expect(rejected("W018"))


@kind("bomb-letters.txt.gz")
def _bomb_letters(path: Path, ctx: Context) -> Hostile:
    gzip_file(path, [b"date 2022-01-05\n", *repeated(b"a", ctx.size.bomb)])
    return expect(rejected("W018"))


@kind("bomb-one-line.jsonl.gz")
def _bomb_line(path: Path, ctx: Context) -> Hostile:
    gzip_file(path, [b'{"text": "', *repeated(b"a", ctx.size.bomb), b'", "date": "2022-01-05"}\n'])
    return expect(rejected("W018"))


@kind("bomb-gzip-in-gzip.txt.gz")
def _bomb_nested(path: Path, ctx: Context) -> Hostile:
    inner = gzip.compress(b"date 2022-01-05\n" + b"a" * (ctx.size.bomb // 8))
    write(path, gzip.compress(inner))
    return expect(rejected("W002"))  # the inner gzip is binary data, not text


@kind("gzip-two-members.jsonl.gz")
def _gzip_members(path: Path, ctx: Context) -> Hostile:
    write(path, b"".join(gzip.compress(line(text=story(f"member {i}"), date="2022-01-05")
                                       .encode()) for i in (1, 2)))  # fmt: skip
    return expect(stored(2))


@kind("gzip-trailing-garbage.jsonl.gz")
def _gzip_garbage(path: Path, ctx: Context) -> Hostile:
    data = "".join(line(text=story(f"garbage {i}"), date="2022-01-05") for i in range(3))
    write(path, gzip.compress(data.encode()) + b"garbage after the gzip member")
    return expect(stored(3, W009=1))  # what the member held, then the garbage rejected


@kind("gzip-cut-midway.jsonl.gz")
def _gzip_cut(path: Path, ctx: Context) -> Hostile:
    text = "Troops held {} protesters at the Almaty airport on Monday."
    lines = [line(text=text.format(i), date="2022-01-05") for i in range(ctx.size.tiny)]
    data = gzip.compress("".join(lines).encode())
    cut = data[: len(data) * 3 // 5]
    write(path, cut)
    inflated = zlib.decompressobj(31).decompress(cut)
    whole = inflated.count(b"\n")  # the lines that came through entire
    return expect(stored(whole, W009=1))


# -- NUL bytes ---------------------------------------------------------------------------


@kind("nul-utf16-without-bom.txt")
def _nul_utf16(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("utf16 no bom")).encode("utf-16-le"))
    return expect(rejected("W002"))  # NUL every other byte: taken for binary


@kind("nul-stray.txt")
def _nul_stray(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("stray") + "\x00 and on."))
    return expect(stored())  # the NUL is dropped


@kind("nul-flood.txt")
def _nul_flood(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("flood")).encode() + b"\x00" * 10_000)
    return expect(rejected("W002"))


@kind("nul-escaped.jsonl")
def _nul_escaped(path: Path, ctx: Context) -> Hostile:
    write(path, line(text=story("escaped") + "\x00\x00 end", title="a\x00b", date="2022-01-05"))
    return expect(stored())


@kind("nul-raw-in-json.jsonl")
def _nul_raw(path: Path, ctx: Context) -> Hostile:
    write(path, line(text=story("raw nul"), date="2022-01-05").encode().replace(b"Kazakh", b"Ka\0"))
    return expect(rejected("W008"))  # a raw control character inside a JSON string


# -- lone surrogates ---------------------------------------------------------------------


def _escaped(text: str, ext: str = "jsonl") -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        body = f'{{"text": "{story(path.name)} {text}", "date": "2022-01-05"}}'
        write(path, body + "\n" if ext == "jsonl" else body)
        return expect(rejected("W003"))  # the text cannot be stored as UTF-8

    return writer


kind("surrogate-high.jsonl")(_escaped("\\ud800"))
kind("surrogate-low.json")(_escaped("\\udfff", "json"))
kind("surrogate-reversed-pair.jsonl")(_escaped("\\ude00\\ud83d"))


@kind("surrogate-pair.jsonl")
def _pair(path: Path, ctx: Context) -> Hostile:
    write(path, f'{{"text": "{story("pair")} \\ud83d\\ude00", "date": "2022-01-05"}}\n')
    return expect(stored())  # a well-formed pair is one character


@kind("surrogate-in-title.jsonl")
def _surrogate_title(path: Path, ctx: Context) -> Hostile:
    write(path, f'{{"text": "{story("title")}", "title": "a\\udc80b", "date": "2022-01-05"}}\n')
    return expect(stored())  # the title's character is replaced


def _ascii_with(sequence: bytes) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path, dated(story(path.name)).encode() + b" " + sequence + b" end.")
        return expect(
            stored(),
            rejected("W003"),
            why=(
                "ASCII text with one byte sequence that is not UTF-8 cannot be told from a "
                "legacy code page (a lone latin-1 e-acute is such a byte): stored with that "
                "character decoded in the detected code page, or rejected as damaged UTF-8"
            ),
        )

    return writer


kind("utf8-encoded-surrogate.txt")(_ascii_with(b"\xed\xa0\x80"))
kind("utf8-overlong.txt")(_ascii_with(b"\xc0\xaf"))


# -- BOMs, UTF-16/32 and mixed encodings -------------------------------------------------


def _encoded(encoding: str, outcome: Outcome | None = None, tail: bytes = b"") -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        text = dated(story(path.name) + " Café, Алматы.")
        write(path, text.encode(encoding) + tail)  # Python writes the BOM of these codecs
        return expect(outcome or stored())

    return writer


kind("bom-utf8.txt")(_encoded("utf-8-sig"))
kind("bom-utf16-le.txt")(_encoded("utf-16"))
kind("bom-utf32.txt")(_encoded("utf-32"))
kind("bom-utf16-odd-length.txt")(_encoded("utf-16", rejected("W003"), b"x"))


@kind("bom-utf16-be.txt")
def _utf16_be(path: Path, ctx: Context) -> Hostile:
    write(path, b"\xfe\xff" + dated(story("be")).encode("utf-16-be"))
    return expect(stored())


@kind("bom-utf32-be.txt")
def _utf32_be(path: Path, ctx: Context) -> Hostile:
    write(path, b"\x00\x00\xfe\xff" + dated(story("be32")).encode("utf-32-be"))
    return expect(stored())


@kind("bom-utf8.jsonl")
def _bom_jsonl(path: Path, ctx: Context) -> Hostile:
    write(path, b"\xef\xbb\xbf" + line(text=story("bom jsonl"), date="2022-01-05").encode())
    return expect(stored())


@kind("bom-utf8.csv")
def _bom_csv(path: Path, ctx: Context) -> Hostile:
    write(path, b"\xef\xbb\xbf" + f'text,date\n"{story("bom csv")}",2022-01-05\n'.encode())
    return expect(stored())


@kind("bom-inside-text.txt")
def _bom_inside(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("bom inside").replace(" ", " \ufeff")))
    return expect(stored())


@kind("bom-utf16.jsonl")
def _utf16_jsonl(path: Path, ctx: Context) -> Hostile:
    records = "".join(line(text=story(f"u16 {i}"), date="2022-01-05") for i in range(3))
    write(path, records.encode("utf-16"))
    # JSON Lines are read as UTF-8 line by line: the first line fails to decode, the
    # others decode to NUL-strewn text that is not JSON (the last is a lone NUL).
    return expect(Outcome(0, 0, {"W003": 1, "W008": 3}))


@kind("legacy-latin1.txt")
def _latin1(path: Path, ctx: Context) -> Hostile:
    text = (
        "La police a arrêté douze manifestants à Almaty lundi, a déclaré le ministère. "
        "Le président a déclaré que l'ordre était rétabli dans la ville après les émeutes."
    )
    write(path, dated(text).encode("latin-1"))
    return expect(stored())


@kind("legacy-cp1251.txt")
def _cp1251(path: Path, ctx: Context) -> Hostile:
    text = (
        "Полиция Алматы задержала двенадцать протестующих в понедельник, сообщило "
        "министерство внутренних дел. Президент Токаев заявил, что порядок восстановлен."
    )
    write(path, dated(text).encode("cp1251"))
    return expect(stored())


@kind("mixed-utf8-cp1251.txt")
def _mixed(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("mixed") + " Café.\n\n").encode() + "Привет Алматы".encode("cp1251"))
    return expect(stored(), forbidden=("CafĂ",))  # decoded per paragraph (issue 20, 10)


@kind("mixed-undecidable.txt")
def _undecidable(path: Path, ctx: Context) -> Hostile:
    write(path, dated(story("undecidable") + " Café.\n\n").encode() + b"Caf\xc3 au lait\n")
    return expect(rejected("W003"))


@kind("html-charset-lie.html")
def _charset_lie(path: Path, ctx: Context) -> Hostile:
    body = page(paragraphs("charset lie") + "<p>Привет Алматы, сообщила полиция.</p>",
                head='<meta charset="utf-8">')  # fmt: skip
    write(path, body.encode("cp1251"))
    return expect(stored())
