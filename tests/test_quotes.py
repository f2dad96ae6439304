"""The quotes stage on sentences written here: quote marks in every common style, direct,
partial and indirect attributions, speakers through pronouns, titles and spokesmen,
addressees, the events a claim is about, and what is not a quote."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventscope.extract.quotes_marks import quotations
from eventscope.kb.load import load_yaml
from eventscope.kb.quotes import build_lexicon
from eventscope.model import ArticleRecords, Quote
from eventscope.pipeline import extract

from .conftest import reference_checklist

PUBLISHED = date(2022, 1, 10)


def quotes_of(text: str) -> tuple[ArticleRecords, list[Quote]]:
    records = extract(text, published=PUBLISHED)
    return records, list(records.quotes)


def speaker(records: ArticleRecords, quote: Quote) -> str | None:
    return next((a.name for a in records.actors if a.id == quote.speaker), None)


def quote_with(quotes: list[Quote], words: str) -> Quote:
    found = [q for q in quotes if words in q.content.text]
    assert len(found) == 1, [(q.kind, q.content.text) for q in quotes]
    return found[0]


def inner(text: str) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in quotations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we will stay” and left.", ["we will stay"]),
        ("He said «nous restons» and left.", ["nous restons"]),
        ('He said "we will stay" and left.', ["we will stay"]),
        ("He called it ‘a disgrace’ twice.", ["a disgrace"]),
        # a closing mark typed as an opening one, as in many translated reports
        ("“It was an attempted coup, “said the president.", ["It was an attempted coup, "]),
        # apostrophes are no quote marks
        ("Kazakhstan’s leader met the protesters’ families.", []),
        # two single marks for a double one, as some papers print them
        ("Not paying taxes ''makes me smart,'' he said.", ["makes me smart,"]),
    ],
)
def test_quote_marks(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_a_quotation_runs_over_paragraphs_when_the_next_one_reopens_it() -> None:
    text = "“The first paragraph of the statement.\n\n“The second one,” she said.\n\nNo “end"
    assert inner(text) == ["The first paragraph of the statement.\n\n“The second one,", "end"]
    assert [q.closed for q in quotations(text)] == [True, False]


def test_direct_quote_after_and_before_its_cue() -> None:
    records, quotes = quotes_of(
        "“We will not allow chaos,” said Kassym-Jomart Tokayev. Vladimir Putin told "
        "reporters: “The troops will leave soon.”"
    )
    first = quote_with(quotes, "We will not allow chaos")
    assert (first.kind, first.cue and first.cue.text) == ("direct", "said")
    assert speaker(records, first) == "Kassym-Jomart Tokayev"
    assert first.content.text == "We will not allow chaos"
    second = quote_with(quotes, "The troops will leave soon")
    assert (second.kind, speaker(records, second)) == ("direct", "Vladimir Putin")


def test_a_quotation_split_by_its_tag_is_two_quotes_of_the_speaker() -> None:
    records, quotes = quotes_of(
        "“Order has been restored,” Kassym-Jomart Tokayev said on Friday, “and the "
        "terrorists will be destroyed.”"
    )
    first = quote_with(quotes, "Order has been restored")
    second = quote_with(quotes, "the terrorists will be destroyed")
    assert {speaker(records, first), speaker(records, second)} == {"Kassym-Jomart Tokayev"}
    assert first.cue == second.cue and second.kind == "direct"


def test_a_pronoun_or_a_title_is_resolved_across_sentences() -> None:
    records, quotes = quotes_of(
        "Kazakh President Kassym-Jomart Tokayev met the cabinet in Nur-Sultan on Monday. "
        "“Order has been restored,” he added. The Kazakh leader said that the curfew "
        "would stay in force."
    )
    added = quote_with(quotes, "Order has been restored")
    assert (added.speaker_span and added.speaker_span.text) == "he"
    assert speaker(records, added) == "Kassym-Jomart Tokayev"
    said = quote_with(quotes, "the curfew would stay in force")
    assert (said.kind, speaker(records, said)) == ("indirect", "Kassym-Jomart Tokayev")


def test_partial_quotes_and_frames() -> None:
    records, quotes = quotes_of(
        "Vladimir Putin spoke after the summit in Moscow. According to him, the unrest "
        "was “an act of aggression.” In his opinion, the mission was a success."
    )
    according = quote_with(quotes, "the unrest was")
    assert (according.kind, speaker(records, according)) == ("partial", "Vladimir Putin")
    assert according.cue is not None and according.cue.text == "According to"
    opinion = quote_with(quotes, "the mission was a success")
    assert (opinion.kind, speaker(records, opinion)) == ("indirect", "Vladimir Putin")
    assert opinion.cue is not None and opinion.cue.text == "In his opinion"


def test_the_addressee_and_the_events_of_a_claim() -> None:
    records, quotes = quotes_of(
        "“Foreign fighters attacked Almaty,” Kassym-Jomart Tokayev said, speaking by "
        "phone with the President of the European Council, Charles Michel."
    )
    quote = quote_with(quotes, "Foreign fighters attacked Almaty")
    assert speaker(records, quote) == "Kassym-Jomart Tokayev"
    addressee = next(a.name for a in records.actors if a.id == quote.addressee)
    assert addressee == "Charles Michel"
    attack = [e for e in records.events if e.trigger.text == "attacked"]
    assert attack and quote.events == (attack[0].id,)


def test_a_spokesman_speaks_for_his_body_and_a_claim_may_have_no_speaker() -> None:
    records, quotes = quotes_of(
        "Deputies of the State Duma suggested that Russian troops could stay in "
        "Kazakhstan. It is suspected that the two officers committed suicide."
    )
    suggested = quote_with(quotes, "Russian troops could stay")
    assert speaker(records, suggested) == "State Duma"
    suspected = quote_with(quotes, "the two officers committed suicide")
    assert suspected.speaker is None and suspected.speaker_span is None
    assert suspected.cue is not None and suspected.cue.text == "suspected"


def test_a_quotation_without_a_cue_runs_on_in_the_last_speakers_voice() -> None:
    records, quotes = quotes_of(
        "“The situation is under control,” said Kassym-Jomart Tokayev. “The terrorists "
        "will be destroyed.”"
    )
    quote = quote_with(quotes, "The terrorists will be destroyed")
    assert (quote.kind, quote.cue, speaker(records, quote)) == (
        "direct",
        None,
        "Kassym-Jomart Tokayev",
    )


def test_no_quote_without_an_attribution() -> None:
    _, quotes = quotes_of(
        "The meeting was held according to plan. The so-called “anti-terrorist operation” "
        "ended on Wednesday. The shop sells “fresh” bread."
    )
    assert quotes == []


def test_the_lexicon_refuses_a_cue_restriction_on_an_unknown_verb() -> None:
    data = dict(load_yaml("en/quotes.yaml"))
    data["clause_only"] = [*data["clause_only"], "bake"]
    with pytest.raises(ValueError, match="bake"):
        build_lexicon(data)


def test_quotes_json_contract() -> None:
    records, _ = quotes_of("“We are ready,” said Charles Michel.")
    [out] = records.to_dict()["quotes"]
    assert {"speaker", "speaker_span", "cue", "content", "kind", "addressee", "events"} <= set(out)
    assert out["content"]["text"] == "We are ready" and out["rule"] == "quotes.quotation"


# The reference article's `quotes` musts met: a floor that must not fall (all 8).
REFERENCE_QUOTE_MUSTS = 8


def test_reference_article_quotes_checklist(shared: Path, tmp_path: Path) -> None:
    _, found, out = reference_checklist(shared, tmp_path, "quotes")
    assert found >= REFERENCE_QUOTE_MUSTS, out
