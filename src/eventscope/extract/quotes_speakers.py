"""Who a quotation's speaker and addressee are: the actor a subject, pronoun, title or
spokesman stands for, across sentences when the sentence does not say."""

from __future__ import annotations

from typing import Any

from eventscope.kb.quotes import QuotesLexicon
from eventscope.lang.en.grammar import NOMINAL_SUBJECTS, NOUN_CLAUSES, prep_objects
from eventscope.lang.en.lexicon import word_map, words

from .events_build import Context

_PRONOUNS = words("function_words", "speaker_pronouns")
_AS_SUBJECT = word_map("function_words", "subject_forms")
_RELATIVE_PRONOUNS = words("function_words", "relative_pronouns")
BACK_SENTENCES = 3  # how far back a pronoun's antecedent is looked for
# ... and at most this many tokens: three news sentences are about 90 words, and an
# unbounded window made text without sentence breaks quadratic (8,000 "He said": 11 s).
BACK_TOKENS = 250
# Speaking verbs and nouns whose "with"/"to" phrase names who was spoken to.
_SPEAKING = words("quotes", "speaking_words")


def phrase(token: Any) -> tuple[int, int]:
    """The token range of a speaker's noun phrase, without relative or participial
    clauses and the punctuation at its edges ("The co-president of the party, Sergey
    Mironov")."""
    start, end = token.left_edge.i, token.right_edge.i + 1
    for child in token.children:
        if child.dep_ in NOUN_CLAUSES and child.i > token.i:
            end = min(end, child.left_edge.i)
    doc = token.doc
    opening = next((t.i for t in doc[start:end] if t.text == "("), None)
    if (
        opening is not None
        and opening > token.i
        and not any(t.text == ")" for t in doc[opening:end])
    ):
        end = opening  # "Deputies of the Duma (Lower House ...": not half a parenthesis
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].lower_ == "who"):
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start, end


def speaker_actor(ctx: Context, head: Any, lexicon: QuotesLexicon) -> str | None:
    """The actor a speaker's head word stands for: its own or its phrase's actor (the
    body a spokesman speaks for), the antecedent of a relative or personal pronoun."""
    if head.lower_ in _RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        head = head.head.head  # "Mironov, who said ..."
    for child in head.children:  # "the Russian agency Interfax"
        if child.dep_ == "appos" and child.i in ctx.actors.by_token:
            return ctx.actors.by_token[child.i]
    body = _body_spoken_for(ctx, head, lexicon)
    if body is not None:
        return body
    found = ctx.actors.of(head)
    if found:
        return found[0]
    if head.lower_ in _PRONOUNS:
        return antecedent(ctx, head)
    return None


def _body_spoken_for(ctx: Context, head: Any, lexicon: QuotesLexicon) -> str | None:
    """The organization or country in the "of"/"for" phrase of a spokesman word:
    "deputies of the Duma", "a spokesman for the Interior Ministry"."""
    if head.lemma_.lower() not in lexicon.spokesmen:
        return None
    for pobj in prep_objects(head, ("of", "for")):
        for actor in ctx.actors.of(pobj):
            if ctx.actors.kind(actor) in ("organization", "country"):
                return actor
    return None


def antecedent(ctx: Context, pronoun: Any) -> str | None:
    """The actor a personal or possessive pronoun refers to: within a few sentences back,
    the nearest agreeing actor that is a subject, else the nearest agreeing one."""
    form = _AS_SUBJECT.get(pronoun.lower_, pronoun.lower_)
    sentence = ctx.sentence_of[pronoun.i]
    first = max(ctx.sentences[max(0, sentence - BACK_SENTENCES)].start, pronoun.i - BACK_TOKENS)
    nearest: str | None = None
    for i in range(pronoun.i - 1, first - 1, -1):
        actor = ctx.actors.by_token.get(i)
        if actor is None or not ctx.actors.agrees(actor, form):
            continue
        if ctx.tokens[i].dep_ in NOMINAL_SUBJECTS:
            return actor
        nearest = nearest or actor
    return nearest


def addressee(ctx: Context, cue: Any, speaker: str | None) -> str | None:
    """Who the statement was made to: the object of "told", the "to" phrase of the cue,
    or the "with"/"to" phrase of a speaking word hanging from it ("speaking by phone with
    the President of the European Council")."""
    heads: list[Any] = []
    if cue.lemma_ == "tell":
        heads += [c for c in cue.children if c.dep_ in ("dobj", "dative")]
    heads += prep_objects(cue, ("to",))
    for child in cue.children:
        if child.dep_ in ("advcl", "xcomp", "prep", "conj") and child.i > cue.i:
            speaking = [child, *prep_objects(child, ("in", "during", "by"))]
            for word in speaking:
                if word.lemma_.lower() in _SPEAKING:
                    heads += prep_objects(word, ("with", "to"))
    for head in heads:
        for actor in ctx.actors.of(head):
            if actor != speaker:
                return actor
    return None


_NOBODY = words("function_words", "nobody_words")


def unsaid(cue: Any, speaker: Any | None) -> bool:
    """A negated cue or a speaker who is nobody: what was not said is no statement
    ("did not publish the figure", "would not say whether", "Nobody has explained")."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    if speaker is None:
        return False
    if speaker.lower_ in _NOBODY:
        return True
    return speaker.lower_ == "one" and any(c.lower_ == "no" for c in speaker.children)
