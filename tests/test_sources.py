"""Every reader on small inputs written here: text, JSON Lines, JSON, CSV/TSV, HTML,
RSS/Atom, folders, .gz and standard input; encodings and normalisation."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from eventscope.errors import W004, W005, InputRejected
from eventscope.model import Article, Rejected
from eventscope.sources import ReadOptions, parse_published, read_paths, read_stdin
from eventscope.sources.decode import decode_bytes, normalise_text
from eventscope.sources.html import fragment_to_text

from .conftest import REPORT, write

OPTS = ReadOptions(now=datetime(2026, 1, 1, tzinfo=UTC))


def read(*paths: Path, opts: ReadOptions = OPTS) -> list[Article | Rejected]:
    return list(read_paths([str(p) for p in paths], opts))


def only_article(items: list[Article | Rejected]) -> Article:
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    return items[0]


# -- plain text ---------------------------------------------------------------------------


def test_text_with_date_header_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"date 2022-01-05\nGovernment resigns\n\n{REPORT}\n")
    article = only_article(read(path))
    assert article.published == date(2022, 1, 5)
    assert article.title == "Government resigns"
    assert article.text.startswith("Government resigns\n\nKazakh President")
    assert article.input_ref == str(path)


def test_text_date_header_sharing_the_first_line(tmp_path: Path) -> None:
    # As in the team's reference article: " date 2022-01-10 During the meeting ..."
    path = write(tmp_path / "a.txt", f" date 2022-01-10 {REPORT}")
    article = only_article(read(path))
    assert article.published == date(2022, 1, 10)
    assert article.text == REPORT
    assert article.title is None


def test_text_without_header_takes_the_given_date(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", REPORT)
    rejected = read(path)[0]
    assert isinstance(rejected, Rejected) and rejected.code == W004
    assert "--date" in rejected.reason
    article = only_article(read(path, opts=ReadOptions(date=date(2022, 1, 6))))
    assert article.published == date(2022, 1, 6)


def test_header_date_wins_over_given_date(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"date 2022-01-05\n{REPORT}")
    assert only_article(read(path, opts=ReadOptions(date=date(2022, 1, 9)))).published == date(
        2022, 1, 5
    )


# -- encodings and normalisation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("Алматы".encode("utf-8-sig"), "Алматы"),
        ("Алматы".encode("utf-16"), "Алматы"),
        ("Протесты в Алматы и Жанаозене продолжаются".encode("cp1251"), "Протесты"),
        ("«ТАСС» сообщает о протестах в Алматы и Жанаозене".encode("cp1251"), "«ТАСС»"),
        ("Almatí, Nursultán".encode("latin-1"), "Almatí"),
    ],
)
def test_decode_detects_boms_and_legacy_encodings(encoded: bytes, expected: str) -> None:
    text, _encoding = decode_bytes(encoded)
    assert expected in text
    assert "\ufeff" not in text


def test_normalise_text_newlines_nfc_controls() -> None:
    raw = "\ufeffAlmati\u0301\r\nline two\rline three\x07  \n\n"
    assert normalise_text(raw) == "Almatí\nline two\nline three"


def test_spans_point_into_the_stored_text(tmp_path: Path) -> None:
    # CRLF and decomposed accents in the file: offsets refer to the normalised text.
    raw = f"date 2022-01-10\r\nProtests in Almati\u0301.\r\n\r\n{REPORT}\r\n"
    article = only_article(read(write(tmp_path / "a.txt", raw.encode("utf-8"))))
    start = article.text.index("Almatí")
    assert article.text[start : start + 6] == "Almatí"
    assert "\r" not in article.text


def test_cp1251_russian_file(tmp_path: Path) -> None:
    body = "date 2022-01-06\nВ Алматы продолжаются протесты, сообщают местные СМИ. " * 3
    article = only_article(read(write(tmp_path / "ru.txt", body.encode("cp1251"))))
    assert "Алматы" in article.text


# -- JSON Lines, JSON, CSV ----------------------------------------------------------------


def test_jsonl_news_please_fields(tmp_path: Path) -> None:
    record = {
        "title": "Protests spread",
        "maintext": REPORT,
        "date_publish": "2022-01-05 14:20:00",
        "url": "https://wire.example/1",
        "source_domain": "wire.example",
        "language": "en",
        "authors": ["A. Writer", "B. Writer"],
        "extra": 7,
    }
    path = write(tmp_path / "a.jsonl", json.dumps(record) + "\n")
    article = only_article(read(path))
    assert (article.title, article.url, article.source) == (
        "Protests spread",
        "https://wire.example/1",
        "wire.example",
    )
    assert article.author == "A. Writer, B. Writer"
    assert article.published == date(2022, 1, 5)
    assert article.language == "en"
    assert article.meta == {"extra": "7"}
    assert article.input_ref == f"{path}:1"


def test_jsonl_field_mapping(tmp_path: Path) -> None:
    line = json.dumps({"body": REPORT, "when": "2022-01-07", "head": "H"})
    opts = ReadOptions(fields={"text": ("body",), "date": ("when",), "title": ("head",)})
    article = only_article(read(write(tmp_path / "a.jsonl", line), opts=opts))
    assert (article.published, article.title) == (date(2022, 1, 7), "H")


def test_json_array_file(tmp_path: Path) -> None:
    docs = [{"text": REPORT, "date": "2022-01-05"}, {"text": REPORT + " More.", "date": "2022"}]
    items = read(write(tmp_path / "a.json", json.dumps(docs)))
    assert [type(i) for i in items] == [Article, Article]
    assert items[1].published_precision == "year"  # type: ignore[union-attr]


def test_csv_and_tsv(tmp_path: Path) -> None:
    csv_text = f'title,text,published\n"Resigns","{REPORT}",2022-01-05\n'
    tsv_text = f"title\ttext\tpublished\nResigns\t{REPORT}\t2022-01-05\n"
    csv_article = only_article(read(write(tmp_path / "a.csv", csv_text)))
    tsv_article = only_article(read(write(tmp_path / "a.tsv", tsv_text)))
    assert csv_article.text == tsv_article.text == REPORT
    assert csv_article.input_ref == f"{tmp_path / 'a.csv'}:2"


def test_csv_in_a_legacy_encoding_with_multiline_cell(tmp_path: Path) -> None:
    text = 'text,date\n"Протесты в Алматы.\n\nВторой абзац о протестах и задержаниях.",2022-01-06\n'
    article = only_article(read(write(tmp_path / "a.csv", text.encode("cp1251"))))
    assert article.text.startswith("Протесты в Алматы.\n\nВторой")


# -- published dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022-01-05", date(2022, 1, 5), "day"),
        ("2022-01-07T09:30:00+06:00", date(2022, 1, 7), "day"),
        ("2022-01-05 14:20:00", date(2022, 1, 5), "day"),
        ("Sat, 08 Jan 2022 10:15:00 +0600", date(2022, 1, 8), "day"),
        ("2022-01", date(2022, 1, 1), "month"),
        ("2022", date(2022, 1, 1), "year"),
        ("January 9, 2022", date(2022, 1, 9), "day"),
        (1641772800, date(2022, 1, 10), "day"),
    ],
)
def test_parse_published(value: object, expected: date, precision: str) -> None:
    assert parse_published(value) == (expected, precision)


@pytest.mark.parametrize(
    "value", ["the day after the storm", "yesterday", "2 hours ago", "0000", "2022-13", "9" * 200]
)
def test_parse_published_rejects_nonsense_and_relative_dates(value: str) -> None:
    with pytest.raises(InputRejected) as info:
        parse_published(value)
    assert info.value.code == W005


def test_parse_published_reads_dotted_dates_day_first() -> None:
    assert parse_published("10.01.2022") == (date(2022, 1, 10), "day")


# -- HTML and feeds ------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Unrest | Steppe Daily</title>
<meta property="article:published_time" content="2022-01-07T09:30:00+06:00">
<meta name="author" content="Aigerim Writer"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Troops arrive in Almaty</h1>
<p>The first troops of the Collective Security Treaty Organization landed near Almaty on
Thursday, officials said, as the government tried to restore order after days of unrest.</p>
<p>President Kassym-Jomart Tokayev said the mission would be temporary and limited in time,
according to a statement published by his press service.</p></article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Fuel prices rise</a></li></ul></aside>
<footer>Copyright 2022 Steppe Daily. All rights reserved.</footer></body></html>"""


