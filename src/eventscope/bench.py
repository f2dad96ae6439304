"""Throughput and peak memory of the full pipeline against the bare spaCy parse.

The corpus is read once and written as JSON Lines to a temporary folder. Each round then
runs, alternating, a fresh worker process for the bare parse and one for the full
pipeline (read, language, parse, extraction stages, store writes into a temporary
store), each with the same model, components, texts, batch size and process count. A
worker loads its model before its clock starts, and reports its time and its own peak
RSS (plus that of its largest child, with --n-process > 1).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eventscope.errors import E003, E008, InputError
from eventscope.model import Article, word_count
from eventscope.pipeline import Timings, with_language
from eventscope.sources import ReadOptions, read_paths

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "samples" / "kazakhstan-2022"
_WARM_UP = "Protesters gathered in Almaty on Monday, the Interior Ministry of Kazakhstan said."


@dataclass
class BenchReport:
    corpus: str
    articles: int
    words: int
    rounds: int
    batch_size: int
    n_process: int
    bare: dict[str, float] = field(default_factory=dict)
    full: dict[str, float] = field(default_factory=dict)
    ratio: float = 0.0  # full words/s over bare words/s
    stages: dict[str, float] = field(default_factory=dict)  # share of the full run's time
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Loading of the full pipeline by part (median seconds, outside the timed run):
    # spaCy model, knowledge base, gazetteer index, and the rest of first use.
    loading: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def rounded(v: Any) -> Any:
            if isinstance(v, dict):
                return {k: rounded(x) for k, x in v.items()}
            return round(v, 4) if isinstance(v, float) else v

        return {k: rounded(v) for k, v in vars(self).items()}


def read_corpus(source: Path) -> list[Article]:
    """The distinct articles of any input ingest reads (the pipeline skips duplicates)."""
    opts = ReadOptions(min_chars=1, max_chars=10_000_000)
    read = [a for a in read_paths([str(source)], opts) if isinstance(a, Article)]
    articles = list({a.id: a for a in read}.values())
    if not articles:
        raise InputError(E008, f"no articles could be read from {source}")
    return articles


def write_corpus(
    articles: list[Article], path: Path, languages: list[str | None], *, metadata: bool = False
) -> Path:
    """The articles as JSON Lines (with `metadata`: their title, url and source too)."""
    with open(path, "w", encoding="utf-8") as handle:
        for a, language in zip(articles, languages, strict=True):
            published = a.published.isoformat() if a.published else None
            record = {"text": a.text, "date": published, "language": language, "id": a.id}
            if metadata:
                record |= {"title": a.title, "url": a.url, "source": a.source}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # Linux reports kilobytes


def worker(mode: str, corpus: Path, *, batch_size: int, n_process: int) -> dict[str, Any]:
    """One timed run in this process: `bare` parses, `full` runs the whole pipeline."""
    from eventscope.extract import stages_for
    from eventscope.kb.actors import load_actor_kb
    from eventscope.kb.gazetteer import load_gazetteer, place_lexicon
    from eventscope.nlp.parse import english_components, load_nlp, parse_stream
    from eventscope.pipeline import extract_batch, ingest
    from eventscope.resolve.signature import idf
    from eventscope.sources.base import make_article
    from eventscope.store import Store

    # Loading is timed apart from the run: the model for both; for the pipeline, also
    # what its stages load on first use (knowledge base, gazetteer, language detector),
    # by extracting one short text.
    loading: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        loading[step] = now - clock
        clock = now

    required = {c for stage in stages_for() for c in stage.requires}
    load_nlp("en", english_components(required))
    lap("model")
    if mode == "full":
        load_actor_kb()  # the shipped KB: the bench measures the shipped pipeline
        lap("knowledge_base")
        load_gazetteer().lookup("Almaty")  # the index is queried on disk, not read whole
        place_lexicon()
        lap("gazetteer")
        extract_batch([make_article(_WARM_UP, input_ref="warm-up", opts=ReadOptions(),
                                    published=date(2022, 1, 10))])  # fmt: skip
        lap("first_use")
        idf("the", "en")  # the word-frequency table the story signatures weigh terms by
        lap("stories")
    load_seconds = sum(loading.values())
    opts = ReadOptions(min_chars=1, max_chars=10_000_000)
    if mode == "bare":
        articles = [a for a in read_paths([str(corpus)], opts) if isinstance(a, Article)]
        started = time.perf_counter()
        parsed = parse_stream(
            articles, components=required, batch_size=batch_size, n_process=n_process
        )
        count = sum(1 for _ in parsed)
        seconds = time.perf_counter() - started
        timings: dict[str, float] = {"parse": seconds}
    else:
        timings = Timings()
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
            started = time.perf_counter()
            summary = ingest([str(corpus)], store, opts=opts, batch_size=batch_size,
                             n_process=n_process, timings=timings)  # fmt: skip
            seconds = time.perf_counter() - started
            count = summary.stored
    return {"mode": mode, "seconds": seconds, "articles": count, "peak_rss_mb": _peak_rss_mb(),
            "load_seconds": load_seconds, "loading": loading,
            "timings": dict(timings)}  # fmt: skip


def _run_worker(mode: str, corpus: Path, batch_size: int, n_process: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "eventscope.bench", mode, str(corpus), str(batch_size),
           str(n_process)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench worker {mode} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench(
    corpus: Path | None = None,
    *,
    rounds: int = 3,
    batch_size: int = 64,
    n_process: int = 1,
    limit: int | None = None,
) -> BenchReport:
    """Bare parse vs full pipeline on the same articles, alternating for `rounds` rounds."""
    if rounds < 1 or batch_size < 1 or n_process < 1:
        raise InputError(E003, "rounds, batch size and processes must be positive")
    source = corpus or SAMPLE_CORPUS
    articles = read_corpus(source)[:limit]
    report = BenchReport(str(source), len(articles), sum(word_count(a.text) for a in articles),
                         rounds, batch_size, n_process)  # fmt: skip
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "full": []}
    with tempfile.TemporaryDirectory() as folder:
        # The bare parse is told each text's language (detected here, as the pipeline
        # would), so it parses exactly the texts the pipeline parses in English; the
        # pipeline gets the languages the input gave, and detects the rest itself.
        paths = {
            "bare": write_corpus(articles, Path(folder) / "bare.jsonl",
                                  [with_language(a).language for a in articles]),
            "full": write_corpus(articles, Path(folder) / "full.jsonl",
                                  [a.language for a in articles]),
        }  # fmt: skip
        for index in range(rounds):
            # Alternate which goes first, so warm caches favour neither.
            order = ("bare", "full") if index % 2 == 0 else ("full", "bare")
            for mode in order:
                runs[mode].append(_run_worker(mode, paths[mode], batch_size, n_process))
    for mode, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        summary = {
            "seconds_median": seconds,
            "seconds_min": min(r["seconds"] for r in results),
            "articles_per_s": report.articles / seconds if seconds else 0.0,
            "words_per_s": report.words / seconds if seconds else 0.0,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "load_seconds": statistics.median(r["load_seconds"] for r in results),
        }
        setattr(report, mode, summary)
    if report.bare["words_per_s"]:
        report.ratio = report.full["words_per_s"] / report.bare["words_per_s"]
    totals: dict[str, float] = {}
    for result in runs["full"]:
        for step, seconds in result["timings"].items():
            totals[step] = totals.get(step, 0.0) + seconds / rounds
    report.stage_seconds = totals
    report.loading = {
        part: statistics.median(r["loading"][part] for r in runs["full"])
        for part in runs["full"][0]["loading"]
    }
    report.stages = Timings(totals).shares()
    return report


if __name__ == "__main__":  # the worker process: MODE CORPUS BATCH_SIZE N_PROCESS
    mode_arg, corpus_arg, batch_arg, procs_arg = sys.argv[1:5]
    result = worker(mode_arg, Path(corpus_arg), batch_size=int(batch_arg), n_process=int(procs_arg))
    print(json.dumps(result))
