"""events-cameo: the validation-file loader, the mapping from records, scoring and a run."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from eventscope.evaluate import petrarch
from eventscope.evaluate.petrarch import (
    Triple,
    actor_code,
    event_code,
    load,
    parse_day,
    predictions_from,
    score,
)
from eventscope.model import Actor, Article, ArticleRecords, Event, Evidence, Span

from .conftest import write

# A validation file written for these tests, with both layouts the format comes in:
# <Sentence> holding its codings, and <Sentence .../> followed by them (closed later).
VALIDATION = """<?xml version='1.0' encoding='utf-8'?>
<Validation>
#  Header prose may mention <EventCoding...> records.
<Environment><Verbfile>CAMEO.2.0.txt</Verbfile></Environment>
<Sentences>
<Sentence date="20030512" id="TEST-01" category="TEST" sentence="true">
<!-- <EventCoding eventcode="999" sourcecode="NOT" targetcode="GOLD"/> -->
<EventCoding sourcecode="FRDGOV" targetcode="SYL" eventcode="036"></EventCoding>
<EventCoding sourcecode="SYL" targetcode="FRDGOV" eventcode="036"></EventCoding>
<Text>
Freedonian ministers agreed to meet Sylvanian envoys
next week &amp; settle the dispute.
</Text>
<Parse>
(ROOT (S (NP (NNP Freedonian)) & <odd> (VP (VBD agreed))))
</Parse>
</Sentence>
<Sentence date = "20030513" id ="TEST-02" category="TEST" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>The weather in the capital was mild on Tuesday.</Text>
</Sentence>
<Sentence category="AFP" date="20030514" id="TEST-03" evaluate="true"/>
<EventCoding eventcode="145_Protest_violently_riot" sourcecode="~CVL" targetcode="" />
<Text>
Students rioted outside the parliament building in the capital.
</Text>
<Parse>
1	Students	student	NOUN	NNS	_	2	nsubj	_	_
</Parse>
</Sentence>
<Sentence category="protest" date="20030515" id="TEST-04" evaluate="true" sentence="True">
<EventCoding eid="0" eventcode="141_Demonstrate_or_rally" plover="" sourcecode="~EDU"
 targetcode="SYLGOV"/>
