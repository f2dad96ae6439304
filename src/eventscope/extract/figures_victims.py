"""Who a verb says was killed, injured, arrested or went missing: the phrase a kind verb
happens to (the object of "kill", the subject of "were killed" or "died"), and the people
named without a number ("a 23-year-old man was shot", "Swift ... died"), told apart to
count them ("a man and a boy were shot": two; "shot, later died": one killed).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from eventscope.kb.events import event_lexicon
from eventscope.kb.figures import VICTIM_KINDS, FiguresLexicon, Kind, figures_lexicon
from eventscope.lang.en.grammar import (
    DIRECT_OBJECTS,
    NOMINAL_SUBJECTS,
    OBJECTS,
    UNREAL_DEPS,
    VICTIM_ARGUMENTS,
    conjuncts,
    prep_objects,
)
from eventscope.lang.en.lexicon import word_list, words
from eventscope.nlp.view import view

from .events_build import Context


def verbs_around(verb: Any) -> set[str]:
    """A verb's lemma with its conjoined verbs' ("shot and killed", "shot, later died"),
    its predicative adjectives and adverbs ("found dead", "fatally shot") and result
    phrases ("shot to death", "left in critical condition", "taken into custody")."""
    lemmas = {verb.lemma_.lower()}
    shared = [
        c
        for c in verb.children
        if c.dep_ == "conj"
        and c.pos_ == "VERB"
        and not any(g.dep_ in NOMINAL_SUBJECTS for g in c.children)
    ]  # not "were injured and 40 were killed": that verb has its own subject
    lemmas |= {c.lemma_.lower() for c in shared}
    # "had been shot and was pronounced dead": the conjoined verb's predicate too
    lemmas |= {g.lower_ for c in shared for g in c.children if g.dep_ in ("acomp", "oprd")}
    lemmas |= {c.lower_ for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp", "advmod")}
    # A result phrase is the victim's own state ("in critical condition", "to the
    # hospital"); one that belongs to others names their fate: "charged in the family's
    # deaths", "convicted in the deaths of two officers".
    lemmas |= {g.lower_ for g in prep_objects(verb, ("to", "in", "into")) if not _owned(g)}
    return lemmas


def _owned(noun: Any) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in noun.children)


def victim_verb(node: Any, lexicon: FiguresLexicon) -> tuple[Kind, Any] | None:
    """The kind a verb gives the phrase headed by `node` when the phrase is what the verb
    happens to: the object of "kill", the subject of "were killed" or "died"."""
    head = node.head
    dep = node.dep_
    while dep == "conj" and head.pos_ in ("NOUN", "NUM", "PRON", "PROPN") and head.i != head.head.i:
        dep, head = head.dep_, head.head
    if dep == "pobj" and head.lower_ in ("of", "among") and head.head.pos_ in ("NUM", "PRON"):
        return victim_verb(head.head, lexicon)  # "five of them were killed"
    if head.pos_ not in ("VERB", "AUX") or head.i == node.i:
        return None
    lemmas = verbs_around(head)
    passive = dep in ("nsubjpass", "csubjpass")
    if passive or dep in OBJECTS or dep == "oprd":
        kind = lexicon.by_verbs_or_words(lemmas)
    elif dep in ("nsubj", "attr"):
        # An active subject is the doer ("gunmen killed three"), unless the verb is one
        # that happens to its subject: "died", "went missing", "were dead", "lost their
        # lives".
        kind = by_words(lemmas, lexicon) or intransitive(lemmas, lexicon)
        if (
            kind is None
            and head.lemma_ == "lose"
            and any(
                c.dep_ == "dobj" and c.lemma_.lower() in ("life", "live") for c in head.children
            )
        ):
            kind = lexicon.kind("killed")
    else:
        return None
    return (kind, head) if kind is not None else None


_PERSON_SUFFIXES = word_list("figures", "person_suffixes")


def is_person(token: Any, lexicon: FiguresLexicon, *, guess: bool = False) -> bool:
    """A noun that names people: the lexicon's, a person's name, a pronoun that counts
    ("them", "others"), one with an age ("a 23-year-old"), or, with `guess`, a role noun
    by its ending ("waitress", "homeowner", "clerk" is listed)."""
    lemma = token.lemma_.lower()
    if lemma in lexicon.person_nouns or token.ent_type_ == "PERSON" or token.lower_ in _PRONOUNS:
        return True
    if any(c.lower_ == "old" or c.lower_.endswith("-old") for c in token.children):
        return True
    return guess and token.pos_ == "NOUN" and lemma.endswith(_PERSON_SUFFIXES)


_PRONOUNS = words("function_words", "counting_pronouns")


def by_words(lemmas: set[str], lexicon: FiguresLexicon) -> Kind | None:
    return next((k for k in lexicon.kinds if k.words & lemmas), None)


_HAPPENS_TO_SUBJECT = words("figures", "happens_to_subject")


def intransitive(lemmas: set[str], lexicon: FiguresLexicon) -> Kind | None:
    return lexicon.by_verbs(lemmas & _HAPPENS_TO_SUBJECT)


_SINGULAR_PRONOUNS = words("function_words", "singular_pronouns")
_ANOTHER = words("function_words", "another_words")
_UNREAL = words("function_words", "unreal_words")


def _single_victim(ctx: Context, token: Any, lexicon: FiguresLexicon) -> tuple[Kind, Any] | None:
    """The kind of what happens to one person named without a number: "a man was shot",
    "police arrested a 23-year-old", "Swift ... died", "he was pronounced dead"."""
    if token.tag_ not in ("NN", "NNP", "PRP") or any(c.dep_ == "nummod" for c in token.children):
        return None
    lower = token.lower_
    if token.pos_ == "PRON":
        if lower not in _SINGULAR_PRONOUNS:
            return None
    elif token.ent_type_ == "PERSON":
        following = ctx.tokens[token.i + 1] if token.i + 1 < len(ctx.tokens) else None
        if following is not None and following.ent_type_ == "PERSON":
            return None  # one figure per name: its last word
    elif not is_person(token, lexicon, guess=True):
        return None
    if lower in ("one", "other", "more"):
        return None
    found = (
        victim_verb(token, lexicon)
        or _headline_victim(ctx, token, lexicon)
        or _participle_victim(token, lexicon)
    )
    if found is None or found[0].name not in VICTIM_KINDS:
        return None
    if found[0].name == "injured":
        for clause in (c for c in token.children if c.dep_ == "relcl"):
            later = lexicon.by_verbs_or_words(verbs_around(clause))
            if later is not None and later.name == "killed":
                return later, clause  # "shot the 18-year-old man who died at the scene"
    verb = found[1]
    verbs = [verb, verb.head] if verb.dep_ == "conj" else [verb]
    if any(c.dep_ in UNREAL_DEPS and c.lower_ in _UNREAL for v in verbs for c in v.children):
        return None  # "was not injured", "threatened to kill him", "possibly killing"
    if found[0].name == "injured" and any(
        c.dep_ == "prep" and c.lower_ == "at" for c in verb.children
    ):
        return None  # "shot at" hits no one
    return found


_FINDING = words("figures", "finding_verbs")


def _headline_victim(ctx: Context, token: Any, lexicon: FiguresLexicon) -> tuple[Kind, Any] | None:
    """In a headline, a subject before a bare participle is what it happened to: "Man
    shot, killed on Detroit's west side", "Woman stabbed in Queens" (the headline is the
    first line when it has no full stop; the parse may run it into the next line); so
    is one after a verb of finding ("found a man shot in the leg")."""
    verb = token.head
    first_break = ctx.text.find("\n")
    line = ctx.text[: first_break if first_break >= 0 else len(ctx.text)]
    headline = token.idx < len(line) and not line.rstrip().endswith(".")
    # "officers found a man shot in the leg": the parse reads a small clause as active
    found = verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in _FINDING
    if token.dep_ != "nsubj" or not (headline or found):
        return None
    if verb.tag_ not in ("VBN", "VBD") or any(c.dep_ in OBJECTS for c in verb.children):
        return None
    lemmas = verbs_around(verb)
    lemmas |= {c.lemma_.lower() for c in verb.children if c.dep_ in ("advcl", "conj")}
    kind = lexicon.by_verbs_or_words(lemmas)
    return (kind, verb) if kind is not None else None


def _participle_victim(token: Any, lexicon: FiguresLexicon) -> tuple[Kind, Any] | None:
    """A person a participle after it says something happened to: "a man shot by police
    was taken to hospital", "a teen shot dead" (a reduced relative clause)."""
    for clause in token.children:
        if clause.dep_ == "acl" and clause.tag_ == "VBN" and clause.i > token.i:
            kind = lexicon.by_verbs_or_words(verbs_around(clause))
            if kind is not None:
                return kind, clause
    return None


