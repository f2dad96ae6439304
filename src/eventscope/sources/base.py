"""What every reader shares: options, the rejection signal, and the article builder."""

from __future__ import annotations

import email.utils
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventscope.errors import (
    E003,
    W001,
    W003,
    W004,
    W005,
    W006,
    W007,
    W015,
    W017,
    InputError,
    InputRejected,
)
from eventscope.model import Article, Rejected, article_id

from .decode import normalise_text

Item = Article | Rejected
log = logging.getLogger(__name__)

# Field names tried in order when the user gives none; covers news-please, trafilatura,
# newspaper3k, GDELT GKG-style dumps and most hand-made exports.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "content", "body", "article", "full_text", "fulltext"),
    "title": ("title", "headline", "title_page", "heading"),
    "date": (
        "date_publish",
        "published",
        "date",
        "published_at",
        "pubdate",
        "publish_date",
        "dct",
        "datetime",
        "date_download",
    ),
    "url": ("url", "uri", "link", "source_url"),
    "language": ("language", "lang"),
    "source": ("source_domain", "source", "outlet", "publisher", "domain", "site"),
    "author": ("authors", "author", "byline"),
}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read. `fields` maps a record field to the input's column names."""

    date: date | None = None  # publication date for inputs that carry none
    date_precision: str = "day"
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    format: str | None = None  # force a format: text, jsonl, csv, tsv, html, feed
    max_chars: int = 200_000  # spaCy needs about 0.7 GB for 200,000 characters
    min_chars: int = 40
    language: str | None = None
    now: datetime | None = None  # "today" for the future-date check; default: the clock

    def __post_init__(self) -> None:
        try:
            language_code(self.language)
        except ValueError as exc:
            raise InputError(E003, f"language {exc}", hint="give a code such as en or ru") from exc

    def names_for(self, key: str) -> tuple[str, ...]:
        return tuple(self.fields.get(key, ())) or DEFAULT_FIELDS[key]


# BCP 47-like tags ("en", "EN-us", "pt_BR", "es-419") and language names ("English").
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_LANGUAGE_NAME = re.compile(r"[^\W\d_]{4,20}")


def language_code(value: str | None) -> str | None:
    """A given language as stored: a tag's primary subtag lowercased ("EN-us" -> "en"), a
    name lowercased ("English" -> "english", which the pipeline maps to "en"); None for an
    empty value. Raises ValueError for anything else ("../", control characters, junk)."""
    text = (value or "").strip()
    if not text:
        return None
    if _LANGUAGE_TAG.fullmatch(text):
        return re.split("[-_]", text, maxsplit=1)[0].lower()
    if _LANGUAGE_NAME.fullmatch(text):
        return text.lower()
    raise ValueError(f"{text[:40]!r} is not a language code")


# spaCy's memory and time follow tokens, not characters: prose has about 5 characters a
# token, but a run of emoji or a table of numbers one or two, so an article under
# `max_chars` could still be 200,000 tokens (3.4 GB to parse). Words (with their
# combining marks) and runs of one sign approximate the tokenizer's count from below; an
# article is allowed a quarter of `max_chars` (and at least 1,000).
_TOKENS = re.compile(r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]+|([^\w\s])\1*")
_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def parse_published(value: Any) -> tuple[date, str]:
    """A publication date from a field value; returns (date, precision).

    Accepts ISO 8601 dates and datetimes (with or without zone), "2022-01" and "2022"
    (month and year precision), RFC 822 (feeds), epoch seconds, and, last, absolute dates
    in free text through dateparser ("January 9, 2022"; "10.01.2022" is read day first).
    Relative dates ("yesterday") are refused: they depend on when the page was crawled.
    Raises InputRejected W005 when nothing fits.
    """
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC).date(), "day"
        except (OverflowError, OSError, ValueError) as exc:
            raise InputRejected(W005, f"unparseable date {value!r}") from exc
    text = str(value).strip()
    if not text:
        raise InputRejected(W004, "empty date field")
    if len(text) > _MAX_DATE_CHARS:  # dateparser's time grows with the length
        raise InputRejected(W005, f"date field of {len(text):,} characters")
    try:
        return _parse_formal(text)
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise InputRejected(W005, f"unparseable date {text[:60]!r}")
    return parsed.date(), "day"


