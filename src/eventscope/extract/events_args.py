"""Arguments of an event trigger from the dependency parse: its source and target actors
(active and passive voice, "by" phrases, coordination, appositions, relative and
participial clauses, control verbs, possessors and "of" phrases of event nouns), the
date and place that belong to it, and its modality."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from eventscope.kb.events import STANCE_TYPES, EventLexicon, Trigger
from eventscope.lang.en.grammar import (
    CLAUSES,
    COMPLEMENTS,
    CONTROL,
    NOUN_CLAUSES,
    OBJECTS,
    PREMODIFIERS,
    agents,
    objects,
    passive_subjects,
    prep_objects,
    subjects,
)
from eventscope.lang.en.lexicon import words

from .article_index import PLACE_PREPS

# Verbs whose subject does not do what their object noun names ("troops face the protests").
_NOT_AGENT_VERBS = words("events", "not_agent_verbs")


def _clause_subject(verb: Any) -> tuple[list[Any], bool]:
    """The subject heads of a verb, climbing through control and coordination ("agreed
    to send", "were arrested and charged"); and whether the subject is passive."""
    seen = 0
    while verb is not None and seen < 4:
        active = subjects(verb)
        passive = passive_subjects(verb)
        if len(active) > 1:  # two subjects in a garbled parse: the one nearest the verb
            active = [min(active, key=lambda c: abs(c.i - verb.i))]
        if active or passive:
            return (active or passive), bool(passive) and not active
        if verb.dep_ in CONTROL and verb.head.i != verb.i:
            verb, seen = verb.head, seen + 1
        elif verb.dep_ in NOUN_CLAUSES and verb.head.i != verb.i:
            # "protesters who stormed ...", "troops deployed in Kazakhstan"
            return [verb.head], verb.tag_ == "VBN"
        else:
            break
    return [], False


def verb_arguments(
    verb: Any, trigger: Trigger, clause_targets: frozenset[str] = frozenset()
) -> tuple[list[Any], list[Any]]:
    """(source heads, target heads) of a verb trigger; for the types in `clause_targets`
    with no object, the subject of the clause the verb governs is a target."""
    heads, passive = _clause_subject(verb)
    direct = objects(verb)
    targets = direct + prep_objects(verb, trigger.target_preps)
    if len(trigger.lemmas) > 1:  # "held their first meeting with President Obama"
        for noun in (o for o in direct if o.lemma_ == trigger.lemmas[-1]):
            targets += prep_objects(noun, trigger.target_preps)
    sources = prep_objects(verb, trigger.source_preps)
    if passive:
        sources, targets = sources + agents(verb), targets + heads
    else:
        sources = sources + heads
    if not direct and trigger.type in clause_targets:
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            targets += subjects(clause)
    return sources, targets


_OBJECT_PREPS = words("function_words", "target_preps")


def fallback_targets(trigger_token: Any, trigger: Trigger, lexicon: EventLexicon) -> list[Any]:
    """Where the target of an event whose arguments name no target may be, nearest
    first: the prepositions of the trigger and of its object ("halted aid to Serbia",
    "suspended trade with India", "filed a lawsuit against Myanmar"), the object's
    possessor ("condemned North Korea's launch"); for a stance, also who made the offer
    or demand it answers ("rejected an offer from Afghanistan") and the objects of the
    act it is about ("threatened to raise tariffs on Chinese goods"); for a threat, who
    must meet its condition ("... unless Baghdad accepts")."""
    stance = trigger.type in STANCE_TYPES or trigger.type == "CONCEDE"
    preps = _OBJECT_PREPS | trigger.target_preps | ({"from", "by"} if stance else set())
    heads: list[Any] = prep_objects(trigger_token, _OBJECT_PREPS | trigger.target_preps)
    if trigger_token.pos_ == "NOUN":
        nouns = prep_objects(trigger_token, ("of",))
    else:
        nouns = objects(trigger_token)
    if trigger.type in STANCE_TYPES:
        for clause in (c for c in trigger_token.children if c.dep_ == "xcomp"):
            inner = objects(clause)
            nouns += inner
            heads += inner + prep_objects(clause, preps)
    for noun in nouns:
        heads += [c for c in noun.children if c.dep_ == "poss"]
        heads += prep_objects(noun, preps)
    if trigger.type == "THREATEN":
        clauses = [trigger_token, *(c for c in trigger_token.children if c.dep_ == "xcomp")]
        for clause in _conditions(clauses, lexicon.condition_words):
            heads += subjects(clause)
    return heads


def _conditions(clauses: Iterable[Any], words: frozenset[str]) -> list[Any]:
    """The conditional clauses ("unless ...", "if ...") hanging from these clauses."""
    return [
        c
        for clause in clauses
        for c in clause.children
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in words for m in c.children)
    ]


