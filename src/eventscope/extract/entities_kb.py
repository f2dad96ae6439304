"""Entity candidates from the knowledge base, matched on tokens (`kb_matches`: names,
acronyms, lone surnames), and what every candidate rule of the entities stage shares:
`Found`, the cached `fold`, the label and word sets."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from eventscope.kb.actors import ActorKB, is_acronym, name_key
from eventscope.kb.names import fold as _fold
from eventscope.lang.en.grammar import KB_KIND_LABELS, KB_NAME_LABELS, PROPER_NOUN_TAGS
from eventscope.lang.en.lexicon import words
from eventscope.nlp.view import ents, view

_JOINERS = frozenset({"-", "‐", "–"})  # inside a name ("Kasim-Zhomart"): not a word
_FUNCTION_WORDS = words("function_words", "kb_name_function_words")


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate entity over tokens [start, end), with its evidence and priority."""

    start: int
    end: int
    label: str
    kb_id: str
    rule: str
    confidence: float
    priority: int  # higher wins an overlap; then the longer span


fold = functools.lru_cache(maxsize=200_000)(_fold)  # the same names recur in every article


@functools.lru_cache(maxsize=200_000)
def token_key(text: str) -> str:
    """`name_key` of one token's text (cached: the same words recur across articles)."""
    return name_key(text)


def _is_capitalised(token: Any) -> bool:
    first = str(token.text)[:1]
    return first.isupper() or first.isdigit()


def _kind(kb_id: str) -> str:
    return kb_id.partition(":")[0]


def _choose(ids: tuple[str, ...], spacy_label: str | None, focus: str | None) -> str:
    """One KB id for a name several entries share: the kind spaCy's label agrees with,
    then the entry of the article's main country, then the first listed."""
    agreeing = [i for i in ids if KB_KIND_LABELS[_kind(i)] == spacy_label] or list(ids)
    local = [i for i in agreeing if _country_of(i) == focus]
    return (local or agreeing)[0]


def _country_of(kb_id: str) -> str | None:
    kind, _, rest = kb_id.partition(":")
    if kind in ("country", "demonym"):
        return rest
    if kind == "org":
        return rest.partition(":")[0] or None
    return None


def _spacy_labels(doc: Any) -> dict[tuple[int, int], str]:
    return {(e.start, e.end): e.label_ for e in ents(doc)}


def kb_matches(doc: Any, kb: ActorKB) -> list[Found]:
    """Longest KB name match at each capitalised token (hyphens inside names skipped)."""
    labels = _spacy_labels(doc)
    raw: list[tuple[int, int, tuple[str, ...], str]] = []  # start, end, ids, rule
    v = view(doc)
    texts, caps = v.texts, v.caps
    n = len(texts)
    i = 0
    while i < n:
        if not caps[i]:
            i += 1
            continue
        best: tuple[int, tuple[str, ...], str] | None = None
        if texts[i] in kb.acronyms:
            best = (i + 1, kb.acronyms[texts[i]], "entities.kb.acronym")
        key, j = "", i
        while j < n:
            text = texts[j]
            if text in _JOINERS and j > i:
                j += 1
                continue
            part = token_key(text)
            if not part or (key + part) not in kb.prefixes:
                break
            key += part
            j += 1
            is_end = caps[j - 1] or v.lowers[j - 1] in _FUNCTION_WORDS
            if key in kb.names and is_end and (best is None or j > best[0]):
                best = (j, kb.names[key], "entities.kb.name")
        if best is not None and _is_name_here(doc[i : best[0]], best[1]):
            raw.append((i, best[0], best[1], best[2]))
            i = best[0]
        else:
            i += 1
    raw = [r for r in raw if not _inside_person(doc, r[0], r[1], r[2])]
    focus = _focus([ids for *_, ids, _ in raw])
    found = [_found(s, e, _choose(ids, labels.get((s, e)), focus), rule) for s, e, ids, rule in raw]
    return found + _surname_matches(doc, kb, found, labels)


def _inside_person(doc: Any, start: int, end: int, ids: tuple[str, ...]) -> bool:
    """Whether a body's name is a part of a longer person's name spaCy found: "Fattah"
    in "Abdel Fattah al-Burhan" is not the party Fatah."""
    if any(_kind(i) != "org" for i in ids):
        return False
    for e in ents(doc):
        if (
            e.label_ == "PERSON"
            and e.start <= start
            and end <= e.end
            and e.end - e.start > end - start
        ):
            return True
    return False


def _is_name_here(span: Any, ids: tuple[str, ...]) -> bool:
    """Every word of a name starts upper-case, but for function words ("Bank of Russia");
    a one-word body or person name that opens a sentence ("Labour disputes ...") counts
    only where spaCy saw a name, or the tagger a proper noun."""
    if not all(_is_capitalised(t) or t.lower_ in _FUNCTION_WORDS or t.text in _JOINERS
               for t in span):  # fmt: skip
        return False
    if len(span) > 1 or is_acronym(span.text) or _kind(ids[0]) in ("country", "demonym"):
        return True
    token = span[0]
    return bool(token.ent_type_) or (token.tag_ in PROPER_NOUN_TAGS and not token.is_sent_start)


def _focus(ids_lists: list[tuple[str, ...]]) -> str | None:
    """The country named most often (by country name or demonym) among KB matches."""
    counts = Counter(
        _country_of(ids[0]) for ids in ids_lists if _kind(ids[0]) in ("country", "demonym")
    )
    return counts.most_common(1)[0][0] if counts else None


def _found(start: int, end: int, kb_id: str, rule: str) -> Found:
    kind = _kind(kb_id)
    rule = f"entities.kb.{kind}" if rule == "entities.kb.name" else rule
    return Found(start, end, KB_KIND_LABELS[kind], kb_id, rule, 0.9, 3)


def _surname_matches(
    doc: Any, kb: ActorKB, found: list[Found], labels: dict[tuple[int, int], str]
) -> list[Found]:
    """A lone KB surname ("Tokáyev") is that person when the full name is in the article,
    spaCy saw a name there, or a title precedes it ("President Tokayev")."""
    taken = {i for f in found for i in range(f.start, f.end)}
    # A surname inside a longer spaCy name is someone else's ("Karim Tokayev").
    taken.update(
        i for e in ents(doc) if e.label_ == "PERSON" and len(e) > 1 for i in range(e.start, e.end)
    )
    named = {f.kb_id for f in found if f.label == "PERSON"}
    out: list[Found] = []
    v = view(doc)
    for i, text in enumerate(v.texts):
        ids = kb.surnames.get(token_key(text)) if v.caps[i] else None
        if not ids or i in taken:
            continue
        known = [k for k in ids if k in named]
        chosen = known[0] if known else ids[0] if len(ids) == 1 else None
        if chosen is None:
            continue
        before = v.lowers[i - 1] if i else ""
        is_titled = (before,) in kb.titles
        is_named = labels.get((i, i + 1)) in KB_NAME_LABELS
        if known or is_titled or is_named:
            confidence = 0.85 if known else 0.7
            out.append(Found(i, i + 1, "PERSON", chosen, "entities.kb.surname",
                             confidence, 3))  # fmt: skip
    return out