_MAX_DATE_CHARS = 80
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["year", "month", "day"],
    "DATE_ORDER": "DMY",
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}


def _parse_formal(text: str) -> tuple[date, str]:
    """ISO 8601, YYYY-MM, YYYY or RFC 822; raises ValueError otherwise."""
    partial = _PARTIAL.match(text)
    if partial:
        year, month = int(partial.group(1)), partial.group(2)
        if month is None:
            return date(year, 1, 1), "year"
        return date(year, int(month), 1), "month"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date(), "day"
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date(), "day"
    except (TypeError, IndexError) as exc:
        raise ValueError(text) from exc


def check_published(published: date, opts: ReadOptions) -> None:
    """Reject dates in the future (beyond one day of clock skew) or before 1900."""
    today = (opts.now or datetime.now(UTC)).date()
    if published > today + timedelta(days=1):
        raise InputRejected(W006, f"publication date {published} is in the future")
    if published.year < 1900:
        raise InputRejected(W006, f"publication date {published} is before 1900")


def make_article(
    raw_text: str,
    *,
    input_ref: str,
    opts: ReadOptions,
    published: Any = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    author: str | None = None,
    language: str | None = None,
    meta: Mapping[str, str] | None = None,
) -> Article:
    """Normalise, check and identify one article. Raises InputRejected for bad input."""
    # A cheap guard before normalising a huge text; the exact check follows it.
    if len(raw_text) > opts.max_chars * 2:
        raise InputRejected(W007, f"{len(raw_text):,} characters, limit {opts.max_chars:,}")
    bad = _SURROGATE.search(raw_text)
    if bad:
        # Lone surrogates come from undecodable bytes or broken JSON escapes: the text
        # cannot be stored as UTF-8 and its offsets would be off.
        raise InputRejected(W003, f"undecodable character at offset {bad.start()}")
    text = normalise_text(raw_text)
    if not text:
        raise InputRejected(W001, "no article text")
    if len(text) > opts.max_chars:
        raise InputRejected(W007, f"{len(text):,} characters, limit {opts.max_chars:,}")
    limit = max(opts.max_chars // 4, 1_000)
    if len(text) > limit and (tokens := sum(1 for _ in _TOKENS.finditer(text))) > limit:
        raise InputRejected(W007, f"about {tokens:,} words and signs, limit {limit:,}")
    if len(text) < opts.min_chars:
        raise InputRejected(W015, f"{len(text)} characters, at least {opts.min_chars} needed")
    if published is None or (isinstance(published, str) and not published.strip()):
        if opts.date is None:
            raise InputRejected(W004, "no publication date; give one with --date")
        day, precision = opts.date, opts.date_precision
    else:
        day, precision = parse_published(published)
    check_published(day, opts)
    meta = {str(_field(k)): str(_field(v)) for k, v in (meta or {}).items()}
    try:
        code = language_code(language or opts.language)
    except ValueError as exc:
        # The text is good and its language can be detected: a broken language field
        # costs the field, not the article. What was given stays visible in meta.
        log.warning("%s: %s; its language is detected instead", input_ref, exc)
        code = None
        meta["language_given"] = ascii(language)[1:-1][:40]
    return Article(
        id=article_id(text),
        text=text,
        published=day,
        published_precision=precision,
        title=_field(title),
        source=_field(source),
        url=_field(url),
        author=_field(author),
        language=code,
        input_ref=input_ref,
        meta=meta,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _field(value: str | None) -> str | None:
    """A metadata field as storable text: normalised, undecodable characters replaced."""
    if not value:
        return None
    return normalise_text(_SURROGATE.sub("\ufffd", value)) or None


def build(input_ref: str, opts: ReadOptions, raw_text: str, **kwargs: Any) -> Item:
    """`make_article`, with a rejection returned as a `Rejected` record instead of raised."""
    try:
        return make_article(raw_text, input_ref=input_ref, opts=opts, **kwargs)
    except InputRejected as exc:
        return Rejected(input_ref, exc.code, exc.reason)
    except Exception as exc:  # a bug on one record must not cost the rest of its file
        log.exception("reader failed on %s", input_ref)
        return Rejected(input_ref, W017, f"reader failed: {type(exc).__name__}: {exc}")