def _referent(ctx: Context, token: Any, last: str | None) -> str:
    """Who a single victim is, to tell one victim from two: the actor of its mention,
    else the one before for a pronoun, else one unnamed person unless "another" or
    coordinated with another victim ("a man and a boy were shot")."""
    actor = ctx.actors.by_token.get(token.i)
    if actor is not None:
        return actor
    if token.pos_ == "PRON":
        return last or "someone"
    coordinated = token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children)
    if coordinated or any(c.lower_ in _ANOTHER for c in token.children):
        return f"other@{token.i}"
    return "someone"


@dataclasses.dataclass(frozen=True, slots=True)
class Victim:
    """One person a verb says was killed, injured, arrested or went missing."""

    head: Any
    kind: Kind
    verb: Any
    referent: str


def _arguments(ctx: Context, lexicon: FiguresLexicon) -> tuple[list[Any], list[Any]]:
    """The subjects and objects (with their conjuncts) of the verbs a kind word is, or
    is the predicate, adverb or result phrase of ("found dead", "shot to death"), in text
    order: the places a single victim is named; and, from the same pass over the tokens,
    the wound nouns ("a gunshot wound") whose holder is one."""
    words = lexicon.victim_words
    verbs: set[int] = set()
    wounds: list[Any] = []
    v = view(ctx.doc)
    for i, lemma in enumerate(v.lemmas):
        if lemma in words or v.lowers[i] in words:
            verbs.update((i, v.heads[i], v.heads[v.heads[i]]))
        if v.lemma_lowers[i] in _WOUNDS and v.pos[i] == "NOUN":
            wounds.append(ctx.tokens[i])
    found: dict[int, Any] = {}
    for i in verbs:
        for child in ctx.tokens[i].children:
            if child.dep_ in VICTIM_ARGUMENTS:
                found.update((t.i, t) for t in conjuncts(child))
    return [found[i] for i in sorted(found)], wounds


