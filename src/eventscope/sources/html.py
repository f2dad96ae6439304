"""HTML pages (main text, title, date, author via trafilatura) and HTML fragments."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from eventscope.errors import W013
from eventscope.model import Rejected

from .base import Item, ReadOptions, build

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "pre",
    "ul",
    "ol",
    "table",
    "figure",
    "figcaption",
}


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry body), paragraphs kept apart by blank lines."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    _collect(root, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def _collect(node: Any, parts: list[str]) -> None:
    """Text of `node` in document order, blank lines around block elements."""
    block = isinstance(node.tag, str) and node.tag in _BLOCKS
    if block:
        parts.append("\n\n")
    parts.append(node.text or "")
    for child in node:
        _collect(child, parts)
        parts.append(child.tail or "")
    if block:
        parts.append("\n\n")


def read_html(html: str, input_ref: str, opts: ReadOptions) -> list[Item]:
    """One article from a web page: trafilatura's main text and metadata."""
    import trafilatura

    now = opts.now or datetime.now(UTC)
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": now.strftime("%Y-%m-%d"),
        },
    )
    data = doc.as_dict() if doc is not None and not isinstance(doc, dict) else (doc or {})
    text = (data.get("text") or "").strip()
    if not text:
        return [Rejected(input_ref, W013, "no main text found in the page")]
    # trafilatura separates paragraphs by one newline; spans read better with blank lines.
    text = re.sub(r"\n+", "\n\n", text)
    title = data.get("title")
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    return [
        build(
            input_ref,
            opts,
            text,
            published=data.get("date"),
            title=title,
            url=data.get("url"),
            source=data.get("sitename") or data.get("hostname"),
            author=data.get("author"),
            meta={k: str(data[k]) for k in ("description",) if data.get(k)},
        )
    ]
