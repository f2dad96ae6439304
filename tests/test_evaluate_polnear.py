"""The quotes task: brat attributions, pair/cue scoring, annotator averaging, the run."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from eventscope.evaluate import polnear, polnear_brat
from eventscope.evaluate.polnear import score
from eventscope.evaluate.polnear_brat import AnnotatedText, Attribution, load_polnear

from .conftest import write

# Invented reports, annotated the PolNeAR way.
TEXT = (
    "The mayor said on Monday that the bridge would reopen soon. "
    "“We are ready,” the engineer told reporters, “and the town is too.”\n"
)
OTHER = "Café owners in Zürich warned that rents would rise, a survey showed.\n"
METADATA = (
    "compartment\tfilename\tlevel\tannotators\tpublisher\tpublication_date\n"
    "dev\tnews_2021-05-03_bridge\tNone\taa11|bb22\tdaily\t2021-05-03\n"
    "dev\tnews_2021-05-04_rents\tNone\taa11\tdaily\t2021-05-04\n"
)


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


MAYOR, SAID = at(TEXT, "The mayor"), at(TEXT, "said")
REOPEN = at(TEXT, "that the bridge would reopen soon")
QUOTE1, QUOTE2 = at(TEXT, "“We are ready,”"), at(TEXT, "“and the town is too.”")
ENGINEER, TOLD = at(TEXT, "the engineer"), at(TEXT, "told")


def t_line(tid: str, label: str, text: str, *frags: tuple[int, int]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in frags)}"


ANN_AA = "\n".join([
    t_line("T1", "Source", TEXT, MAYOR),
    t_line("T2", "Cue", TEXT, SAID),
    t_line("T3", "Content", TEXT, REOPEN),
    t_line("T4", "Attribution", TEXT, SAID),
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    t_line("T5", "Source", TEXT, ENGINEER),
    t_line("T6", "Cue", TEXT, TOLD),
    t_line("T7", "Content", TEXT, QUOTE1, QUOTE2),  # one discontinuous span
    t_line("T8", "Attribution", TEXT, TOLD),
    "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
    "E3\tAttribution-no-source:T8",  # no content: left out
    "#1\tAnnotatorNotes T1\ta note",
]) + "\n"  # fmt: skip
ANN_BB = "\n".join([
    t_line("T1", "Cue", TEXT, SAID),
    t_line("T2", "Content", TEXT, REOPEN),
    t_line("T3", "Attribution-no-source", TEXT, SAID),
    "E1\tAttribution-no-source:T3 Cue:T1 Content:T2",
]) + "\n"  # fmt: skip
RENTS, WARNED = at(OTHER, "that rents would rise"), at(OTHER, "warned")
OWNERS = at(OTHER, "Café owners in Zürich")


def byte_offsets(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    return len(text[:start].encode("utf-8")), len(text[:end].encode("utf-8"))


# The same kind of file written with UTF-8 byte offsets (as some brat exports do).
ANN_BYTES = "\n".join([
    f"T1\tSource 0 {byte_offsets(OTHER, OWNERS)[1]}\tCafé owners in Zürich",
    "T2\tCue {} {}\twarned".format(*byte_offsets(OTHER, WARNED)),
    "T3\tContent {} {}\tthat rents would rise".format(*byte_offsets(OTHER, RENTS)),
    "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
]) + "\n"  # fmt: skip


def make_corpus(root: Path) -> Path:
    dev = root / "corpus" / "dev"
    write(dev / "text" / "news_2021-05-03_bridge.txt", TEXT)
    write(dev / "attributions" / "news_2021-05-03_bridge_aa11.ann", ANN_AA)
    write(
        dev / "attributions" / "news_2021-05-03_bridge_bb22.ann.gz", gzip.compress(ANN_BB.encode())
    )
    write(dev / "text" / "news_2021-05-04_rents.txt", OTHER)
    write(dev / "attributions" / "news_2021-05-04_rents_aa11.ann", ANN_BYTES)
    write(root / "corpus" / "metadata.tsv", METADATA)
    write(root / "corpus" / "notes" / "stray_aa11.ann", ANN_AA)  # not under attributions/
    return dev


def test_load_reads_roles_fragments_annotators_and_dates(tmp_path: Path) -> None:
    dev = make_corpus(tmp_path)
    texts = load_polnear(sorted((dev / "attributions").iterdir()))
    bridge, rents = texts
    assert bridge.key == "news_2021-05-03_bridge" and str(bridge.published) == "2021-05-03"
    assert bridge.annotations["aa11"] == (
        Attribution(content=(REOPEN,), source=(MAYOR,), cue=(SAID,), direct=False),
        Attribution(content=(QUOTE1, QUOTE2), source=(ENGINEER,), cue=(TOLD,), direct=True),
    )
    assert bridge.annotations["bb22"] == (Attribution(content=(REOPEN,), cue=(SAID,)),)
    assert (bridge.t_lines, bridge.t_mismatches, bridge.no_content) == (11, 0, 1)
    # Byte offsets are detected and converted to character offsets.
    assert rents.byte_offset_files == 1 and rents.t_mismatches == 0
    assert rents.annotations["aa11"][0].source == (OWNERS,)
    assert rents.annotations["aa11"][0].content == (RENTS,)


def test_direct_means_fully_quoted() -> None:
    text = "He said “A” and “B”, then “a “nested” one” and “all of it.”"
    assert not polnear_brat.is_quoted(text, (at(text, "“A” and “B”"),))
    assert polnear_brat.is_quoted(text, (at(text, "a “nested” one"),))
    assert polnear_brat.is_quoted(text, (at(text, "all of it."),))
    assert not polnear_brat.is_quoted(text, (at(text, "He said"),))


def one_annotator(gold: tuple[Attribution, ...]) -> AnnotatedText:
    return AnnotatedText("t", TEXT, None, {"aa11": gold})


def test_score_gold_as_prediction_is_perfect_and_nothing_is_zero() -> None:
    gold = one_annotator(tuple(polnear_brat.parse_ann(TEXT, ANN_AA)[0]))
    perfect = score([gold], [list(gold.annotations["aa11"])])
    assert all(value == 1.0 for value in perfect.values())
    assert all(value == 0.0 for value in score([gold], [[]]).values())


def test_score_mixed_case_by_hand() -> None:
    indirect = Attribution(content=(REOPEN,), source=(MAYOR,), cue=(SAID,))
    direct = Attribution(content=(QUOTE1,), source=(ENGINEER,), cue=(TOLD,), direct=True)
    predicted = [
        # "mayor said": source overlaps, content exact -> pair by overlap, not strict
        Attribution(content=(REOPEN,), source=((MAYOR[0] + 4, SAID[1]),), cue=(SAID,)),
        Attribution(content=(QUOTE1,)),  # no speaker: content only, no pair
        Attribution(content=((0, 3),), source=((60, 62),), cue=(ENGINEER,)),  # wrong everywhere
    ]
    result = score([one_annotator((indirect, direct))], [predicted])
    # pairs: gold 2, predicted 3, overlap tp 1 -> P 1/3, R 1/2, F1 2*(1/6)/(5/6) = 0.4
    assert result["pair_overlap_precision"] == pytest.approx(1 / 3)
    assert result["pair_overlap_recall"] == pytest.approx(0.5)
    assert result["pair_overlap_f1"] == pytest.approx(0.4)
    assert result["pair_strict_f1"] == 0.0
    # content: tp 2 of gold 2, predicted 3 -> P 2/3, R 1, F1 0.8
    assert result["content_overlap_f1"] == pytest.approx(0.8)
    # cues: gold {said, told}, predicted {said, engineer} -> tp 1: P = R = F1 = 1/2
    assert result["cue_overlap_f1"] == pytest.approx(0.5)
    assert result["pair_recall_indirect"] == 1.0 and result["pair_recall_direct"] == 0.0


def test_score_averages_annotators_per_text() -> None:
    first = Attribution(content=(REOPEN,), source=(MAYOR,), cue=(SAID,))
    second = Attribution(content=(QUOTE1,), source=(ENGINEER,), cue=(TOLD,), direct=True)
    gold = AnnotatedText("t", TEXT, None, {"a": (first, second), "b": (first,)})
    result = score([gold], [[first]])
    # a: tp 1, fn 1; b: tp 1; each weighs 1/2 -> tp 1, fp 0, fn 0.5: P 1, R 2/3, F1 0.8
    assert result["pair_overlap_precision"] == 1.0
    assert result["pair_overlap_recall"] == pytest.approx(2 / 3)
    assert result["pair_overlap_f1"] == pytest.approx(0.8)


def test_run_on_small_corpus(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    report = polnear.TASK.run(tmp_path, None, 2)
    assert report.task == "quotes"
    assert report.counts["texts"] == 2
    assert report.counts["annotation_files"] == 3
    assert report.counts["gold_attributions"] == 4
    assert report.counts["gold_direct"] == 1
    assert report.counts["texts_with_date"] == 2
    assert report.counts["byte_offset_files"] == 1
    assert report.counts["t_text_mismatches"] == 0
    assert report.counts["rejected"] == 0
    assert set(report.metrics) >= {"pair_overlap_f1", "pair_strict_f1", "cue_overlap_f1"}
    assert len(report.errors) <= 2
    for error in report.errors:
        assert set(error) == {"id", "text", "gold", "predicted"}
    assert polnear.TASK.run(tmp_path, 1, 0).counts["texts"] == 1
    assert polnear.TASK.run(tmp_path / "corpus" / "notes", None, 0).counts == {}


def test_run_on_shared_data(shared: Path) -> None:
    report = polnear.TASK.run(shared / "eval", 2, 2)
    assert report.counts["texts"] == 2
    assert report.counts["gold_attributions"] > 0
    assert report.counts["t_text_mismatches"] == 0