<Text>Los estudiantes marcharon por el centro de la ciudad para exigir becas.</Text>
</Sentence>
<Sentence date="20030516" id="TEST-05" category="TEST" sentence="true">
<EventCoding sourcecode="FRD" targetcode="SYL" eventcode="010"></EventCoding>
<Text>
</Text>
</Sentence>
</Sentences>
</Validation>
"""


def test_load_reads_both_layouts(tmp_path: Path) -> None:
    sentences = load(write(tmp_path / "v.xml", VALIDATION))
    assert [s.id for s in sentences] == ["TEST-01", "TEST-02", "TEST-03", "TEST-04", "TEST-05"]
    first, weather, riot, march, empty = sentences
    assert first.published == date(2003, 5, 12)
    assert first.text == (
        "Freedonian ministers agreed to meet Sylvanian envoys next week & settle the dispute."
    )
    # The coding inside the comment is not gold.
    assert first.triples == (("FRDGOV", "SYL", "036"), ("SYL", "FRDGOV", "036"))
    assert weather.triples == () and weather.published == date(2003, 5, 13)
    assert riot.text == "Students rioted outside the parliament building in the capital."
    assert riot.triples == (("---CVL", "---", "145"),)
    assert march.triples == (("---EDU", "SYLGOV", "141"),)
    assert empty.text == "" and empty.triples == (("FRD", "SYL", "010"),)


def test_load_reads_gzip(tmp_path: Path) -> None:
    path = write(tmp_path / "v.xml.gz", gzip.compress(VALIDATION.encode()))
    assert len(load(path)) == 5


def test_codes_and_dates() -> None:
    assert event_code("145_Protest_violently_riot") == "145"
    assert event_code("14_PROTEST_") == "14"
    assert event_code("") is None
    assert actor_code("~CVL") == "---CVL"
    assert actor_code(" usagov ") == "USAGOV"
    assert actor_code("") == actor_code(None) == "---"
    assert parse_day("19950101") == date(1995, 1, 1)
    assert parse_day("2008-08-04") == date(2008, 8, 4)
    assert parse_day("18991231") is None  # the pipeline would reject it
    assert parse_day("soon") is None


def test_score_perfect_empty_and_hand_computed() -> None:
    gold: list[list[Triple]] = [
        [("FRDGOV", "SYL", "036"), ("SYL", "FRDGOV", "036")],
        [],
        [("---CVL", "---", "145")],
    ]
    assert set(score(gold, gold).values()) == {1.0}
    assert set(score(gold, [[], [], []]).values()) == {0.0}
    predicted: list[list[Triple]] = [
        [("FRDGOV", "SYL", "036"), ("SYL", "---", "036")],
        [("---", "---", "010")],
        [("---CVL", "---", "141")],
    ]
    found = score(gold, predicted)
    # Full triples: only FRDGOV SYL 036 matches: tp 1, fp 3, fn 2:
    # P 1/4, R 1/3, F1 = 2 * (1/12) / (7/12) = 2/7.
    assert found["triple_full_precision"] == pytest.approx(1 / 4)
    assert found["triple_full_recall"] == pytest.approx(1 / 3)
    assert found["triple_full_f1"] == pytest.approx(2 / 7)
    # Root triples: 141 and 145 share root 14, so the third sentence matches too:
    # tp 2, fp 2, fn 1: P 1/2, R 2/3, F1 = (2/3) / (7/6) = 4/7.
    assert found["triple_root_f1"] == pytest.approx(4 / 7)
    # Codes alone, full: 036 twice matches, 010 and 141 do not: tp 2, fp 2, fn 1: 4/7.
    assert found["code_full_f1"] == pytest.approx(4 / 7)
    # Codes alone, root: 03, 03 and 14 match, 01 does not: tp 3, fp 1, fn 0:
    # P 3/4, R 1, F1 = 1.5 / 1.75 = 6/7.
    assert found["code_root_f1"] == pytest.approx(6 / 7)


def test_predictions_from_codes_actors_as_country_and_sector() -> None:
    text = "Russian officials met Ukrainian envoys and a mediator; troops then attacked."
    trigger = Span.of(text, 18, 21)
    records = ArticleRecords(
        Article(id="t1", text=text, published=date(2022, 1, 10)),
        actors=(
            Actor("a1", "Russian officials", "group", (), country="RUS", sector="GOV"),
            Actor("a2", "Ukraine", "country", (), country="UKR"),
            Actor("a3", "a mediator", "person", ()),
        ),
        events=(
            Event(
                "e1",
                "CONSULT",
                trigger,
                Evidence("test", 0.8),
                cameo="036",
                source=("a1",),
                target=("a2", "a3"),
            ),
            Event("e2", "AGREE", trigger, Evidence("test", 0.8)),  # no CAMEO code
            Event("e3", "ASSAULT", trigger, Evidence("test", 0.8), cameo="190", target=("a1",)),
        ),
    )
    assert predictions_from(records) == (
        ("RUSGOV", "UKR", "036"),
        ("RUSGOV", "---", "036"),
        ("---", "RUSGOV", "190"),
    )
    assert predictions_from(None) == ()


def test_run_on_a_fixture(tmp_path: Path) -> None:
    write(tmp_path / "universalpetrarch" / "v.xml", VALIDATION)
    write(tmp_path / "petrarch2_unittest" / "w.xml.gz", gzip.compress(VALIDATION.encode()))
    write(tmp_path / "petrarch2_unittest" / "PETR.Validate.actors.txt", "FREEDONIA [FRD]\n")
    report = petrarch.TASK.run(tmp_path, None, 3)
    counts = report.counts
    assert counts["files"] == 2
    assert counts["sentences"] == 8  # four with text per file
    assert counts["left_out_without_text"] == 2
    assert counts["gold_events"] == 8
    assert counts["sentences_without_events"] == 2
    assert counts["rejected"] == 0
    assert 0 <= counts["sentences_with_prediction"] <= 8
    assert {"triple_full_f1", "v.code_root_f1", "w.triple_root_precision"} <= set(report.metrics)
    assert len(report.errors) <= 3
    assert all(set(e) == {"id", "text", "gold", "predicted"} for e in report.errors)
    # One file, limited.
    one = petrarch.TASK.run(tmp_path / "universalpetrarch" / "v.xml", 2, 0)
    assert one.counts["sentences"] == 2 and one.counts["gold_events"] == 2


def test_run_ignores_other_xml(tmp_path: Path) -> None:
    write(tmp_path / "feed.xml", "<rss><channel><item><title>x</title></item></channel></rss>")
    assert petrarch.TASK.run(tmp_path, None, 3).counts == {}


def test_run_on_shared_eval(shared: Path) -> None:
    if not (shared / "eval" / "universalpetrarch").is_dir():
        pytest.skip("no universalpetrarch folder in ../shared/eval")
    report = petrarch.TASK.run(shared / "eval" / "universalpetrarch", 4, 1)
    assert report.counts["sentences"] == 4
    assert report.metrics["triple_full_f1"] is not None