def noun_arguments(
    noun: Any, trigger: Trigger, triggers: frozenset[int] = frozenset()
) -> tuple[list[Any], list[Any]]:
    """(source heads, target heads) of an event noun: its possessor and "of" phrase as
    the trigger says, "by" phrases, target prepositions, and the subject of a light verb
    it is the object of ("the CSTO launched a mission") or the agent of one it is the
    passive subject of ("the bombing was carried out by al-Shabaab"), unless that verb is
    another event's trigger (`triggers`) or one whose subject opposes the event ("faced
    the protests")."""
    roles: dict[str, list[Any]] = {"source": [], "target": []}
    for child in noun.children:
        if child.dep_ == "poss":
            roles[trigger.noun_poss].append(child)
        elif child.dep_ == "compound" and child.ent_type_:
            roles["source"].append(child)  # "police crackdown", "NATO strikes"
    roles[trigger.noun_of].extend(prep_objects(noun, ("of",)))
    roles["source"].extend(prep_objects(noun, ("by", *trigger.source_preps)))
    roles["target"].extend(prep_objects(noun, trigger.target_preps))
    for child in noun.children:  # "the arrest in Almaty of a Kyrgyz citizen"
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                roles[trigger.noun_of].extend(prep_objects(pobj, ("of",)))
    verb = clause_verb(noun)
    agentive = verb is not None and verb.lemma_.lower() not in _NOT_AGENT_VERBS
    if verb is not None and agentive and verb.i not in triggers and _in_object(noun, verb):
        # "the CSTO launched a mission", "the UN will provide 25,000 tons of food aid to
        # refugees": the verb's subject does what the noun names, to its recipient.
        heads, passive = _clause_subject(verb)
        if not passive:
            roles["source"].extend(heads)
            roles["target"].extend(c for c in verb.children if c.dep_ == "dative")
            roles["target"].extend(prep_objects(verb, ("to", *trigger.target_preps)))
    light = noun.head  # "the bombing was carried out by al-Shabaab": its agent does it
    if (
        noun.dep_ == "nsubjpass"
        and light.i not in triggers
        and light.lemma_.lower() not in _NOT_AGENT_VERBS
    ):
        for agent in (c for c in light.children if c.dep_ == "agent"):
            roles["source"].extend(g for g in agent.children if g.dep_ == "pobj")
    return roles["source"], roles["target"]


_TIME_LABELS = frozenset({"DATE", "TIME"})


def object_lemmas(verb: Any) -> frozenset[str]:
    """The lemmas of a verb's object phrases, without their clauses ("sent 700 kg of
    medicine to Bam" -> kg, of, medicine); for a passive verb, its subject's ("arms were
    sent"). An object noun's entity label comes as "ent:label", and "head:propn" when it
    is a name whatever its label (lower case, as the lexicon's object classes are read)."""
    found: set[str] = set()
    if verb.pos_ == "NOUN":  # "the deployment of NATO peacekeeping troops"
        stack = [c for c in verb.children if c.dep_ in PREMODIFIERS]
        stack += prep_objects(verb, ("of",))
    else:
        stack = [c for c in verb.children if c.dep_ in OBJECTS | {"nsubjpass"}]
        if not stack:  # a lone object spaCy reads as a predicate: "Macron called Putin"
            stack = [c for c in verb.children if c.dep_ == "oprd"]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.i != verb.i:
        stack.append(verb.head)  # "the troops sent to Kazakhstan"
    # Entity labels and names count for the object nouns themselves and their conjuncts,
    # not their modifiers: "expelled two Russian diplomats" expels no nationality.
    heads = {node.i for node in stack}
    while stack:
        node = stack.pop()
        found.add(node.lemma_.lower())
        if node.i in heads:
            if node.ent_type_:
                found.add(f"ent:{node.ent_type_.lower()}")
            if node.pos_ == "PROPN" and node.ent_type_ not in _TIME_LABELS:
                found.add("head:propn")  # a name: "fired Masimov", "called Macron"
            heads.update(c.i for c in node.children if c.dep_ == "conj")
        stack.extend(c for c in node.children if c.dep_ not in ("relcl", "acl", "advcl", "punct"))
    return frozenset(found)


