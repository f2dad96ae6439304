"""Bounds on what one article can cost the parser and the stages after it.

spaCy's tokenizer cuts prefixes and suffixes ("(", "'", '"', "$") off a run of characters
without spaces one at a time, copying the rest each time: a run of n of them costs n²
(40,000 "(" took over 60 s, 4,000 quote marks 1.9 s). `BoundedTokenizer` hands it such
runs in pieces of at most `LONG_RUN` characters; the doc's text stays the article's,
character for character, so every offset and evidence span is unchanged.

The stages look for a word's subject, reporter or event within its sentence, so their
work grows with the square of a sentence's length; text without sentence ends (a list,
a table, junk) made one "sentence" of thousands of words (2,000 clauses of figures: 58
s). `cap_sentences` runs before the parser, which keeps the sentence starts it is given,
and starts a sentence after at most `MAX_SENTENCE` tokens without one; news sentences
are far shorter, so their parses are unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

MAX_SENTENCE = 150  # tokens; a 60-word news sentence is long
_SOFT = 40  # a forced start goes after the last comma within this many tokens, if any
_ENDS = frozenset(".!?;")
LONG_RUN = 100  # characters without a space handed to the tokenizer at once
LONG_URL = 2_048  # ... unless they are a web address up to this long
_LONG = re.compile(rf"\S{{{LONG_RUN + 1},}}")


class BoundedTokenizer:
    """spaCy's tokenizer over text whose long runs without spaces are cut into pieces:
    linear in the text's length whatever it holds. Text without such runs (news) goes
    to the tokenizer as it is."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Any:
        if _LONG.search(text) is None:
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for run in _LONG.finditer(text):
            if self._is_url(run.group()):
                continue  # one token, as the tokenizer makes it: no bracket to cut off
            self._add(text[at : run.start()], words, spaces)
            for start in range(run.start(), run.end(), LONG_RUN):
                self._add(text[start : min(start + LONG_RUN, run.end())], words, spaces)
            at = run.end()
        self._add(text[at:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _is_url(self, run: str) -> bool:
        url = getattr(self.tokenizer, "url_match", None)
        found = url(run) if url is not None and len(run) <= LONG_URL else None
        return found is not None and found.end() == len(run)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        if piece[:1] == " " and words and not spaces[-1]:
            spaces[-1] = True  # the space after a cut run is that run's last token's
            piece = piece[1:]
        if piece:
            for token in self.tokenizer(piece):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))


@Language.component("eventscope_sentence_cap")
def cap_sentences(doc: Doc) -> Doc:
    """Start a sentence after each blank line, and after `MAX_SENTENCE` tokens with no
    sentence end or line break (after the last comma near there if there is one)."""
    since, comma = 0, -1
    for token in doc:
        text = token.text
        if "\n\n" in text and token.i + 1 < len(doc):
            # A blank line ends a paragraph, and a headline or dateline has no full stop:
            # "... death toll to 225\n\nALMATY" is two sentences.
            doc[token.i + 1].is_sent_start = True
        if text in _ENDS or "\n" in text:
            since, comma = 0, -1
            continue
        since += 1
        if text == ",":
            comma = token.i
        if since >= MAX_SENTENCE:
            cut = comma + 1 if comma >= 0 and token.i - comma < _SOFT else token.i
            if cut < len(doc):
                doc[cut].is_sent_start = True
            since, comma = token.i - cut, -1
    return doc


def bound(nlp: Any) -> Any:
    """`nlp` with its tokenizer bounded and its sentences capped (once)."""
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    if "eventscope_sentence_cap" not in nlp.pipe_names:
        nlp.add_pipe("eventscope_sentence_cap", first=True)
    return nlp
