"""Quotes and claims: who said what, to whom, about which events.

Attributions come from cue words (`kb/en/quotes.yaml`) and the parse:
- a cue verb with its speaker subject and, as content, the quotation right before or
  after it ("“...,” he added", "Putin said that “...”", typos such as `coup, “said X`
  included), else its clause ("Putin declared that ..."), else, for verbs that can take
  one, its object ("denied the reports");
- "According to X, ..." / "..., according to X" and "In his opinion, ..." frames: the
  rest of the clause is X's;
- a statement noun with its "that" clause ("his claim that ...");
- "it is suspected that ...": a claim with no speaker named;
- asides ("..., she said, ..."), intended acts ("wants to ..."), stance verbs' objects;
- speaker labels of transcripts and headlines ("PENCE: ...") and dash signatures
  ("“...” ― Name"), in `quotes_labels`;
- a quotation with no cue of its own that follows a quoted speaker's quotation runs on
  in that speaker's voice. Words inside a quotation are the speaker's: no cues there.
The kind is direct when the content lies wholly inside quote marks, partial when it
holds a quotation, else indirect. Speakers resolve to actors through titles, pronouns
(across sentences) and spokesmen ("deputies of the Duma" speak for the Duma).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from typing import Any

from eventscope.kb.quotes import QuotesLexicon, quotes_lexicon
from eventscope.kb.weights import weights
from eventscope.lang.en.grammar import CONTENT_CLAUSES, SPEAKER_LABELS, prep_objects
from eventscope.lang.en.lexicon import words
from eventscope.model import Actor, ArticleRecords, Evidence, Quote, Span
from eventscope.nlp.view import view

from .context import ArticleContext
from .events_build import Context
from .quotes_adjacent import QuotationTags, inside_clause, trim
from .quotes_labels import labelled
from .quotes_marks import Quotation
from .quotes_speakers import addressee, phrase, speaker_actor, unsaid
from .registry import register

_SOURCE_PRONOUNS = words("function_words", "source_pronouns")
_CONFIDENCE = weights("quotes")  # by rule


@dataclasses.dataclass
class _Claim:
    cue: tuple[int, int] | None  # characters
    speaker: Any | None  # the speaker's head token
    content: tuple[int, int]
    rule: str
    anchor: Any = None  # the cue's token, for the sentence
    speaker_chars: tuple[int, int] | None = None  # a speaker's label, not a phrase
    more: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # split quotes
    addressee: str | None = None
    actor: str | None = None


def _chars(ctx: Context, first: int, last: int) -> tuple[int, int]:
    """The characters of tokens first..last (inclusive), trimmed."""
    start, end = ctx.tokens[first].idx, ctx.tokens[last].idx + len(ctx.tokens[last].text)
    return trim(ctx.text, start, end)


def _subtree_without(ctx: Context, head: Any, cut: Any) -> tuple[int, int]:
    """The characters of a clause without one of its phrases (the "according to X"),
    whichever side of the clause that phrase is on."""
    first, last = head.left_edge.i, head.right_edge.i
    if cut.left_edge.i <= first:
        first = cut.right_edge.i + 1
    elif cut.right_edge.i >= last:
        last = cut.left_edge.i - 1
    first = min(first, last)
    return _chars(ctx, first, last)


class _Finder(QuotationTags):
    def __init__(self, ctx: Context, lexicon: QuotesLexicon) -> None:
        super().__init__(ctx)
        self.lexicon = lexicon

    def from_verb(self, cue: Any) -> _Claim | None:
        lexicon = self.lexicon
        lemma = cue.lemma_.lower()
        needed = lexicon.particles.get(lemma)
        if needed and not any(c.dep_ == "prt" and c.lower_ in needed for c in cue.children):
            return None
        passive = [c for c in cue.children if c.dep_ in ("nsubjpass", "expl")]
        agents = [p for c in cue.children if c.dep_ == "agent" for p in prep_objects(c, ("by",))]
        speaker = self._subject(cue) or (agents[0] if agents else None)
        impersonal = (
            speaker is None
            and lemma in lexicon.impersonal
            and any(c.lower_ == "it" for c in passive)
        )
        if not impersonal and (speaker is None or lemma not in lexicon.cue_verbs):
            return None
        if unsaid(cue, speaker):
            return None  # "did not publish the figure", "nobody has explained who"
        cue_span = (cue.idx, cue.idx + len(cue.text))
        clauses = [c for c in cue.children if c.dep_ in CONTENT_CLAUSES]
        adjacent = self.adjacent_quotations(cue, speaker)
        opening = None  # `says "citizens" must stay calm`: the clause is the content
        if adjacent and clauses and inside_clause(self.ctx, clauses[0], adjacent[0]):
            opening, adjacent = adjacent[0].start, []
        if adjacent:
            content, *more = [trim(self.text, q.inner_start, q.inner_end) for q in adjacent]
            return _Claim(cue_span, speaker, content, "quotation", more=more)
        rule = "impersonal" if impersonal else "clause"
        if clauses:
            clause = clauses[0]
            content = _chars(self.ctx, clause.left_edge.i, clause.right_edge.i)
            if opening is not None and opening < content[0]:
                content = (opening, content[1])  # with the mark the clause opens on
            return _Claim(cue_span, speaker, content, rule)
        if cue.dep_ == "parataxis" and cue.head.pos_ in ("VERB", "AUX"):
            # "Fifty percent remain undiagnosed, she said, and ...": what the aside is in
            return _Claim(cue_span, speaker, _subtree_without(self.ctx, cue.head, cue), rule)
        if impersonal:
            return None
        intents = [c for c in cue.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        if intents and lemma in lexicon.intent_cues:  # "wants to", "vowed to fight on"
            intent = intents[0]
            content = _chars(self.ctx, intent.left_edge.i, intent.right_edge.i)
            return _Claim(cue_span, speaker, content, "intent")
        data = speaker is not None and speaker.lemma_.lower() in lexicon.source_nouns
        if lemma in lexicon.clause_only and not (data and lemma in lexicon.data_verbs):
            return None  # but "polls show a close contest"
        # a name is not something said: "attacked El Fasher", "criticised Sudan"
        objects = [c for c in cue.children if c.dep_ == "dobj" and c.pos_ not in ("PRON", "PROPN")]
        preps = lexicon.object_preps.get(lemma, ())
        objects += [
            g for c in cue.children if c.dep_ == "prep" and c.lower_ in preps
            for g in c.children if g.dep_ in ("pobj", "pcomp")
        ]  # fmt: skip
        if objects:
            obj = objects[0]
            content = _chars(self.ctx, obj.left_edge.i, obj.right_edge.i)
            return _Claim(cue_span, speaker, content, "object")
        return None

    def _subject(self, cue: Any) -> Any | None:
        """The speaker of a cue verb: its subject, the actor named right before it in a
        long subject ("Kyrgyzstan, Russia and Tajikistan, ..., Russian President Vladimir
        Putin declared"), or for a conjoined cue with none, the subject of the verb it is
        conjoined to or reported by, if that is an actor ("said that ... and reported")."""
        node = cue
        participle = False
        for step in range(4):
            subjects = [c for c in node.children if c.dep_ == "nsubj"]
            if subjects:
                # two subjects in a garbled parse: the one nearest the verb
                subject = min(subjects, key=lambda c: abs(c.i - node.i))
                if step == 0:
                    return self._nearest_in(subject, cue)
                if self.ctx.actors.of(subject) or participle:
                    return subject
            if node.head.i == node.i:
                return None
            participle = step == 0 and node.dep_ in ("advcl", "xcomp") and node.tag_ == "VBG"
            if participle:
                node = node.head  # "mocked the complaint, saying ...": the mocker says
                continue
            if node.dep_ not in ("conj", "ccomp"):
                return None
            node = node.head
        return None

    def _nearest_in(self, subject: Any, cue: Any) -> Any:
        """In a subject before its verb, the token of the actor named last before the
        verb when the subject names several."""
        if subject.i > cue.i:
            return subject
        by_token = self.ctx.actors.by_token
        last = next((t for t in reversed(list(subject.subtree)) if t.i in by_token), None)
        if last is None or by_token[last.i] in self.ctx.actors.of(subject)[:1]:
            return subject
        while last.head.i in by_token and by_token[last.head.i] == by_token[last.i]:
            last = last.head  # "Vladimir" -> "Putin"
        node = last
        while node.i != subject.i:
            if node.dep_ not in ("appos", "conj"):
                return subject  # "the lawyer of Navalny said": the lawyer speaks
            node = node.head
        return last

    def from_according(self, word: Any) -> _Claim | None:
        """ "According to X, ..." and "..., according to X"."""
        sources = prep_objects(word, ("to",))
        if not sources or word.head.i == word.i:
            return None
        source = sources[0]
        speaker = self._frame_speaker(source)
        lemma = source.lemma_.lower()
        nouns = self.lexicon.frame_nouns | self.lexicon.cue_nouns | self.lexicon.source_nouns
        named = self.ctx.actors.of(source) or source.ent_type_ in SPEAKER_LABELS
        pronoun = source.pos_ == "PRON" and source.lower_ in _SOURCE_PRONOUNS
        if lemma not in nouns and not named and not pronoun:
            return None  # "according to plan", "held according to his initiative"
        content = _subtree_without(self.ctx, word.head, word)
        to = source.head
        return _Claim((word.idx, to.idx + len(to.text)), speaker, content, "according")

    def _frame_speaker(self, noun: Any) -> Any:
        """The speaker a frame noun names: its possessor ("his account"), its "of" phrase
        ("the words of the minister"), an actor in its phrase ("information released by
        Interfax"), else the noun itself."""
        for child in noun.children:
            if child.dep_ == "poss":
                return child
        if noun.lemma_.lower() in self.lexicon.frame_nouns:
            for pobj in prep_objects(noun, ("of",)):
                return pobj
        if not self.ctx.actors.of(noun):
            for token in noun.subtree:
                if token.i != noun.i and token.dep_ == "pobj" and self.ctx.actors.of(token):
                    return token
        return noun

    def from_frame(self, noun: Any) -> _Claim | None:
        """ "In his opinion, ...", "In the words of the minister, ..."."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ not in self.lexicon.frame_preps:
            return None
        if prep.head.lower_ in self.lexicon.according:
            return None  # "according to his account": the according frame
        speaker = self._frame_speaker(noun)
        if speaker is noun or prep.head.i == prep.i:
            return None
        clause = prep.head
        content = _subtree_without(self.ctx, clause, prep)
        cue = trim(self.text, prep.idx, noun.idx + len(noun.text))
        return _Claim(cue, speaker, content, "frame")

    def from_noun(self, noun: Any) -> _Claim | None:
        """ "His claim that ...", "a report by the ministry that ..."."""
        clauses = [
            c for c in noun.children
            if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark"
                                                  for m in c.children)
        ]  # fmt: skip
        if not clauses:
            return None
        speaker = None
        for child in noun.children:
            if child.dep_ in ("poss", "compound") and (
                self.ctx.actors.of(child) or child.pos_ == "PRON"
            ):
                speaker = child
        for pobj in prep_objects(noun, ("by", "from", "of")):
            speaker = speaker or pobj
        if speaker is None:
            return None
        clause = clauses[0]
        content = _chars(self.ctx, clause.left_edge.i, clause.right_edge.i)
        return _Claim((noun.idx, noun.idx + len(noun.text)), speaker, content, "noun")

    def claims(self) -> list[_Claim]:
        lexicon = self.lexicon
        found: list[_Claim] = []
        for label in labelled(self.ctx, self.lexicon, self.quotations):
            tagged = _Claim(label.cue, label.head, label.content, "label", actor=label.actor)
            tagged.anchor, tagged.speaker_chars = label.head, label.name
            found.append(tagged)
        # (an unclosed mark's "quotation" runs to the end of its paragraph: not trusted)
        inside = [(q.inner_start, q.inner_end) for q in self.quotations if q.closed]
        k = 0
        v = view(self.ctx.doc)
        for i, lemma in enumerate(v.lemma_lowers):
            pos, char = v.pos[i], v.starts[i]
            is_cue = pos == "VERB" and (lemma in lexicon.cue_verbs or lemma in lexicon.impersonal)
            is_according = v.lowers[i] in lexicon.according and i + 1 < len(v.texts)
            is_frame = pos == "NOUN" and lemma in lexicon.frame_nouns and v.deps[i] == "pobj"
            is_noun = pos == "NOUN" and lemma in lexicon.cue_nouns
            if not (is_cue or is_according or is_frame or is_noun):
                continue  # most words: no Token is made for them
            while k < len(inside) and inside[k][1] <= char:
                k += 1
            if k < len(inside) and inside[k][0] <= char:
                continue  # a word in a quotation is the speaker's, not a cue
            token = self.ctx.tokens[i]
            claim = None
            if is_cue:
                claim = self.from_verb(token)
            elif is_according:
                claim = self.from_according(token)
            elif is_frame:
                claim = self.from_frame(token)
            if claim is None and is_noun:
                claim = self.from_noun(token)
            if claim is not None and claim.content[1] > claim.content[0]:
                claim.anchor = token
                if claim.speaker is not None:
                    claim.actor = speaker_actor(self.ctx, claim.speaker, lexicon)
                if token.pos_ == "VERB":
                    claim.addressee = addressee(self.ctx, token, claim.actor)
                found.append(claim)
                found += [dataclasses.replace(claim, content=c, more=[]) for c in claim.more]
        return self._run_on(found)

    def _run_on(self, found: list[_Claim]) -> list[_Claim]:
        """Quotations with no cue of their own after a speaker's quotation, in the same
        or the next paragraph, with no other speaker between: that speaker's too."""
        # Sorted starts and ends, searched by bisection: scanning every claim for every
        # quotation was quadratic (4,000 of each: 2.2 s).
        used = sorted(c.content for c in found)
        starts = [s for s, _ in used]
        reach = list(itertools.accumulate((e for _, e in used), max))  # furthest end so far
        out = list(found)
        by_end = sorted((c for c in found if c.rule == "quotation"), key=lambda c: c.content[1])
        ends = [c.content[1] for c in by_end]
        for q in self.quotations:
            n = bisect.bisect_left(starts, q.inner_end)  # claims starting before its end
            if n and reach[n - 1] > q.inner_start:
                continue
            inner = self.text[q.inner_start : q.inner_end].strip()
            if len(inner.split()) < 4 or not inner[:1].isupper() or self._is_title(q):
                continue  # a term in scare quotes or a title, not a statement
            n = bisect.bisect_right(ends, q.start)
            if not n:
                continue
            last = by_end[n - 1]
            gap = self.text[last.content[1] : q.start]
            if gap.count("\n") > 2 or len(gap) > 200:
                continue
            if bisect.bisect_left(starts, last.content[1]) < bisect.bisect_left(starts, q.start):
                continue  # another claim between them
            content = trim(self.text, q.inner_start, q.inner_end)
            claim = _Claim(None, last.speaker, content, "continued", actor=last.actor)
            claim.anchor = self.ctx.doc.char_span(*content, alignment_mode="expand")[0]
            out.append(claim)
        return out

    def kind(self, start: int, end: int) -> tuple[str, Quotation | None]:
        """direct (with the quotation that holds the content), partial or indirect."""
        inside = [q for q in self.overlapping(start, end) if q.start < end and start < q.end]
        for q in inside:
            if q.inner_start <= start + 1 and end - 1 <= q.inner_end:
                return "direct", q
        return ("partial" if inside else "indirect"), None


def find_quotes(ctx: Context, records: ArticleRecords) -> tuple[list[Quote], list[Actor]]:
    """The attributed statements of an article, from its token index, in text order, and
    the country actors their speakers named only as places."""
    known = {a.id for a in records.actors}
    finder = _Finder(ctx, quotes_lexicon())
    text = records.article.text
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    # the events within each quotation, by bisection (not every event for every quote)
    by_start = sorted((e.trigger.start, n, e) for n, e in enumerate(records.events))
    starts = [s for s, _, _ in by_start]
    for claim in sorted(finder.claims(), key=lambda c: (c.content, -_CONFIDENCE[c.rule])):
        if claim.content in seen:
            continue
        seen.add(claim.content)
        start, end = claim.content
        kind, holder = finder.kind(start, end)
        if holder is not None:  # direct: the quotation without its marks
            start, end = trim(text, holder.inner_start, holder.inner_end)
        speaker_span = Span.of(text, *claim.speaker_chars) if claim.speaker_chars else None
        if claim.speaker is not None and speaker_span is None:
            first, last = phrase(claim.speaker)
            speaker_span = Span.of(text, *_chars(ctx, first, last - 1))
        sentence = ctx.sentence(claim.anchor) if claim.anchor is not None else None
        inside = by_start[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        events = tuple(e.id for _, _, e in sorted(inside, key=lambda x: x[1])
                       if e.trigger.end <= end)  # fmt: skip
        quotes.append(
            Quote(
                content=Span.of(text, start, end),
                kind=kind,
                evidence=Evidence(f"quotes.{claim.rule}", _CONFIDENCE[claim.rule], sentence),
                speaker=claim.actor,
                speaker_span=speaker_span,
                cue=Span.of(text, *claim.cue) if claim.cue else None,
                addressee=claim.addressee,
                events=events,
            )
        )
    quotes.sort(key=lambda q: q.content.start)
    return quotes, [a for a in ctx.actors.created if a.id not in known]


@register(
    "quotes",
    reads=("entities", "places", "actors", "events"),
    writes=("quotes", "actors"),
    requires=("ner", "tagger", "parser", "lemmatizer"),
)
def extract_quotes(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
    """Add the article's quotes and claims to its records (after its actors and events)."""
    quotes, created = find_quotes(ctx.index(records), records)
    return dataclasses.replace(
        records, actors=records.actors + tuple(created), quotes=records.quotes + tuple(quotes)
    )