def clause_verb(token: Any) -> Any | None:
    """The verb whose clause a noun belongs to, through its object or prepositional
    phrase ("provide tons of aid" -> provide), or the token itself if it is a verb."""
    node = token
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.dep_ not in ("dobj", "obj", "pobj", "prep", "compound", "conj", "appos", "attr"):
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _in_object(noun: Any, verb: Any) -> bool:
    """Whether the noun sits in the verb's object, not in a phrase of place or time."""
    node = noun
    while node.i != verb.i:
        if node.dep_ in OBJECTS:
            return True
        if node.dep_ == "pobj" and node.head.lower_ != "of":
            return False
        node = node.head
    return False


def modality(trigger: Any, lexicon: EventLexicon) -> tuple[str, ...]:
    """negated, hypothetical, future, proposed and reported, from the trigger's own
    auxiliaries and the verbs it is the complement of."""
    found: list[str] = []
    verb = clause_verb(trigger) or trigger
    chain = [verb]
    while _continues(chain[-1]):
        chain.append(chain[-1].head)
        if len(chain) > 4:
            break
    own = [c for c in verb.children]
    words = {c.lower_ for c in own if c.dep_ in ("aux", "neg", "advmod", "mark")}
    for purpose, governor in pairwise(chain):
        if purpose.dep_ != "advcl":
            break
        # "could stay there permanently to reinforce the security": an act done for the
        # purpose of an unreal one is as unreal (the governor's modal, not its negation)
        words |= {c.lower_ for c in governor.children if c.dep_ == "aux"}
    if any(c.dep_ == "neg" for c in own) or words & lexicon.negation_words:
        found.append("negated")
    if "would" in words and _backshifted(verb, lexicon):
        words = (words - {"would"}) | {"will"}  # "said it would send": its "will send"
    if words & lexicon.hypothetical_words:
        found.append("hypothetical")
    if words & lexicon.future_words:
        found.append("future")
    if trigger.lemma_.lower() in lexicon.request_verbs and _asks_unreal(trigger, lexicon):
        found.append("proposed")  # "has requested it": that the troops could stay on
    head = chain[-1].head
    is_content = chain[-1].dep_ in ("acl", "ccomp") and head.pos_ == "NOUN"
    if is_content and head.lemma_.lower() in lexicon.request_verbs:
        found.append("proposed")  # "its demand that Israel ease restrictions"
    for governor in chain[1:]:
        lemma = governor.lemma_.lower()
        if lemma in lexicon.request_verbs:
            found.append("proposed")
        elif lemma in lexicon.intent_verbs:
            found.append("future")
        elif lemma in lexicon.reporting_verbs and chain[chain.index(governor) - 1].dep_ == "ccomp":
            found.append("reported")
        if _negated(governor):
            found.append("negated")
    return tuple(dict.fromkeys(found))


def _backshifted(verb: Any, lexicon: EventLexicon) -> bool:
    """Whether the verb's clause is reported after a past-tense reporting verb, where
    "would" is the speaker's "will" ("the CSTO said it would send peacekeepers"), not
    a condition."""
    head = verb.head
    return (
        verb.dep_ == "ccomp"
        and head.tag_ == "VBD"
        and head.lemma_.lower() in lexicon.reporting_verbs
        and not is_conditional(verb, lexicon)
    )


def _continues(verb: Any) -> bool:
    """Whether the modality chain climbs from the verb to its head: complements,
    conjuncts, and purpose infinitives of a modal verb ("could stay ... to reinforce")."""
    if verb.head.i == verb.i:
        return False
    if verb.dep_ == "advcl":  # only the purpose of an act that is itself only possible
        purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        return purpose and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.head.children)
    return verb.dep_ in COMPLEMENTS | {"conj"}


