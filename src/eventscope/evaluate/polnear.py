"""quotes: attributions of PolNeAR (brat standoff: `text/X.txt`, `attributions/X_ANN.ann`).

A gold attribution is an `E` line tying a Source, a Cue and Content (`Content2`: more
content); its spans keep every fragment of discontinuous `T` spans. Each text may have
one annotation file per annotator (the suffix after the last `_`): the text is scored
against each annotator's file and the counts are averaged, so every text weighs once.
Offsets are Unicode code points of the UTF-8 text; a file whose offsets only fit as UTF-8
byte offsets is converted, and `T` lines whose text still differs from the slice are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, predict, timed
from .metrics import overlaps
from .polnear_brat import (
    AnnotatedText,
    Attribution,
    Fragments,
    fragment_text,
    load_polnear,
)
from .tempeval3 import context_window

NAME = "quotes"
# Trimmed before strict comparison: annotators differ on including these.
_TRIM = " \t\n\"“”«»„‘’'.,;:"


def predictions_from(records: ArticleRecords | None) -> list[Attribution]:
    """The pipeline's quotes as attributions (speaker span, content, cue)."""
    if records is None:
        return []
    return [
        Attribution(
            content=((q.content.start, q.content.end),),
            source=((q.speaker_span.start, q.speaker_span.end),) if q.speaker_span else (),
            cue=((q.cue.start, q.cue.end),) if q.cue else (),
            direct=q.kind == "direct",
        )
        for q in records.quotes
    ]


