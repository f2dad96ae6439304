"""The entities task: MEANTIME CoNLL and factRuEval-2016 loaders, scoring, and a run.

Fixtures are written here with invented sentences, in the real formats.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from eventscope.evaluate import entities
from eventscope.evaluate.entities import GoldDoc, GoldMention

# Tab-separated like the real files; a chain id ends in its class (PER, ORG, LOC, PRO, OTH).
CONLL = """#begin document (corpus_test/1); part 000
corpus_test/1	0	0	Maria	(cross_intra_PER1
corpus_test/1	0	1	Lopez	cross_intra_PER1)
corpus_test/1	0	2	visited	(cross_intra_OTH5)
corpus_test/1	0	3	Lima	(intra_LOC2)
corpus_test/1	0	4	.	-

corpus_test/1	1	0	Later	-
corpus_test/1	1	1	she	(intra_PER1)
corpus_test/1	1	2	thanked	-
corpus_test/1	1	3	Acme	(cross_ORG6)| (cross_intra_ORG7
corpus_test/1	1	4	Bank	cross_intra_ORG7)
corpus_test/1	1	5	for	-
corpus_test/1	1	6	phones	(cross_PRO4)
corpus_test/1	1	7	.	-

#end document
#begin document (corpus_test/2); part 000
corpus_test/2	0	0	Kiev	(cross_intra_LOC8)
corpus_test/2	0	1	is	-
corpus_test/2	0	2	calm	-
corpus_test/2	0	3	.	-

