"""Entities: one corrected entity layer (`doc.ents`) that later stages read.

spaCy's small model mislabels names it has not seen (transliterated people and cities as
ORG, countries as NORP, demonyms as PERSON/GPE), splits "the Kazakh Ministry" from
"Interior" and tags capitalised common nouns ("Groups") as ORG. This stage matches the
knowledge base on tokens (people transliteration-tolerantly, organisations and their
acronyms, countries, demonyms), fixes spaCy's entities by general rules, and writes
PERSON / ORG / GPE / LOC / NORP spans with `kb_id_` set where the KB knows the entity.
Each span's rule and confidence are kept in `doc.user_data[EVIDENCE]`.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span as SpacySpan

from eventscope.kb.actors import ActorKB, Title, configured_kb, is_acronym, name_key
from eventscope.kb.names import fold as _fold
from eventscope.model import ArticleRecords
from eventscope.nlp.parse import ParsedArticle

from .registry import register

EVIDENCE = "eventscope.entities"  # doc.user_data key: (start_char, end_char) -> (rule, conf)
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
_KIND_LABELS = {"person": "PERSON", "org": "ORG", "country": "GPE", "demonym": "NORP"}
_JOINERS = frozenset({"-", "‐", "–"})  # inside a name ("Kasim-Zhomart"): not a word
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "de", "del", "al", "el", "on", "in"})
_NOUN_TAGS = frozenset({"NN", "NNS"})
_ALL_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_DETERMINERS = frozenset({"the", "a", "an"})
_MAIN_PLACES = frozenset({"P.PPLC", "P.PPLA", "A.ADM1"})

log = logging.getLogger(__name__)


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
    agreeing = [i for i in ids if _KIND_LABELS[_kind(i)] == spacy_label] or list(ids)
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
    return {(e.start, e.end): e.label_ for e in doc.ents}


def kb_matches(doc: Any, kb: ActorKB) -> list[Found]:
    """Longest KB name match at each capitalised token (hyphens inside names skipped)."""
    labels = _spacy_labels(doc)
    raw: list[tuple[int, int, tuple[str, ...], str]] = []  # start, end, ids, rule
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        if not _is_capitalised(token):
            i += 1
            continue
        best: tuple[int, tuple[str, ...], str] | None = None
        if token.text in kb.acronyms:
            best = (i + 1, kb.acronyms[token.text], "entities.kb.acronym")
        key, j = "", i
        while j < n:
            text = doc[j].text
            if text in _JOINERS and j > i:
                j += 1
                continue
            part = token_key(text)
            if not part or (key + part) not in kb.prefixes:
                break
            key += part
            j += 1
            last = doc[j - 1]
            is_end = _is_capitalised(last) or last.lower_ in _FUNCTION_WORDS
            if key in kb.names and is_end and (best is None or j > best[0]):
                best = (j, kb.names[key], "entities.kb.name")
        if best is not None and _is_name_here(doc[i : best[0]], best[1]):
            raw.append((i, best[0], best[1], best[2]))
            i = best[0]
        else:
            i += 1
    focus = _focus([ids for *_, ids, _ in raw])
    found = [_found(s, e, _choose(ids, labels.get((s, e)), focus), rule) for s, e, ids, rule in raw]
    return found + _surname_matches(doc, kb, found, labels)


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
    return bool(token.ent_type_) or (token.tag_ in ("NNP", "NNPS") and not token.is_sent_start)


def _focus(ids_lists: list[tuple[str, ...]]) -> str | None:
    """The country named most often (by country name or demonym) among KB matches."""
    counts = Counter(
        _country_of(ids[0]) for ids in ids_lists if _kind(ids[0]) in ("country", "demonym")
    )
    return counts.most_common(1)[0][0] if counts else None


def _found(start: int, end: int, kb_id: str, rule: str) -> Found:
    kind = _kind(kb_id)
    rule = f"entities.kb.{kind}" if rule == "entities.kb.name" else rule
    return Found(start, end, _KIND_LABELS[kind], kb_id, rule, 0.9, 3)


def _surname_matches(
    doc: Any, kb: ActorKB, found: list[Found], labels: dict[tuple[int, int], str]
) -> list[Found]:
    """A lone KB surname ("Tokáyev") is that person when the full name is in the article,
    spaCy saw a name there, or a title precedes it ("President Tokayev")."""
    taken = {i for f in found for i in range(f.start, f.end)}
    # A surname inside a longer spaCy name is someone else's ("Karim Tokayev").
    taken.update(
        i for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for i in range(e.start, e.end)
    )
    named = {f.kb_id for f in found if f.label == "PERSON"}
    out: list[Found] = []
    for token in doc:
        ids = kb.surnames.get(token_key(token.text)) if _is_capitalised(token) else None
        if not ids or token.i in taken:
            continue
        known = [i for i in ids if i in named]
        chosen = known[0] if known else ids[0] if len(ids) == 1 else None
        if chosen is None:
            continue
        before = doc[token.i - 1].lower_ if token.i else ""
        is_titled = (before,) in kb.titles
        is_named = labels.get((token.i, token.i + 1)) in NAME_LABELS
        if known or is_titled or is_named:
            confidence = 0.85 if known else 0.7
            out.append(Found(token.i, token.i + 1, "PERSON", chosen, "entities.kb.surname",
                             confidence, 3))  # fmt: skip
    return out


def corrected_spacy(doc: Any, kb: ActorKB, countries: set[str]) -> list[Found]:
    """spaCy's name entities after the general fixes: cut at a line break and before a
    possessive, common nouns dropped, "Ministry" + "of the Interior" joined, places in
    the gazetteer (of a country the article names) or after locative prepositions
    relabelled GPE, ORG names of people relabelled PERSON (the surname is a PERSON
    elsewhere, or a title stands before the name). `countries`: ISO alpha-2 codes."""
    out: list[Found] = []
    places = _locative_names(doc, kb)
    lowered: set[str] = set()  # words the article writes in lower case, filled if needed
    surnames = _person_surnames(doc)
    # The last word of a full name is a person's, even where it is also a town's.
    name_ends = {fold(e[-1].text) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    for ent in doc.ents:
        if ent.label_ in _NUMERIC and _is_misread_name(ent):
            # The small model reads some transliterated names as numbers ("Zhanaozen"
            # CARDINAL): a known place becomes GPE, anything else no entity at all.
            if _is_known_place(ent, kb, countries, name_ends):
                out.append(Found(ent.start, ent.end, "GPE", "", "entities.gazetteer", 0.6, 1))
            continue
        if ent.label_ not in NAME_LABELS:
            out.append(Found(ent.start, ent.end, ent.label_, "", "entities.spacy", 0.6, 0))
            continue
        span = _trimmed(ent)
        if not span or (_is_common_noun(span, lowered) and fold(span[-1].text) not in surnames):
            continue  # "Groups of armed combatants": a capitalised common noun
        if _is_in_title(span, kb):
            continue  # "State" of "Secretary of State", "the Head of State": a role
        label, end, rule = ent.label_, span.end, "entities.spacy"
        if label != "PERSON" and len(span) == 1 and fold(span.text) in name_ends:
            label, rule = "PERSON", "entities.person_like"  # "Zhoomártov" after "Bakyt Z."
        elif label in ("ORG", "PERSON") and _is_known_place(span, kb, countries, name_ends):
            label, rule = "GPE", "entities.gazetteer"
        elif label == "ORG":
            end = _of_extension(doc, span, kb)
            if end > span.end:
                rule = "entities.org_of"
            elif len(span) == 1 and fold(span.text) in places:
                label, rule = "GPE", "entities.locative"
            elif _is_person_like(doc, span, kb, surnames):
                label, rule = "PERSON", "entities.person_like"
        out.append(Found(span.start, end, label, "", rule, 0.6, 1))
    return out


_NUMERIC = frozenset({"CARDINAL", "ORDINAL", "QUANTITY"})


def _is_misread_name(ent: Any) -> bool:
    """A capitalised word or words with no digit and no number word, labelled a number."""
    return ent[0].text[:1].isupper() and all(t.is_alpha and not t.like_num for t in ent)


def _is_in_title(span: Any, kb: ActorKB) -> bool:
    """Whether the entity ends a person's role noun that begins at most four words before
    it ("Secretary of State")."""
    doc = span.doc
    if span[-1].lower_ not in kb.person_title_ends:
        return False
    for start in range(max(0, span.start - 4), span.start + 1):
        words = tuple(t.lower_ for t in doc[start : span.end] if t.text not in _JOINERS)
        if words and words[0] in _DETERMINERS:
            words = words[1:]
        title = kb.titles.get(words)
        if title is not None and title.type == "person":  # not "Congress", "Parliament"
            return True
    return False


def _trimmed(ent: Any) -> Any:
    """The entity up to its first line break and without a final possessive ("Tokayev's")."""
    end = next((t.i for t in ent if "\n" in t.text), ent.end)
    if end - ent.start > 1 and ent.doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return ent.doc[ent.start : end]


@functools.cache
def _gazetteer() -> Any:
    """The places gazetteer, or None where it cannot be opened (the rule is then off)."""
    try:
        from eventscope.kb.gazetteer import load_gazetteer

        return load_gazetteer()
    except Exception:  # the entity layer works without it, only less well
        log.warning("gazetteer unavailable: place names tagged PERSON/ORG stay so", exc_info=True)
        return None


def _is_known_place(span: Any, kb: ActorKB, countries: set[str], name_ends: set[str]) -> bool:
    """A PERSON/ORG of one or two words that the gazetteer knows as a city of 50,000 or
    more, a capital or a region, in a country the article names ("Zhanaozen", "Aktobe")."""
    words = [t for t in span if t.text not in _JOINERS]
    if not countries or len(words) > 2 or fold(span[-1].text) in name_ends:
        return False
    if any((t.lower_,) in kb.org_nouns or (t.lower_,) in kb.titles for t in span):
        return False
    gazetteer = _gazetteer()
    if gazetteer is None:
        return False
    # Transliterations too ("JANAOZEN", "Almatí"), only among the article's countries.
    found = gazetteer.lookup(span.text) or gazetteer.lookup_translit(span.text, countries)
    return any(
        c.place.country in countries
        and (c.place.population >= 50_000 or c.place.feature in _MAIN_PLACES)
        for c in found
    )


def _person_surnames(doc: Any) -> set[str]:
    """Last words that end more PERSON than ORG entities in the article ("Tokáyev", not
    "Grumman" of "Northrop Grumman")."""
    votes: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG"):
            votes[fold(ent[-1].text)] += 1 if ent.label_ == "PERSON" else -1
    return {word for word, vote in votes.items() if vote > 0}


def _is_common_noun(ent: Any, lowered: set[str]) -> bool:
    """Common nouns only: plural ones ("Groups"), or words the article also writes in
    lower case; names tagged NN by mistake ("Tokáyev") are neither."""
    words = [t for t in ent if t.lower_ not in _DETERMINERS]
    if not words or any(t.tag_ not in _NOUN_TAGS for t in words):
        return False
    if not lowered and any(t.tag_ == "NN" for t in words):
        lowered.update(t.lower_ for t in ent.doc if t.is_lower)
    return all(t.tag_ == "NNS" or t.lower_ in lowered for t in words)


def _is_person_like(doc: Any, ent: Any, kb: ActorKB, surnames: set[str]) -> bool:
    """An ORG that is a person's name: a lone word that ends more PERSON entities than ORG
    ones ("Masimov"), or capitalised words with no body noun whose last word does, or
    after a person title ("the Kazakh leader, Kasim-Zhomart Tokáyev")."""
    words = [t for t in ent if t.text not in _JOINERS]
    if len(words) == 1:
        return words[0].tag_ == "NNP" and fold(words[0].text) in surnames
    if any((t.lower_,) in kb.org_nouns for t in ent):
        return False
    if not all(t.tag_ == "NNP" for t in words):
        return False
    if fold(ent[-1].text) in surnames:
        return True
    before = ent.start - 1
    if before >= 0 and doc[before].text == ",":
        before -= 1
    title = kb.titles.get((doc[before].lower_,)) if before >= 0 else None
    return title is not None and title.type == "person"


def _of_extension(doc: Any, ent: Any, kb: ActorKB) -> int:
    """End of an ORG ending in a body noun and continued by "of (the) Name" ("the Kazakh
    Ministry" + "of the Interior"); the ORG's own end otherwise."""
    if (ent[-1].lower_,) not in kb.org_nouns:
        return int(ent.end)
    i = ent.end
    if i >= len(doc) or doc[i].lower_ != "of":
        return int(ent.end)
    i += 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    end = i
    while end < len(doc) and (doc[end].tag_ in ("NNP", "NNPS") or doc[end].text in _JOINERS):
        if doc[end].ent_type_ in ("GPE", "PERSON", "DATE"):
            break
        end += 1
    return end if end > i else int(ent.end)


def _locative_names(doc: Any, kb: ActorKB) -> set[str]:
    """Folded texts of one-word entities that stand after a locative preposition somewhere
    in the article ("arrested in Almatí") and never act (subject, possessor: "GM 's
    package", "Boeing says"), as bodies do: one name, one sense per article."""
    places, actors = set(), set()
    for ent in doc.ents:
        if len(ent) != 1 or ent.label_ not in ("ORG", "GPE", "LOC"):
            continue
        token, key = ent[0], fold(ent.text)
        after = doc[token.i + 1].text if token.i + 1 < len(doc) else ""
        if token.dep_ in ("nsubj", "nsubjpass", "poss") or after in ("'s", "’s"):
            actors.add(key)
        is_locative = token.dep_ == "pobj" and token.head.lower_ in kb.locative_prepositions
        if is_locative and token.head.head.lower_ not in kb.not_locative_heads:
            places.add(key)
    return places - actors


def appositions(doc: Any, kb: ActorKB) -> list[Found]:
    """A proper name right after a kind of organisation ("the Kazakh channel Jabar-24")."""
    out: list[Found] = []
    for token in doc[:-1]:
        kind = kb.org_nouns.get((token.lower_,))
        if kind is None or kind.sector is None or not token.is_lower:
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].tag_ in ("NNP", "NNPS") and not doc[end].ent_type_:
            if (doc[end].lower_,) in kb.titles:  # "company CEO Steve Jobs": a role
                break
            end += 1
        if end > token.i + 1:
            out.append(Found(token.i + 1, end, "ORG", "", "entities.apposition", 0.7, 2))
    return out