_ANAPHORS = words("function_words", "anaphors")
_MODALS = words("function_words", "modals")
_POSSIBILITY_MODALS = words("function_words", "possibility_modals")


def _asks_unreal(verb: Any, lexicon: EventLexicon) -> bool:
    """Whether a request verb asks for a state that is itself only possible: its clause
    has a modal ("requested that the troops could stay"), or its object pronoun stands
    for such a proposal in the sentence before ("Deputies suggest that the troops could
    stay permanently. Mironov has requested it.")."""
    unreal = lexicon.hypothetical_words | lexicon.future_words

    def modal(clause: Any) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in unreal for c in clause.children)

    if any(c.dep_ == "ccomp" and modal(c) for c in verb.children):
        return True
    if not any(c.dep_ in OBJECTS and c.lower_ in _ANAPHORS for c in verb.children):
        return False
    sentence = verb.sent
    if sentence.start == 0:
        return False
    before = verb.doc[sentence.start - 1].sent
    return any(
        t.lemma_.lower() in lexicon.request_verbs
        and any(c.dep_ == "ccomp" and modal(c) for c in t.children)
        for t in before
    )


def intent_cue(trigger: Any, lexicon: EventLexicon) -> Any | None:
    """The word that makes the trigger an intended act rather than a done one: its own
    "will"/"shall", or a verb or adjective of intent it is the complement of ("agreed to
    send", "is willing to withdraw"). None for a negated or conditional intent."""
    verb = clause_verb(trigger)
    if verb is None:
        return None
    own = list(verb.children)
    if any(c.dep_ == "neg" for c in own) or any(c.lower_ in lexicon.condition_words for c in own):
        return None
    reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in lexicon.reporting_verbs
    for child in own:
        if child.dep_ == "aux" and child.lower_ in lexicon.future_words:
            return child
        hypothetical = child.dep_ == "aux" and child.lower_ in lexicon.hypothetical_words
        if hypothetical and is_conditional(verb, lexicon):  # "may halt talks if ...": a threat
            return child
        if child.dep_ == "aux" and reported and child.lower_ == "would":
            return child  # "said they would blockade Paris": the future of the past
        if child.dep_ == "aux" and reported and child.lower_ in _POSSIBILITY_MODALS:
            return child  # "said Ankara could suspend ties": a warning (hostile acts only)
    governor = verb.head
    infinitive = verb.dep_ == "advcl" and any(c.lower_ == "to" for c in verb.children)
    if (verb.dep_ in COMPLEMENTS or infinitive) and governor.i != verb.i:
        if _negated(governor):
            return None
        if governor.lemma_.lower() in lexicon.intent_verbs:
            return governor
    return None


def is_conditional(trigger: Any, lexicon: EventLexicon) -> bool:
    """Whether the trigger's clause carries a condition ("will withdraw its force unless
    ...", "may halt mediation if ...")."""
    return bool(_conditions([clause_verb(trigger) or trigger], lexicon.condition_words))


def _negated(token: Any) -> bool:
    """A negation on the word or, for a predicate adjective, on its copula ("is not
    willing")."""
    words = list(token.children)
    if token.dep_ == "acomp" and token.head.i != token.i:
        words += list(token.head.children)
    return any(c.dep_ == "neg" for c in words)


def clause_depth(trigger: Any, lexicon: EventLexicon) -> int:
    """How many clauses down from the sentence's main clause the trigger is: 0 for the
    main verb or its object ("staged a protest"), and for what a reporting verb reports
    ("Kurds demonstrated ..., witnesses said"); 1 for "calling for" in "demonstrated,
    calling for independence"."""
    node = clause_verb(trigger) or trigger
    depth = 0
    for _ in range(20):
        head = node.head
        if head.i == node.i:
            break
        reported = node.dep_ == "ccomp" and head.lemma_.lower() in lexicon.reporting_verbs
        if node.dep_ in CLAUSES and not reported and node.pos_ in ("VERB", "AUX"):
            depth += 1
        node = head
    return depth