_WOUNDS = words("figures", "wound_nouns")
_HAVING = words("figures", "having_verbs")


def _wounded(wound: Any, lexicon: FiguresLexicon) -> Any | None:
    """The one person a wound noun is had by: "a man with a gunshot wound", "was found
    with a gunshot wound", "had suffered a gunshot wound", "left a man with injuries";
    not "no injuries", "without injury", nor a number of wounds ("six wounds")."""
    if any(c.lower_ in ("no", "any") or c.dep_ == "nummod" for c in wound.children):
        return None
    head = wound.head
    candidates: list[Any] = []
    if wound.dep_ == "pobj" and head.lower_ in ("with", "from"):
        holder = head.head
        if holder.pos_ in ("NOUN", "PROPN", "PRON") and head.lower_ == "with":
            candidates.append(holder)
        elif holder.pos_ == "VERB":  # "was found with", "left a man with"
            candidates += [c for c in holder.children if c.dep_ in ("nsubjpass", "dobj")]
            if holder.dep_ == "acl":  # "a man suffering from a gunshot wound"
                candidates.append(holder.head)
    elif wound.dep_ in DIRECT_OBJECTS and head.lemma_.lower() in _HAVING:
        candidates += [c for c in head.children if c.dep_ == "nsubj"]
    for person in candidates:
        if person.pos_ == "PRON" and person.lower_ not in _SINGULAR_PRONOUNS:
            continue
        if person.pos_ != "PRON" and not is_person(person, lexicon, guess=True):
            continue
        if any(c.dep_ == "nummod" and c.lower_ not in ("one", "1") for c in person.children):
            continue  # "two men with gunshot wounds": the count's own figure
        return person
    return None