def bracketed_and_conjoined(doc: Any) -> list[Found]:
    """Names spaCy missed next to ones it found: an acronym in brackets after an ORG
    ("... Organization (ODKB ...)") and its other uses, and a name coordinated with a
    PERSON ("Marat Osipov and Daulet Ergozhin")."""
    out: list[Found] = []
    acronyms = set()
    for ent in doc.ents:
        after = ent.end + 1
        is_bracketed = after < len(doc) and doc[ent.end].text == "("
        if ent.label_ == "ORG" and is_bracketed and is_acronym(doc[after].text):
            acronyms.add(doc[after].text)
        if ent.label_ == "PERSON":
            root = ent.root
            for other in (*root.conjuncts,):
                left = other.left_edge.i if other.left_edge.tag_ == "NNP" else other.i
                words = doc[left : other.i + 1]
                if all(t.tag_ == "NNP" and not t.ent_type_ for t in words):
                    out.append(Found(left, other.i + 1, "PERSON", "", "entities.conjunct", 0.6, 2))
    if acronyms:
        out += [Found(t.i, t.i + 1, "ORG", "", "entities.acronym", 0.7, 2)
                for t in doc if t.text in acronyms and not t.ent_type_]  # fmt: skip
    return out


def resolve(doc: Any, kb: ActorKB, candidates: list[Found]) -> list[Found]:
    """Non-overlapping entities: a KB match inside a larger spaCy name keeps the larger
    span when the rest is only determiners, demonyms or body nouns ("the Kazakh National
    Security Committee"), or when the KB match is a country or demonym ("the Fair Russia
    party"); otherwise priority, then length, wins."""
    spacy_names = [f for f in candidates if f.priority == 1]
    kept: list[Found] = []
    for f in candidates:
        if f.priority != 3:
            continue
        outer = next((s for s in spacy_names if s.start <= f.start and f.end <= s.end
                      and (s.end - s.start) > (f.end - f.start)), None)  # fmt: skip
        if outer is None:
            kept.append(f)
        elif _only_modifiers(doc, kb, outer, f):
            kept.append(Found(outer.start, outer.end, f.label, f.kb_id, f.rule, f.confidence, 4))
        elif _kind(f.kb_id) in ("country", "demonym"):
            continue  # a modifier of the larger name, which stays
        else:
            kept.append(f)
    order = sorted(kept + [f for f in candidates if f.priority != 3],
                   key=lambda f: (-f.priority, -(f.end - f.start), f.start))  # fmt: skip
    taken: set[int] = set()
    chosen: list[Found] = []
    for f in order:
        if not taken.intersection(range(f.start, f.end)):
            chosen.append(f)
            taken.update(range(f.start, f.end))
    return sorted(chosen, key=lambda f: f.start)