#end document
"""
MEANTIME_TEXT = "Maria Lopez visited Lima .\nLater she thanked Acme Bank for phones ."

FACTRU_TEXT = (
    "Иван Петров приехал в Казань.\n\nМинистерство финансов России сообщило об этом министру."
)
# span id -> (type, covered text); offsets are found in FACTRU_TEXT when writing the file.
FACTRU_SPANS = {
    "1": ("name", "Иван"),
    "2": ("surname", "Петров"),
    "3": ("loc_name", "Казань"),
    "4": ("org_name", "Министерство финансов"),
    "5": ("loc_name", "России"),
    "6": ("job", "министру"),
}
# Person from two name spans; an Org whose extent reaches its loc_name span; a LocOrg;
# a descriptor-only Person (not scored); a Project (not scored).
FACTRU_OBJECTS = "10 Person 1 2 # Иван Петров\n11 Location 3 # Казань\n12 Org 4 5 # x\n"
FACTRU_OBJECTS += "13 LocOrg 5 # России\n14 Person 6 # министру\n15 Project 4 # x\n"


def write_meantime(root: Path) -> Path:
    path = root / "meantime" / "en" / "meantime.conll.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(CONLL.encode("utf-8")))
    return path


def write_factrueval(root: Path) -> Path:
    path = root / "factrueval2016" / "testset.tar.gz"
    path.parent.mkdir(parents=True)
    spans = ""
    for span_id, (kind, covered) in FACTRU_SPANS.items():
        start = FACTRU_TEXT.index(covered)
        spans += (
            f"{span_id} {kind} {start} {len(covered)} 100{span_id} 1  # 100{span_id} {covered}\n"
        )
    files = {
        "testset/book_1.txt": FACTRU_TEXT,
        "testset/book_1.tokens": "1001 0 4 Иван\n",
        "testset/book_1.spans": spans,
        "testset/book_1.objects": FACTRU_OBJECTS,
        "testset/book_1.coref": "",
        "testset/book_1.facts": "",
        "testset/list.txt": "book_1.txt book_9.txt\n",
        "testset/LICENSE": "invented\n",
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            data = content.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def spans_of(doc: GoldDoc) -> list[tuple[str, tuple[str, ...], bool]]:
    return [(doc.text[m.start : m.end], m.types, m.is_named) for m in doc.mentions]


def test_load_meantime_rebuilds_text_and_mentions(tmp_path: Path) -> None:
    first, second = entities.load_meantime(write_meantime(tmp_path))
    assert (first.corpus, first.key) == ("meantime-en", "meantime-en:corpus_test/1")
    assert first.text == MEANTIME_TEXT
    assert spans_of(first) == [
        ("Maria Lopez", ("PER",), True),
        ("Lima", ("LOC",), True),
        ("she", ("PER",), False),
        ("Acme", ("ORG",), True),
        ("Acme Bank", ("ORG",), True),
    ]
    assert first.unscored == 1  # "phones" (PRO); the OTH event chain is ignored
    assert first.has_nominals
    assert second.text == "Kiev is calm ."
    assert spans_of(second) == [("Kiev", ("LOC",), True)]


def test_load_factrueval_reads_the_archive(tmp_path: Path) -> None:
    (doc,) = entities.load_factrueval(write_factrueval(tmp_path))
    assert (doc.corpus, doc.key, doc.text) == ("factrueval", "factrueval:book_1", FACTRU_TEXT)
    assert spans_of(doc) == [
        ("Иван Петров", ("PER",), True),
        ("Казань", ("LOC",), True),
        ("Министерство финансов России", ("ORG",), True),
        ("России", ("LOC", "ORG"), True),
    ]
    assert doc.unscored == 2


def test_load_skips_archives_of_other_formats(tmp_path: Path) -> None:
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("docs/a.json")
        tar.addfile(info, io.BytesIO(b""))
    (tmp_path / "broken.tar.gz").write_bytes(b"not a tar")
    assert list(entities.load(tmp_path)) == []


def test_score_gold_as_prediction_and_empty(tmp_path: Path) -> None:
    write_meantime(tmp_path)
    write_factrueval(tmp_path)
    docs = list(entities.load(tmp_path))
    gold = [[(m.start, m.end, m.types[0]) for m in doc.mentions] for doc in docs]
    perfect = entities.score(docs, gold)
    assert "meantime-en.named.overlap.micro.f1" in perfect
    assert "factrueval.all.exact.loc.recall" in perfect
    assert "factrueval.named.exact.micro.f1" not in perfect  # factRuEval marks names only
    assert set(perfect.values()) == {1.0}
    assert set(entities.score(docs, [[] for _ in docs]).values()) == {0.0}


def test_score_mixed_case() -> None:
    doc = GoldDoc(
        "c",
        "c:1",
        "x" * 80,
        (
            GoldMention(0, 10, ("PER",)),
            GoldMention(20, 30, ("ORG",)),
            GoldMention(40, 45, ("LOC", "ORG")),  # LocOrg
            GoldMention(50, 60, ("ORG",), is_named=False),
        ),
        has_nominals=True,
    )
    predicted = [(0, 10, "PER"), (20, 25, "ORG"), (40, 45, "ORG"), (50, 60, "ORG"), (70, 75, "LOC")]
    got = entities.score([doc], [predicted])
    # all/exact: tp 3 (PER 0-10, ORG 40-45 on the LocOrg, ORG 50-60), fp 2 (20-25, 70-75),
    # fn 1 (20-30): P 3/5, R 3/4, F1 2*0.6*0.75/1.35 = 2/3.
    assert got["c.all.exact.micro.precision"] == pytest.approx(0.6)
    assert got["c.all.exact.micro.recall"] == pytest.approx(0.75)
    assert got["c.all.exact.micro.f1"] == pytest.approx(2 / 3)
    # ORG: tp 2, fp 1, fn 1 -> 2/3 each; LOC: only the fp 70-75 -> 0.
    assert got["c.all.exact.org.f1"] == pytest.approx(2 / 3)
    assert got["c.all.exact.per.f1"] == pytest.approx(1.0)
    assert got["c.all.exact.loc.precision"] == 0.0
    # all/overlap: 20-25 now matches 20-30: tp 4, fp 1, fn 0 -> P 0.8, R 1, F1 1.6/1.8.
    assert got["c.all.overlap.micro.f1"] == pytest.approx(1.6 / 1.8)
    # named/exact: the match on the unnamed 50-60 counts neither way: tp 2, fp 2, fn 1
    # -> P 2/4, R 2/3, F1 2*(1/2)*(2/3)/(7/6) = 4/7.
    assert got["c.named.exact.micro.precision"] == pytest.approx(0.5)
    assert got["c.named.exact.micro.f1"] == pytest.approx(4 / 7)
    # named/overlap: tp 3, fp 1, fn 0 -> P 3/4, R 1, F1 1.5/1.75 = 6/7.
    assert got["c.named.overlap.micro.f1"] == pytest.approx(6 / 7)
    assert "c.named.exact.org.f1" not in got  # the named view is micro only


def test_missed_locorg_counts_under_loc() -> None:
    doc = GoldDoc("c", "c:1", "x" * 10, (GoldMention(0, 5, ("LOC", "ORG")),))
    assert entities.tally([doc], [[]], strict=True)["LOC"] == [0, 0, 1]
    # a PER prediction on it is the wrong type: no match
    assert entities.match_typed(doc.mentions, [(0, 5, "PER")], strict=False) == {}


def test_run_on_fixture(tmp_path: Path) -> None:
    write_meantime(tmp_path)
    write_factrueval(tmp_path)
    report = entities.TASK.run(tmp_path, None, 2)
    counts = report.counts
    assert counts["documents"] == 3
    assert counts["rejected"] == 0
    assert counts["gold_mentions"] == 10  # 5 + 1 MEANTIME, 4 factRuEval
    assert counts["gold_named_mentions"] == 9
    assert counts["gold_unscored_mentions"] == 3
    assert counts["meantime-en.documents"] == 2
    assert counts["factrueval.gold_mentions"] == 4
    assert counts["predicted_mentions"] >= counts["gold_with_prediction"]
    assert all(v is not None and 0.0 <= v <= 1.0 for v in report.metrics.values())
    assert len(report.errors) <= 2
    assert all(set(e) == {"id", "text", "gold", "predicted"} for e in report.errors)
    assert report.notes


def test_run_limit_single_file_and_no_data(tmp_path: Path) -> None:
    conll = write_meantime(tmp_path)
    write_factrueval(tmp_path)
    assert entities.TASK.run(tmp_path, 1, 0).counts["documents"] == 1
    single = entities.TASK.run(conll, None, 0)
    assert single.counts["documents"] == 2
    assert "factrueval.documents" not in single.counts
    empty = tmp_path / "empty"
    empty.mkdir()
    assert entities.TASK.run(empty, None, 0).counts == {}


def test_run_on_shared_eval(shared: Path) -> None:
    report = entities.TASK.run(shared / "eval", 3, 1)
    assert report.counts["documents"] == 3
    assert report.counts["gold_mentions"] > 0
    assert all(v is not None and 0.0 <= v <= 1.0 for v in report.metrics.values())
