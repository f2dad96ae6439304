"""Actors. Baseline: spaCy's PERSON and ORG entities grouped into actors per article.

This is the stage the entity layer (knowledge base, titles, transliteration folding,
coding of country and sector) replaces; it already groups "Vladimir Putin" and "Putin".
"""

from __future__ import annotations

import dataclasses
import unicodedata

from eventscope.model import Actor, ArticleRecords, Evidence, Mention, Span
from eventscope.nlp.parse import ParsedArticle

from .registry import register

_TYPES = {"PERSON": "person", "ORG": "organization"}
RULE = "actors.spacy_ner"


def fold(name: str) -> str:
    """Case, accents and hyphens folded: "Tokáyev" and "tokayev" match."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.casefold().replace("-", " ").replace("’s", "").split())


@register("actors", requires=("ner", "parser"))
def extract_actors(parsed: ParsedArticle, records: ArticleRecords) -> ArticleRecords:
    """Group PERSON/ORG entities by folded name; a lone surname joins its full name."""
    groups: dict[str, list[tuple[str, Span]]] = {}
    kinds: dict[str, str] = {}
    for ent in parsed.doc.ents:
        if ent.label_ not in _TYPES:
            continue
        key = fold(ent.text)
        if not key:
            continue
        groups.setdefault(key, []).append(
            (ent.label_, Span(ent.start_char, ent.end_char, ent.text))
        )
        kinds.setdefault(key, ent.label_)
    # A one-word person mention ("Putin") joins the longest full name ending in it.
    for key in [k for k in groups if " " not in k and kinds[k] == "PERSON"]:
        fuller = [k for k in groups if k != key and k.endswith(" " + key)]
        if fuller:
            groups[max(fuller, key=len)].extend(groups.pop(key))
    actors = []
    for number, (key, found) in enumerate(sorted(groups.items(), key=lambda kv: kv[1][0][1].start)):
        found.sort(key=lambda pair: pair[1].start)
        mentions = tuple(
            Mention(span, Evidence(RULE, 0.6, parsed.sentence_of(span.start))) for _, span in found
        )
        name = max((span.text for _, span in found), key=len)
        aliases = tuple(sorted({span.text for _, span in found} - {name}))
        actors.append(
            Actor(
                id=f"a{number + 1}",
                name=name,
                type=_TYPES[kinds[key]],
                mentions=mentions,
                aliases=aliases,
                evidence=Evidence(RULE, 0.6),
            )
        )
    return dataclasses.replace(records, actors=records.actors + tuple(actors))
