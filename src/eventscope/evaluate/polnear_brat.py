"""Reading PolNeAR (brat standoff: `text/X.txt`, `attributions/X_ANN.ann`): texts with each
annotator's attributions, offsets checked and converted (see `evaluate.polnear`)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .base import limited, open_maybe_gz

Fragments = tuple[tuple[int, int], ...]  # [start, end) pieces of one span; () = absent

_OPENERS = "\"“«„‘'”"  # a ” opening a quote is a common typo
_CLOSERS = "\"”»’'"
_ROLE = re.compile(r"^([A-Za-z-]+?)\d*$")


@dataclass(frozen=True)
class Attribution:
    """Who said what: content, source and cue fragments; `direct` when fully quoted."""

    content: Fragments
    source: Fragments = ()
    cue: Fragments = ()
    direct: bool = False


@dataclass(frozen=True)
class AnnotatedText:
    """One text with each annotator's attributions and offset checks."""

    key: str
    text: str
    published: date | None
    annotations: dict[str, tuple[Attribution, ...]]
    t_lines: int = 0
    t_mismatches: int = 0  # T lines whose text differs from the slice, after conversion
    byte_offset_files: int = 0
    no_content: int = 0  # E lines without content, left out


def _read_text(path: Path) -> str:
    with open_maybe_gz(path) as raw:
        return raw.read().decode("utf-8", errors="replace")


def _byte_to_char(text: str) -> list[int]:
    """Char offset of each UTF-8 byte offset of `text` (a byte inside a char maps to it)."""
    return [index for index, char in enumerate(text) for _ in char.encode("utf-8")] + [len(text)]


def _same(a: str, b: str) -> bool:
    return a.split() == b.split()  # brat may write a line break inside a span as a space


def fragment_text(text: str, fragments: Fragments) -> str:
    return " ".join(text[s:e] for s, e in fragments)


def _one_quotation(body: str) -> bool:
    """True when a quotation's inside never closes it early: nested curly quotes are
    fine (`“a “b” c”`), a closing mark back at depth 0 (`A” and “B`) or a straight
    double quote (direction unknown) is not."""
    depth = 1
    for char in body:
        if char == '"':
            return False
        depth += (char in "“«„") - (char in "”»")
        if depth <= 0:
            return False
    return True


def is_quoted(text: str, fragments: Fragments) -> bool:
    """True when every fragment is one quotation: it starts with (or follows) an opening
    quote mark and ends with (or precedes, before punctuation) a closing one."""
    if not fragments:
        return False
    for start, end in fragments:
        inner = text[start:end].strip().rstrip(".,;:!?")
        opens = inner[:1] != "" and inner[:1] in _OPENERS
        closes = len(inner) > opens and inner[-1] in _CLOSERS
        body = inner[int(opens) : len(inner) - int(closes)]
        before = text[:start].rstrip()[-1:]
        after = text[end:].lstrip().lstrip(".,;:!?")[:1]
        opens = opens or (before != "" and before in _OPENERS)
        closes = closes or (after != "" and after in _CLOSERS)
        if not (opens and closes and body and _one_quotation(body)):
            return False
    return True


def parse_ann(text: str, ann: str) -> tuple[list[Attribution], int, int, bool, int]:
    """Attributions of one brat file: (attributions, T lines, mismatched T lines,
    byte offsets used, E lines without content)."""
    spans: dict[str, tuple[str, Fragments, str]] = {}
    events: list[list[tuple[str, str]]] = []
    malformed = 0
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            try:
                frags = tuple((int(a), int(b)) for a, b in (f.split() for f in offsets.split(";")))
            except ValueError:  # not "start end[;start end]": counted as a mismatch
                malformed += 1
                continue
            spans[parts[0]] = (label, frags, parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            pairs = (a.partition(":") for a in parts[1].split())
            events.append([(role, ref) for role, _, ref in pairs if ref])
    fits = sum(_same(fragment_text(text, f), t) for _, f, t in spans.values())
    use_bytes = False
    if fits < len(spans):
        to_char = _byte_to_char(text)
        last = len(to_char) - 1
        converted = {
            k: (lab, tuple((to_char[min(s, last)], to_char[min(e, last)]) for s, e in f), t)
            for k, (lab, f, t) in spans.items()
        }
        fits_bytes = sum(_same(fragment_text(text, f), t) for _, f, t in converted.values())
        if fits_bytes > fits:
            spans, fits, use_bytes = converted, fits_bytes, True
    found: list[Attribution] = []
    no_content = 0
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in args:
            match = _ROLE.match(role)
            if match and ref in spans:
                roles.setdefault(match.group(1), []).extend(spans[ref][1])
        content = tuple(sorted(roles.get("Content", [])))
        if not content:
            no_content += 1
            continue
        found.append(Attribution(
            content=content,
            source=tuple(sorted(roles.get("Source", []))),
            cue=tuple(sorted(roles.get("Cue", []))),
            direct=is_quoted(text, content),
        ))  # fmt: skip
    return found, len(spans) + malformed, len(spans) + malformed - fits, use_bytes, no_content


@cache
def publication_dates(metadata: Path) -> dict[str, date]:
    """filename -> publication_date of a PolNeAR `metadata.tsv`."""
    with open_maybe_gz(metadata) as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"), delimiter="\t")
        out: dict[str, date] = {}
        for row in rows:
            try:
                out[row["filename"]] = date.fromisoformat((row["publication_date"] or "")[:10])
            except (KeyError, ValueError):
                continue
        return out


def _published(text_dir: Path, key: str) -> date | None:
    for folder in (text_dir.parent, text_dir.parent.parent):
        for name in ("metadata.tsv", "metadata.tsv.gz"):
            if (folder / name).is_file():
                found = publication_dates(folder / name).get(key)
                if found:
                    return found
    return None


def _text_file(ann: Path) -> tuple[Path, str, str] | None:
    """(text file, text key, annotator) of an annotation file, or None without its text."""
    stem = ann.name.removesuffix(".gz").removesuffix(".ann")
    text_dir = ann.parent.parent / "text"
    if ann.parent.name != "attributions" or not text_dir.is_dir():
        return None
    # A single-annotator corpus may name the .ann exactly as its text.
    base, _, annotator = stem.rpartition("_")
    for key, who in ((stem, ""), (base, annotator)):
        for name in (f"{key}.txt", f"{key}.txt.gz"):
            if key and (text_dir / name).is_file():
                return text_dir / name, key, who
    return None


def load_polnear(files: Sequence[Path], limit: int | None = None) -> list[AnnotatedText]:
    """The annotated texts of these `.ann` files (grouped by text, in file order)."""
    groups: dict[Path, list[tuple[str, Path]]] = {}
    for ann in files:
        found = _text_file(ann)
        if found:
            groups.setdefault(found[0], []).append((found[2], ann))
    texts = []
    for text_path in limited(list(groups), limit):
        text = _read_text(text_path)
        key = text_path.name.removesuffix(".gz").removesuffix(".txt")
        annotations: dict[str, tuple[Attribution, ...]] = {}
        t_lines = mismatches = byte_files = no_content = 0
        for annotator, ann in groups[text_path]:
            attributions, n, bad, used_bytes, empty = parse_ann(text, _read_text(ann))
            annotations[annotator or ann.name] = tuple(attributions)
            t_lines, mismatches = t_lines + n, mismatches + bad
            byte_files, no_content = byte_files + used_bytes, no_content + empty
        texts.append(AnnotatedText(
            key, text, _published(text_path.parent, key), annotations,
            t_lines, mismatches, byte_files, no_content,
        ))  # fmt: skip
    return texts
