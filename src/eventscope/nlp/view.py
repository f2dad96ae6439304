"""Per-token attributes of a parse as plain lists, made once per doc.

spaCy builds a new `Token` object on every `doc[i]` and every iteration, joins the whole
text again on every `doc.text`, and scans the doc on every `span.sent` and `doc.ents`.
The extraction stages read the same attributes of the same tokens many times over; a
`DocView` reads them once, with `Doc.to_array`, into lists indexed by token.

Entity labels are not in the view: the entities stage rewrites them. `ents(doc)` keeps
the current entity spans until `forget_ents(doc)` (called where they are rewritten).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SPACY, TAG

_VIEW = "eventscope.view"  # doc.user_data keys
_ENTS = "eventscope.ents"
_ENT_LABELS = "eventscope.ent_labels"
_SENTENCES = "eventscope.sentences"
_ATTRS = [ORTH, LOWER, TAG, POS, DEP, LEMMA, IDX, HEAD, SPACY]
_STRINGS: dict[int, str] = {}  # hash -> string, across docs: the same words recur
_STRINGS_MAX = 500_000  # emptied when full: memory stays bounded on any corpus


@dataclass(frozen=True, slots=True)
class DocView:
    """The doc's text, and each token's text, lower case, tag, part of speech,
    dependency label, lemma (and its lower case), start character, head index and
    whether it is capitalised (first character upper case or a digit)."""

    text: str
    texts: list[str]
    lowers: list[str]
    tags: list[str]
    pos: list[str]
    deps: list[str]
    lemmas: list[str]
    lemma_lowers: list[str]
    starts: list[int]
    heads: list[int]
    caps: list[bool]

    def end(self, i: int) -> int:
        """End character of token `i`."""
        return self.starts[i] + len(self.texts[i])


class LazyTokens(Sequence[Any]):
    """The doc's tokens as a sequence, each spaCy Token made on first use and kept: most
    stages read a few candidate words, and `list(doc)` made all of them (0.5 s per 300
    articles)."""

    __slots__ = ("_doc", "_made")

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self._made: list[Any] = [None] * len(doc)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._made)))]
        token = self._made[i]
        if token is None:
            token = self._made[i] = self._doc[i]
        return token

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self._made)):
            yield self[i]


def view(doc: Any) -> DocView:
    """The doc's `DocView`, made on first use."""
    found: DocView | None = doc.user_data.get(_VIEW)
    if found is not None and len(found.texts) == len(doc):
        return found
    rows = doc.to_array(_ATTRS).astype("int64").tolist() if len(doc) else []
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_ATTRS)
    orth, lower, tag, pos, dep, lemma, idx, head, space = columns
    texts, lemmas = _strings(doc, orth), _strings(doc, lemma)
    made = DocView(
        # doc.text, joined from the token texts and their trailing space (at most one)
        text="".join([t + " " if s else t for t, s in zip(texts, space, strict=True)]),
        texts=texts,
        lowers=_strings(doc, lower),
        tags=_strings(doc, tag),
        pos=_strings(doc, pos),
        deps=_strings(doc, dep),
        lemmas=lemmas,
        lemma_lowers=[w.lower() for w in lemmas],
        starts=list(idx),
        heads=[i + offset for i, offset in enumerate(head)],
        caps=[t[:1].isupper() or t[:1].isdigit() for t in texts],
    )
    doc.user_data[_VIEW] = made
    return made


def _strings(doc: Any, hashes: tuple[int, ...]) -> list[str]:
    store, known = doc.vocab.strings, _STRINGS
    if len(known) > _STRINGS_MAX:
        known.clear()
    out = []
    for h in hashes:
        s = known.get(h)
        if s is None:
            # to_array gave signed values of uint64 hashes: the store wants them unsigned
            s = known[h] = store[h % (1 << 64)] if h else ""
        out.append(s)
    return out


def ents(doc: Any) -> tuple[Any, ...]:
    """`doc.ents`, kept until `forget_ents`."""
    found: tuple[Any, ...] | None = doc.user_data.get(_ENTS)
    if found is None:
        found = doc.user_data[_ENTS] = tuple(doc.ents)
    return found


def ent_labels(doc: Any) -> list[str]:
    """Each token's entity label ("" outside entities; `token.ent_type_`), kept with
    `ents`."""
    found: list[str] | None = doc.user_data.get(_ENT_LABELS)
    if found is None:
        found = [""] * len(doc)
        for ent in ents(doc):
            found[ent.start : ent.end] = [ent.label_] * (ent.end - ent.start)
        doc.user_data[_ENT_LABELS] = found
    return found


def forget_ents(doc: Any) -> None:
    """Drop the kept entity spans and labels (after `doc.set_ents`)."""
    doc.user_data.pop(_ENTS, None)
    doc.user_data.pop(_ENT_LABELS, None)


def sentence_bounds(doc: Any) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, made once per doc (`token.sent` and
    `span.sent` scan the doc on every call)."""
    bounds: list[tuple[int, int]] | None = doc.user_data.get(_SENTENCES)
    if bounds is None:
        bounds = doc.user_data[_SENTENCES] = [(s.start_char, s.end_char) for s in doc.sents]
    return bounds


def sentence_at(doc: Any, char: int) -> tuple[int, int] | None:
    """(start_char, end_char) of the sentence holding character `char`."""
    bounds = sentence_bounds(doc)
    number = bisect.bisect_right(bounds, (char, 1 << 62)) - 1
    if number < 0 or not bounds[number][0] <= char < bounds[number][1]:
        return None
    return bounds[number]
