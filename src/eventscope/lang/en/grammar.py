"""English grammar for the rules that read arguments from the parse: the dependency
labels of spaCy's English models (ClearNLP style: `nsubj`, `nsubjpass`, `dobj`, `pobj`,
`agent`), their Penn Treebank tags and OntoNotes entity labels, as named sets, and small
functions over a token's children (subjects, objects, the passive agent, prepositional
objects, clause complements). A language pack for another parser scheme (Universal
Dependencies: `nsubj:pass`, `obl`) writes its own module with the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

# Dependency labels --------------------------------------------------------------------

SUBJECTS = frozenset({"nsubj", "csubj"})  # active subjects, nominal or clausal
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
NOMINAL_SUBJECTS = frozenset({"nsubj", "nsubjpass"})  # a noun phrase as subject, either voice
OBJECTS = frozenset({"dobj", "dative", "obj"})  # direct and indirect objects
DIRECT_OBJECTS = frozenset({"dobj", "obj"})
COMPLEMENTS = frozenset({"ccomp", "xcomp"})  # clause complements: "said that", "agreed to"
CONTENT_CLAUSES = frozenset({"ccomp", "parataxis"})  # what a cue verb says
NOUN_CLAUSES = frozenset({"relcl", "acl"})  # clauses that modify a noun
NP_MODIFIERS = frozenset({"compound", "amod", "nmod"})  # words inside a noun phrase
PREMODIFIERS = frozenset({"compound", "amod"})  # "peacekeeping troops", "military aid"
# the learned event review reads these children and clauses (extract/events_learned.py)
LEARNED_ARG_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "obj", "agent", "pobj", "attr", "dative"}
)
LEARNED_CLAUSE_DEPS = frozenset(
    {"relcl", "advcl", "acl", "ccomp", "xcomp", "pcomp", "conj", "amod", "compound"}
)
MODIFIERS = frozenset({"appos", "compound", "amod", "nmod", "poss"})  # ... and its possessor
TITLE_MODIFIERS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "case"})
AUXILIARIES = frozenset({"aux", "auxpass"})
PREPOSITIONS = frozenset({"prep", "agent"})  # "agent": the "by" of a passive
# Verbs that share their head's subject: "agreed to send", "were arrested and charged".
CONTROL = frozenset({"xcomp", "conj", "advcl", "acomp"})
# Clauses below the main one (and the phrases a clause can hang from), for clause depth.
CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "pcomp", "prep", "pobj"})
# A country acts when it is a subject, an object, a possessor or a dative.
AGENT_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "dative"})
# The dependents of a verb that may be a victim number's noun phrase.
VICTIM_ARGUMENTS = frozenset(
    {"nsubjpass", "csubjpass", "nsubj", "dobj", "obj", "dative", "oprd", "attr"}
)
# Words that make a verb unreal or negated: auxiliaries, adverbs, negation.
UNREAL_DEPS = frozenset({"aux", "advmod", "neg"})

# Penn Treebank tags ------------------------------------------------------------------

COMMON_NOUN_TAGS = frozenset({"NN", "NNS"})
PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})
NOUN_TAGS = COMMON_NOUN_TAGS | PROPER_NOUN_TAGS
PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})
# Leading words of a title phrase that are not part of the role ("the", "two", "his").
NOT_ROLE_TAGS = frozenset({"DT", "CD", "PRP$", "PDT"})
# Tags that continue a noun phrase after "of" ("of the Fair Russia party").
PHRASE_TAGS = frozenset({"DT", "JJ", "NN", "NNS", "NNP", "NNPS", "CD", "POS", "HYPH", "PRP$"})

# OntoNotes entity labels (spaCy's English models) ---------------------------------------

# Names the knowledge base can give an identity to.
KB_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})
# Entities that are names, not events: a trigger word inside one is no trigger.
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}
)
# Names that are not places (a gazetteer match inside one is no place).
NOT_PLACE_LABELS = frozenset({"NORP", "ORG", "PERSON", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"})
# Numbers that count something else than people.
NOT_COUNT_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY"})
# Names a number can be part of ("Apollo 11", "Chapter 9 of the Law", "Route 66").
NUMBERED_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "GPE", "LOC", "EVENT", "NORP"}
)
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})  # "according to" a named source
COUNTRY_LABELS = frozenset({"NORP", "GPE", "LOC"})  # a demonym or a country's name
ORG_NAME_LABELS = frozenset({"NORP", "GPE", "ORG", "LOC"})  # names inside a title phrase
# The actor type an entity label names.
ACTOR_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "country", "LOC": "country"}
# The entity label of each kind of knowledge-base entry.
KB_KIND_LABELS = {"person": "PERSON", "org": "ORG", "country": "GPE", "demonym": "NORP"}


# Functions over a token's children -----------------------------------------------------


def children(token: Any, labels: frozenset[str]) -> list[Any]:
    """The token's children whose dependency label is one of `labels`."""
    return [c for c in token.children if c.dep_ in labels]


def subjects(verb: Any) -> list[Any]:
    """The active subjects of a verb ("Russia sent troops" -> Russia)."""
    return children(verb, SUBJECTS)


def passive_subjects(verb: Any) -> list[Any]:
    """The passive subjects of a verb ("troops were sent" -> troops)."""
    return children(verb, PASSIVE_SUBJECTS)


def objects(verb: Any) -> list[Any]:
    """The direct and indirect objects of a verb ("sent Kazakhstan troops")."""
    return children(verb, OBJECTS)


def prep_objects(token: Any, preps: Iterable[str]) -> list[Any]:
    """The objects of the token's prepositions among `preps` ("aid to Serbia" -> Serbia;
    a passive's "by" phrase too)."""
    wanted = set(preps)
    return [
        grandchild
        for child in token.children
        if child.dep_ in PREPOSITIONS and child.lower_ in wanted
        for grandchild in child.children
        if grandchild.dep_ == "pobj"
    ]


def agents(verb: Any) -> list[Any]:
    """The passive agents of a verb ("arrested by the police" -> police)."""
    return prep_objects(verb, ("by",))


def complements(verb: Any) -> list[Any]:
    """The clause complements of a verb ("said that ...", "agreed to ...")."""
    return children(verb, COMPLEMENTS)


def conjuncts(token: Any) -> Iterator[Any]:
    """The token and the words conjoined to it ("Russia and Belarus"), depth first
    (with a stack: a chain of a thousand "and"s is too deep to recurse)."""
    stack = [token]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed([c for c in node.children if c.dep_ == "conj"]))