def _shared(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


def _trimmed(text: str, frags: Fragments) -> tuple[int, int] | None:
    """The fragments' outer extent without surrounding spaces, quote marks, punctuation."""
    if not frags:
        return None
    start, end = frags[0][0], frags[-1][1]
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _fits(text: str, g: Fragments, p: Fragments, *, strict: bool) -> bool:
    """Both absent, or both present and equal (strict) or overlapping."""
    if not g or not p:
        return not g and not p
    if strict:
        return _trimmed(text, g) == _trimmed(text, p)
    return any(overlaps(x, y) for x in g for y in p)


def match_roles(
    text: str,
    gold: Sequence[Sequence[Fragments]],
    predicted: Sequence[Sequence[Fragments]],
    *,
    strict: bool,
) -> list[tuple[int, int]]:
    """One-to-one (gold, predicted) matches of items made of role spans: every role must
    fit; greedy by most shared characters."""
    candidates = sorted(
        (-sum(_shared(a, b) for a, b in zip(g, p, strict=True)), i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(predicted)
        if all(_fits(text, a, b, strict=strict) for a, b in zip(g, p, strict=True))
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return sorted(out)


@dataclass
class Tally:
    """Fractional tp/fp/fn: one text's counts averaged over its annotators."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, tp: int, n_gold: int, n_pred: int, weight: float) -> None:
        self.tp += tp * weight
        self.fp += (n_pred - tp) * weight
        self.fn += (n_gold - tp) * weight

    def prf(self, prefix: str) -> dict[str, float | None]:
        # metrics.prf takes whole counts; averaged counts are fractional.
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {f"{prefix}_precision": p, f"{prefix}_recall": r, f"{prefix}_f1": f}


def _unique(spans: Sequence[Fragments]) -> list[tuple[Fragments]]:
    return [(s,) for s in dict.fromkeys(s for s in spans if s)]


def score(
    gold: Sequence[AnnotatedText], predicted: Sequence[Sequence[Attribution]]
) -> dict[str, float | None]:
    """(source, content) pair P/R/F1 by overlap and strict match, content and cue F1 by
    overlap, and pair recall of direct and indirect gold quotes."""
    tallies = {name: Tally() for name in ("pair_overlap", "pair_strict", "content", "cue")}
    kinds = {"direct": [0.0, 0.0], "indirect": [0.0, 0.0]}  # [found, gold]
    for doc, found in zip(gold, predicted, strict=True):
        weight = 1 / len(doc.annotations) if doc.annotations else 0.0
        pred_pairs = [(p.source, p.content) for p in found]
        pred_cues = _unique([p.cue for p in found])
        for attributions in doc.annotations.values():
            pairs = [(g.source, g.content) for g in attributions]
            for strict, name in ((False, "pair_overlap"), (True, "pair_strict")):
                hits = match_roles(doc.text, pairs, pred_pairs, strict=strict)
                tallies[name].add(len(hits), len(pairs), len(pred_pairs), weight)
                if not strict:
                    matched = {i for i, _ in hits}
                    for i, g in enumerate(attributions):
                        tally = kinds["direct" if g.direct else "indirect"]
                        tally[0] += weight * (i in matched)
                        tally[1] += weight
            contents = [(g.content,) for g in attributions]
            hits = match_roles(doc.text, contents, [(p.content,) for p in found], strict=False)
            tallies["content"].add(len(hits), len(contents), len(found), weight)
            cues = _unique([g.cue for g in attributions])
            hits = match_roles(doc.text, cues, pred_cues, strict=False)
            tallies["cue"].add(len(hits), len(cues), len(pred_cues), weight)
    metrics: dict[str, float | None] = {}
    for name in ("pair_overlap", "pair_strict"):
        metrics.update(tallies[name].prf(name))
    metrics["content_overlap_f1"] = tallies["content"].prf("c")["c_f1"]
    metrics.update(tallies["cue"].prf("cue_overlap"))
    for kind, (hit, total) in kinds.items():
        metrics[f"pair_recall_{kind}"] = hit / total if total else None
    return metrics


def _show(text: str, a: Attribution) -> dict[str, object]:
    return {
        "source": fragment_text(text, a.source) or None,
        "cue": fragment_text(text, a.cue) or None,
        "content": fragment_text(text, a.content),
        "direct": a.direct,
    }


def misses(doc: AnnotatedText, predicted: Sequence[Attribution]) -> list[dict[str, object]]:
    """Gold attributions of the first annotator without an overlapping predicted pair."""
    if not doc.annotations:
        return []
    annotator = sorted(doc.annotations)[0]
    gold = doc.annotations[annotator]
    pred_pairs = [(p.source, p.content) for p in predicted]
    hits = dict(match_roles(doc.text, [(g.source, g.content) for g in gold], pred_pairs,
                            strict=False))  # fmt: skip
    out: list[dict[str, object]] = []
    for i, g in enumerate(gold):
        if i in hits:
            continue
        near = next((p for p in predicted if _shared(p.content, g.content)), None)
        frags = sorted(g.content + g.source + g.cue)
        start, end = frags[0][0], max(e for _, e in frags)
        out.append({
            "id": f"{doc.key}_{annotator}:{g.content[0][0]}",
            "text": context_window(doc.text, start, min(end, start + 400), width=40),
            "gold": _show(doc.text, g),
            "predicted": _show(doc.text, near) if near else None,
        })  # fmt: skip
    return out


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    files = find_files(path, "polnear", ("*.ann", "*.ann.gz"))
    report = TaskReport(NAME, str(path))
    # A text without content cannot be parsed (the pipeline rejects empty input).
    docs = [d for d in load_polnear(files, limit) if d.text.strip()]
    if not docs:
        return report
    # Keys carry the position: two folders may hold texts of the same name.
    keys = [f"{d.key}#{k}" for k, d in enumerate(docs)]
    results = dict(
        predict(((key, d.text, d.published) for key, d in zip(keys, docs, strict=True)), kb=kb)
    )
    predicted = [predictions_from(results[key]) for key in keys]
    report.metrics = score(docs, predicted)
    gold = [g for d in docs for anns in d.annotations.values() for g in anns]
    report.counts = {
        "texts": len(docs),
        "annotation_files": sum(len(d.annotations) for d in docs),
        "gold_attributions": len(gold),
        "gold_direct": sum(g.direct for g in gold),
        "gold_without_source": sum(not g.source for g in gold),
        "predicted_quotes": sum(len(p) for p in predicted),
        "predicted_with_speaker": sum(1 for p in predicted for q in p if q.source),
        "texts_with_date": sum(1 for d in docs if d.published),
        "rejected": sum(1 for key in keys if results[key] is None),
        "t_lines": sum(d.t_lines for d in docs),
        "t_text_mismatches": sum(d.t_mismatches for d in docs),
        "byte_offset_files": sum(d.byte_offset_files for d in docs),
        "e_without_content": sum(d.no_content for d in docs),
    }
    report.notes.append(
        "Each text scored against every annotator's file, counts averaged per text; a pair "
        "matches when speaker and content spans overlap the gold Source and Content (or both "
        "lack a source); direct = gold content fully inside quote marks."
    )
    report.collect_errors((misses(d, f) for d, f in zip(docs, predicted, strict=True)), errors)
    return report


TASK = Task(NAME, "PolNeAR attributions: source, cue and content of quotes", run)