def single_victims(ctx: Context, lexicon: FiguresLexicon, used: set[int]) -> list[Victim]:
    """Single victims of the article. One shot who later died is killed, not also
    injured; in a report of a killing, "X was shot" tells how, not of a survivor, unless
    the words say wounded, injured, hospitalised or in what condition."""
    found: list[Victim] = []
    last: str | None = None
    arguments, wounds = _arguments(ctx, lexicon)
    for token in arguments:
        if token.i in used:
            continue
        victim = _single_victim(ctx, token, lexicon)
        if victim is None:
            continue
        last = _referent(ctx, token, last)
        found.append(Victim(token, victim[0], victim[1], last))
    heads = {v.head.i for v in found} | used
    injured = lexicon.kind("injured")
    for wound in wounds:
        person = _wounded(wound, lexicon)
        if person is not None and person.i not in heads:
            heads.add(person.i)
            found.append(Victim(person, injured, wound, _referent(ctx, person, last)))
    found.sort(key=lambda v: v.head.i)
    killed = {v.referent for v in found if v.kind.name == "killed"}
    if not killed:
        return found
    return [
        v
        for v in found
        if v.kind.name != "injured"
        or (
            v.referent not in killed
            and "someone" not in killed
            and _says_injured(v.verb, lexicon.kind("injured"))
        )
    ]


def _says_injured(verb: Any, injured: Kind) -> bool:
    """Whether the words say an injury, not only a shooting ("shot" tells how)."""
    return bool(verbs_around(verb) & (injured.verbs | injured.words) - {"shoot"})


def tallies(ctx: Context, victims: list[Victim]) -> list[tuple[list[Victim], Kind]]:
    """Victims of one kind in one sentence who are different people ("a 22-year-old man
    and a 16-year-old boy were shot"): each group counts them together."""
    groups: dict[tuple[int, str], list[Victim]] = {}
    for victim in victims:
        key = (ctx.sentence_of[victim.head.i], victim.kind.name)
        group = groups.setdefault(key, [])
        if all(v.referent != victim.referent for v in group):
            group.append(victim)
    return [(group, group[0].kind) for group in groups.values() if len(group) > 1]


HARMED = frozenset({"killed", "injured", "missing"})


def people_or_acts(noun: Any) -> bool:
    """Whether a plural noun counts people or acts, the only counts that are figures:
    "six protesters", "40 raids"; not "55 tackles", "three sacks", "six countries"."""
    lemma = noun.lemma_.lower()
    if is_person(noun, figures_lexicon(), guess=True):
        return True
    return (lemma, "NOUN") in event_lexicon().triggers


_PLAIN_PEOPLE = words("figures", "plain_people")


def victim_group(counted: Any, amount: Any) -> str | None:
    """Who a figure counts when the text names them: the plural noun of its phrase
    ("13 airmen", "dozens of protesters", "26 armed attackers"); None for plain
    "people" or a bare number."""
    if counted.i == amount.last or counted.tag_ not in ("NNS", "NNPS"):
        return None
    if counted.lemma_.lower() in _PLAIN_PEOPLE or counted.lower_ in _PLAIN_PEOPLE:
        return None
    modifiers = [c.lower_ for c in counted.children
                 if c.dep_ in ("compound", "amod") and amount.end <= c.i < counted.i]  # fmt: skip
    return " ".join([*modifiers, counted.lower_])
