"""Statements labelled with their speaker rather than told by a cue word: a transcript's
or headline's "PENCE: Well, ..." / "Poll: Wealthy Voters Abandon ..." at the start of a
paragraph (the rest of the paragraph is the statement), and a quotation signed with a
dash at the end of its line ("“...” ― Pamela Padilla")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from eventscope.kb.quotes import QuotesLexicon

from .events_build import Context
from .quotes_marks import Quotation

# "PENCE: Well, ...", "Poll: Wealthy Voters Abandon ...": a paragraph opening with a name
# of up to four capitalised words and a colon (a quote mark may open it).
_LABEL = re.compile(
    r"(?m)^[^\S\n]*[\"“”‘']?[^\S\n]*(?P<name>(?:[A-Z][\w.’'-]*[^\S\n]){0,3}[A-Z][\w.’'-]*)"
    r"[^\S\n]*:[^\S\n]+(?=\S)"
)
# "“...” ― Pamela Padilla": a quotation signed with a dash by a name ending its line.
_SIGNED = re.compile(
    r"[^\S\n]*(?P<dash>[―—–])[^\S\n]*(?P<name>[A-Z][\w.’'-]*(?:[^\S\n][A-Z][\w.’'-]*){0,4})"
    r"[^\S\n]*(?=\n|$)"
)


@dataclass(frozen=True, slots=True)
class Label:
    name: tuple[int, int]  # the speaker's label (characters)
    cue: tuple[int, int]  # the colon or the dash
    content: tuple[int, int]
    head: Any  # the label's root token
    actor: str | None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def labelled(ctx: Context, lexicon: QuotesLexicon, found: list[Quotation]) -> list[Label]:
    """The article's labelled statements, labels first, then signed quotations."""
    text = ctx.text
    out: list[Label] = []
    for match in _LABEL.finditer(text):
        if match.group("name").lower() in lexicon.not_speakers:
            continue
        end = text.find("\n", match.end())
        content = _trimmed(text, match.end(), len(text) if end < 0 else end)
        if content[1] > content[0]:
            name = (match.start("name"), match.end("name"))
            colon = (match.end("name"), match.end())
            out.append(_label(ctx, name, _trimmed(text, *colon), content))
    for q in found:
        signed = _SIGNED.match(text, q.end)
        if signed is not None:
            name = (signed.start("name"), signed.end("name"))
            dash = (signed.start("dash"), signed.end("dash"))
            content = _trimmed(text, q.inner_start, q.inner_end)
            out.append(_label(ctx, name, dash, content))
    return out


def _label(
    ctx: Context, name: tuple[int, int], cue: tuple[int, int], content: tuple[int, int]
) -> Label:
    tokens = ctx.doc.char_span(*name, alignment_mode="expand")
    by_token = ctx.actors.by_token
    actor = next((by_token[t.i] for t in tokens if t.i in by_token), None)
    last = tokens[-1].lower_
    for candidate in ctx.actors.actors if actor is None else ():
        if candidate.type == "person" and candidate.name.lower().split()[-1:] == [last]:
            actor = candidate.id  # "PENCE:" is Mike Pence
            break
    return Label(name, cue, content, tokens.root, actor)
