"""The clustering task: the CoNLL reader, gold clusters, scoring, and a run on fixtures."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from eventscope.evaluate import clustering
from eventscope.evaluate.stories import run_stories
from eventscope.model import Article, ArticleRecords, Event, Evidence, Span

from .conftest import write

# Invented CoNLL: doc 1/1ecb/1 and 1/1ecb/2 share ACT7 (a storm), doc 1/1ecb/3 has only its
# own event, doc 1/1ecb/4 no event at all. HUM and LOC chains are not events.
CONLL_A = """#begin document (1/1ecb/1); part 000
1/1ecb/1\t0\t0\tA\t-
1/1ecb/1\t0\t1\tstorm\t(ACT7)
1/1ecb/1\t0\t2\thit\t(ACT8|(Singleton_ACTI_2_1ecb)
1/1ecb/1\t0\t3\tPort\t(LOC3
1/1ecb/1\t0\t4\tLouis\tLOC3)

1/1ecb/1\t1\t0\tFishermen\t(HUM1)
1/1ecb/1\t1\t1\tstayed\t(NEG4
1/1ecb/1\t1\t2\tashore\tNEG4)
#end document
#begin document (1/1ecb/2); part 000
1/1ecb/2\t0\t0\tThe\t-
1/1ecb/2\t0\t1\tstorm\t\t(ACT7)
#end document
"""
CONLL_B = """#begin document (1/1ecb/3); part 000
1/1ecb/3\t0\t0\tRain\t-
1/1ecb/3\t0\t1\tfell\t(ACT9)
#end document
#begin document (1/1ecb/4); part 000
1/1ecb/4\t0\t0\tNothing\t-
1/1ecb/4\t0\t1\there\t-
#end document
"""


def write_ecbplus(folder: Path) -> Path:
    """A tar.gz holding one plain and one gzipped CoNLL file, as the ECB+ archive does."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("1ecb.conll", CONLL_A.encode()),
                           ("1ecbplus.conll.gz", gzip.compress(CONLL_B.encode()))):  # fmt: skip
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return write(folder / "ecbplus" / "test_conll.tar.gz", buffer.getvalue())


def write_gva(folder: Path) -> None:
    """Three articles: two on incident 10, one on incident 11."""
    docs = [
        {"incident_id": "10", "doc_id": "a", "title": "t", "dct": "2017-02-03", "uri": "u",
         "content": "A man was shot outside a bakery on Pine Road in Lakeside on Friday."},
        {"incident_id": "10", "doc_id": "b", "title": "t", "dct": "2017-02-04", "uri": "u",
         "content": "Lakeside police are looking for the gunman in the Pine Road shooting."},
        {"incident_id": "11", "doc_id": "c", "title": "t", "dct": "2017-03-09", "uri": "u",
         "content": "Two teenagers were wounded in a shooting at a park in Riverton."},
    ]  # fmt: skip
    body = "".join(json.dumps(d) + "\n" for d in docs).encode("utf-8")
    write(folder / "gva" / "violent_corpus_docs.jsonl.gz", gzip.compress(body))


def test_parse_conll_text_and_event_mentions() -> None:
    docs = clustering.parse_conll(io.StringIO(CONLL_A + CONLL_B))
    assert [d.key for d in docs] == ["1/1ecb/1", "1/1ecb/2", "1/1ecb/3", "1/1ecb/4"]
    first = docs[0]
    assert first.text == "A storm hit Port Louis\nFishermen stayed ashore"
    # ACT8 opens on "hit" and never closes: dropped; HUM and LOC are not events
    found = [(first.text[m.start : m.end], m.chain) for m in first.mentions]
    assert found == [("storm", "ACT7"), ("hit", "Singleton_ACTI_2_1ecb"),
                     ("stayed ashore", "NEG4")]  # fmt: skip
    # the extra empty column of doc 2 leaves the token and its chain in place
    assert docs[1].text == "The storm" and docs[1].mentions[0].chain == "ACT7"
    assert docs[3].mentions == ()


def test_load_conll_reads_nested_gzip_in_tar(tmp_path: Path) -> None:
    docs = clustering.load_conll(write_ecbplus(tmp_path))
    assert [d.key for d in docs] == ["1/1ecb/1", "1/1ecb/2", "1/1ecb/3", "1/1ecb/4"]


def test_gold_clusters() -> None:
    docs = clustering.parse_conll(io.StringIO(CONLL_A + CONLL_B))
    assert clustering.document_clusters(docs) == {
        "1/1ecb/1": "1/1ecb/1", "1/1ecb/2": "1/1ecb/1", "1/1ecb/3": "1/1ecb/3",
    }  # fmt: skip
    assert clustering.mention_clusters(docs) == {
        "1/1ecb/1#0": "ACT7", "1/1ecb/1#1": "Singleton_ACTI_2_1ecb", "1/1ecb/1#2": "NEG4",
        "1/1ecb/2#0": "ACT7", "1/1ecb/3#0": "ACT9",
    }  # fmt: skip