def _only_modifiers(doc: Any, kb: ActorKB, outer: Found, inner: Found) -> bool:
    if inner.label != "ORG":
        return False
    rest = [doc[i] for i in range(outer.start, outer.end) if not inner.start <= i < inner.end]
    return all(
        t.lower_ in _DETERMINERS
        or t.text in ("'s", "’s")
        or kb.countries.of_demonym(t.text) is not None
        or (t.lower_,) in kb.org_nouns
        for t in rest
    )


def set_entities(doc: Any, chosen: list[Found]) -> None:
    """Write `chosen` as `doc.ents` and their evidence into `doc.user_data`."""
    spans = [SpacySpan(doc, f.start, f.end, label=f.label, kb_id=f.kb_id) for f in chosen]
    doc.set_ents(spans, default="outside")
    doc.user_data[EVIDENCE] = {
        (s.start_char, s.end_char): (f.rule, f.confidence)
        for s, f in zip(spans, chosen, strict=True)
    }


def match_titles(doc: Any, kb: ActorKB) -> Iterator[tuple[int, int, Title]]:
    """Longest role noun at each token outside names: (start, end, title) over tokens
    ("co - president" matches "co-president"; the last word must be a noun)."""
    i, n = 0, len(doc)
    while i < n:
        best: tuple[int, Title] | None = None
        words: tuple[str, ...] = ()
        j = i
        while j < n and doc[j].ent_type_ not in NAME_LABELS:
            if doc[j].text in _JOINERS and words:
                j += 1
                continue
            words += (doc[j].lower_,)
            if words not in kb.title_prefixes:
                break
            j += 1
            title = kb.titles.get(words)
            if title is not None and doc[j - 1].tag_ in _ALL_NOUN_TAGS:
                best = (j, title)
        if best is None:
            i += 1
        else:
            yield i, best[0], best[1]
            i = best[0]


def entity_evidence(doc: Any, span: Any) -> tuple[str, float]:
    """(rule, confidence) of an entity span of the corrected layer."""
    found = doc.user_data.get(EVIDENCE, {}).get((span.start_char, span.end_char))
    return found if found else ("entities.spacy", 0.6)


@register("entities", requires=("tagger", "parser", "ner"))
def extract_entities(parsed: ParsedArticle, records: ArticleRecords) -> ArticleRecords:
    """Correct `parsed.doc.ents` in place; adds no records."""
    doc = parsed.doc
    kb = configured_kb()
    matches = kb_matches(doc, kb)
    named = {_country_of(f.kb_id) for f in matches if _kind(f.kb_id) in ("country", "demonym")}
    countries = {c.iso2 for c in map(kb.countries.coded, filter(None, named)) if c}
    candidates = matches + appositions(doc, kb) + bracketed_and_conjoined(doc)
    candidates += corrected_spacy(doc, kb, countries)
    set_entities(doc, resolve(doc, kb, candidates))
    return records