def test_html_main_text_title_date_author(tmp_path: Path) -> None:
    article = only_article(read(write(tmp_path / "page.html", PAGE)))
    assert article.published == date(2022, 1, 7)
    assert article.author == "Aigerim Writer"
    assert article.title and "Troops arrive" in article.title
    assert article.text.startswith("The first troops")
    assert "\n\nPresident Kassym-Jomart Tokayev" in article.text
    assert "Copyright" not in article.text and "Sport" not in article.text


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Regional Wire</title><link>https://regional.example/</link><description>d</description>
<item><title>Airport retaken</title><link>https://regional.example/1</link><guid>r-1</guid>
<pubDate>Fri, 07 Jan 2022 10:15:00 +0600</pubDate><description>short</description>
<content:encoded><![CDATA[<p>Security forces regained control of Almaty airport on
Friday, the Interior Ministry said.</p><p>Flights remained suspended.</p>]]></content:encoded>
</item>
<item><title>Masimov detained</title><link>https://regional.example/2</link><guid>r-2</guid>
<pubDate>Sat, 08 Jan 2022 12:00:00 +0600</pubDate>
<description><![CDATA[Former security chief Karim Masimov was detained on suspicion of high
treason, the National Security Committee said on Saturday.]]></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>urn:b</id>
<updated>2022-01-12T10:00:00Z</updated>
<entry><title>Why the CSTO came</title><id>urn:b:1</id><updated>2022-01-12T10:00:00Z</updated>
<content type="html">&lt;p&gt;For the first time since its founding, the alliance sent
troops under its collective security clause.&lt;/p&gt;</content></entry></feed>"""


def test_rss_entries_with_content_and_summary(tmp_path: Path) -> None:
    items = read(write(tmp_path / "feed.xml", RSS))
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.published == date(2022, 1, 7) and second.published == date(2022, 1, 8)
    assert first.text.startswith("Security forces regained control of Almaty airport")
    assert "\n\nFlights remained suspended." in first.text
    assert second.text.startswith("Former security chief")
    assert (first.source, first.url, first.title) == (
        "Regional Wire",
        "https://regional.example/1",
        "Airport retaken",
    )
    assert first.input_ref and first.input_ref.endswith("feed.xml#1")
    assert first.meta["entry_id"] == "r-1"


def test_atom_feed(tmp_path: Path) -> None:
    article = only_article(read(write(tmp_path / "blog.atom", ATOM)))
    assert article.published == date(2022, 1, 12)
    assert article.text.startswith("For the first time")


def test_fragment_to_text_drops_scripts_and_keeps_paragraphs() -> None:
    text = fragment_to_text("<p>One <b>bold</b> claim.</p><script>alert(1)</script><p>Two.</p>")
    assert text == "One bold claim.\n\nTwo."


# -- folders, .gz, stdin, format sniffing ----------------------------------------------------


def test_folder_recursive_gz_and_hidden_files(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", f"date 2022-01-05\n{REPORT}")
    write(tmp_path / "sub" / "deeper" / "b.jsonl.gz", gzip.compress(
        (json.dumps({"text": REPORT + " Second.", "date": "2022-01-06"}) + "\n").encode()
    ))  # fmt: skip
    write(tmp_path / "sub" / "c.html.gz", gzip.compress(PAGE.encode()))
    write(tmp_path / ".hidden" / "d.txt", f"date 2022-01-05\n{REPORT} Hidden.")
    items = read(tmp_path)
    assert all(isinstance(i, Article) for i in items), items
    assert len(items) == 3
    refs = [str(Path(i.input_ref or "").relative_to(tmp_path)) for i in items]
    assert refs == ["a.txt", "sub/c.html.gz", "sub/deeper/b.jsonl.gz:1"]  # name order


def test_format_sniffed_without_suffix(tmp_path: Path) -> None:
    write(tmp_path / "feed", RSS)
    write(tmp_path / "page", PAGE)
    write(tmp_path / "lines", json.dumps({"text": REPORT, "date": "2022-01-05"}) + "\n")
    items = read(tmp_path / "feed", tmp_path / "page", tmp_path / "lines")
    assert [type(i) for i in items] == [Article] * 4


def test_uppercase_gz_and_pretty_json(tmp_path: Path) -> None:
    rows = f"text,date\n{REPORT},2022-01-05\n{REPORT} Two.,2022-01-06\n".replace(
        f"{REPORT},", f'"{REPORT}",'
    ).replace(f"{REPORT} Two.,", f'"{REPORT} Two.",')
    write(tmp_path / "UP.CSV.GZ", gzip.compress(rows.encode()))
    write(tmp_path / "pretty", json.dumps({"text": REPORT, "date": "2022-01-05"}, indent=2))
    items = read(tmp_path / "UP.CSV.GZ", tmp_path / "pretty")
    assert [type(i) for i in items] == [Article, Article, Article]


class _SmallReads(io.RawIOBase):
    """A pipe-like input that refuses to be read whole: reads of over 1 MB fail."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert len(buffer) <= 1 << 20, "stdin was read whole instead of streamed"
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("compress", [False, True])
def test_stdin_json_lines_are_streamed(compress: bool) -> None:
    lines = b"".join(
        (json.dumps({"text": f"{REPORT} {i}", "date": "2022-01-05"}) + "\n").encode()
        for i in range(5000)
    )
    data = gzip.compress(lines) if compress else lines
    items = list(read_stdin(OPTS, io.BufferedReader(_SmallReads(data))))
    assert len(items) == 5000 and all(isinstance(i, Article) for i in items)


def test_stdin_text_and_gz() -> None:
    opts = ReadOptions(date=date(2022, 1, 5), now=OPTS.now)
    items = list(read_stdin(opts, io.BytesIO(REPORT.encode())))
    assert only_article(items).input_ref == "<stdin>"
    gz = gzip.compress((json.dumps({"text": REPORT, "date": "2022-01-05"}) + "\n").encode())
    assert only_article(list(read_stdin(OPTS, io.BytesIO(gz)))).published == date(2022, 1, 5)