def test_predictions_come_from_the_story_stage_and_events_match_by_trigger() -> None:
    docs = clustering.parse_conll(io.StringIO(CONLL_A))
    text = docs[0].text
    article = Article(id="x", text=text, published=None)
    event = Event("e1", "ASSAULT", Span.of(text, 2, 11), Evidence("test.rule", 0.8))
    records = {"1/1ecb/1": ArticleRecords(article, events=(event,)), "1/1ecb/2": None}
    run = run_stories(records)
    # the stored article is in a story; a key without records stays alone
    assert run.clusters == {"1/1ecb/1": "s1", "1/1ecb/2": "1/1ecb/2"}
    assert clustering.predictions_from(records) == run.clusters
    # its one event mention is a resolved event named by that mention
    assert run.events == {("1/1ecb/1", "e1"): "x:e1"}
    # the trigger "storm hit" overlaps both "storm" and "hit": one to one, largest overlap
    # first ("storm", 5 characters)
    found = clustering.mention_predictions(docs, records, run.events)
    assert found == {"1/1ecb/1#0": "x:e1"}
    # without resolved events each mention is its own cluster
    assert clustering.mention_predictions(docs, records, {}) == {"1/1ecb/1#0": "1/1ecb/1#e1"}


def test_score_perfect_empty_and_mixed() -> None:
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    perfect = clustering.score(gold, gold)
    assert all(v == 1.0 for v in perfect.values())
    empty = clustering.score(gold, {})  # nothing predicted: every item alone
    assert empty["pairwise_f1"] == 0.0 and empty["bcubed_precision"] == 1.0
    # B-cubed recall: a, b, c each 1/3 of their gold cluster, d 1/1 -> (1/3 * 3 + 1) / 4
    assert empty["bcubed_recall"] == pytest.approx(0.5)
    mixed = clustering.score(gold, {"a": "x", "b": "x", "c": "y", "d": "y"})
    # B-cubed P: a 2/2, b 2/2, c 1/2, d 1/2 -> 3/4; R: a 2/3, b 2/3, c 1/3, d 1/1 -> 2/3;
    # F1 = 2 * 3/4 * 2/3 / (3/4 + 2/3) = 1 / (17/12) = 12/17
    assert mixed["bcubed_precision"] == pytest.approx(0.75)
    assert mixed["bcubed_recall"] == pytest.approx(2 / 3)
    assert mixed["bcubed_f1"] == pytest.approx(12 / 17)
    # pairs: gold ab ac bc, predicted ab cd; 1 shared -> P 1/2, R 1/3, F1 2/5
    assert mixed["pairwise_precision"] == pytest.approx(0.5)
    assert mixed["pairwise_recall"] == pytest.approx(1 / 3)
    assert mixed["pairwise_f1"] == pytest.approx(0.4)


@pytest.mark.slow
def test_run_on_fixture(tmp_path: Path) -> None:
    write_gva(tmp_path)
    write_ecbplus(tmp_path)
    report = clustering.TASK.run(tmp_path, None, 5)
    assert report.counts == {
        "gva_articles": 3, "gva_incidents": 2, "gva_predicted_clusters": 3, "gva_rejected": 0,
        "ecbplus_documents": 4, "ecbplus_documents_without_events": 1,
        "ecbplus_doc_clusters": 2, "ecbplus_predicted_doc_clusters": 3,
        "ecbplus_event_mentions": 5, "ecbplus_event_chains": 4, "ecbplus_mentions_matched": 0,
    }  # fmt: skip
    # singletons: B-cubed recall (1/2 + 1/2 + 1) / 3 on GVA
    assert report.metrics["gva_bcubed_precision"] == 1.0
    assert report.metrics["gva_bcubed_recall"] == pytest.approx(2 / 3)
    # the split gold clusters: incident 10 and ECB+ documents 1 and 2
    assert [e["id"] for e in report.errors] == ["gva:10", "ecbplus:1/1ecb/1"]
    assert clustering.TASK.run(tmp_path / "nothing-here", None, 2).counts == {}


@pytest.mark.slow
def test_run_on_shared_eval(shared: Path) -> None:
    report = clustering.TASK.run(shared / "eval", 4, 2)
    if not report.counts:
        pytest.skip("no GVA or ECB+ data under ../shared/eval")
    assert report.counts.get("gva_articles", 4) == 4
    assert report.counts.get("ecbplus_documents", 4) == 4
    assert report.metrics.get("gva_bcubed_precision", 1.0) == 1.0
