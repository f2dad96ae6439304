"""Load on the HTTP API while an ingest writes to its store (`eventscope bench-load`).

`eventscope serve` runs in its own process on the store, and `eventscope ingest` writes
into the same store from another for the whole window: copies of the corpus (by default
the sample corpus), each article's text marked with its copy's number so that every copy
is new articles, a process after another until the window ends. Client threads (httpx,
one keep-alive connection each) ask for a seeded mix of what the dashboard asks for:
/events first pages, deep offsets, type, country, date and full-text filters, and /stats
whole and filtered. Every answer that is not 2xx (a 503 from the query time limit too),
every failed connection and every ingest that fails is an error.
"""

from __future__ import annotations

import dataclasses
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from eventscope.bench import SAMPLE_CORPUS, read_corpus, write_corpus
from eventscope.bench_api import serving
from eventscope.errors import E003, InputError
from eventscope.model import Article
from eventscope.store import Store

TYPES = ("PROTEST", "COERCE", "ASSAULT", "ACCUSE", "REQUEST", "CONSULT")
COUNTRIES = ("KZ", "RU", "KG", "US")
WORDS = ("Almaty", "Tokayev", "protest", "CSTO", "Zhanaozen", "police")
ROUNDS_PER_INGEST = 8  # corpus copies per ingest process (its models load once)


def _window(rng: random.Random) -> str:
    start = rng.randint(1, 25)
    return f"since=2022-01-{start:02d}&until=2022-01-{min(31, start + rng.randint(0, 7)):02d}"


# Each route of the mix and how one of its URLs is drawn (`total`: events matching none).
ROUTES: dict[str, Callable[[random.Random, int], str]] = {
    "/events first page": lambda rng, total: "/events?limit=50",
    "/events deep offset": lambda rng, total: (
        f"/events?limit=50&offset={rng.randrange(total or 1)}"
    ),
    "/events type+country": lambda rng, total: (
        f"/events?type={rng.choice(TYPES)}&country={rng.choice(COUNTRIES)}&limit=50"
    ),
    "/events since/until": lambda rng, total: f"/events?{_window(rng)}&sort=-confidence&limit=50",
    "/events q": lambda rng, total: f"/events?q={rng.choice(WORDS)}&limit=50",
    "/stats": lambda rng, total: "/stats",
    "/stats filtered": lambda rng, total: f"/stats?country={rng.choice(COUNTRIES)}&{_window(rng)}",
}


@dataclass
class LoadReport:
    clients: int
    seconds: float  # the measured window
    requests: int = 0
    throughput: float = 0.0  # requests per second
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # by route, "all"
    errors: dict[str, int] = field(default_factory=dict)  # by status, exception or "ingest"
    error_samples: list[str] = field(default_factory=list)
    articles_before: int = 0
    articles_after: int = 0
    ingest_runs: int = 0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "error_count": self.error_count}


def _percentiles(ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def rank(p: float) -> float:  # nearest rank
        return round(ordered[max(0, min(len(ordered) - 1, int(p * len(ordered) + 0.5) - 1))], 1)

    if not ordered:
        return {"requests": 0}
    return {"requests": len(ordered), "p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99),
            "max": round(ordered[-1], 1)}  # fmt: skip


class _Tally:
    """What the client threads saw, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = {route: [] for route in ROUTES}
        self.errors: Counter[str] = Counter()
        self.samples: list[str] = []
        self.total = 0  # events matching no filter, as the last first page said

    def error(self, kind: str, sample: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.samples) < 10:
                self.samples.append(sample)


def _client(base: str, seed: int, until: float, tally: _Tally) -> None:
    rng = random.Random(seed)
    routes = list(ROUTES)
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            route = rng.choice(routes)
            url = ROUTES[route](rng, tally.total)
            started = time.perf_counter()
            try:
                answer = http.get(url)
                elapsed = 1000 * (time.perf_counter() - started)
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__, f"{url}: {exc}")
                continue
            if not answer.is_success:
                tally.error(str(answer.status_code), f"{url}: {answer.status_code} "
                            f"{answer.text[:200]}")  # fmt: skip
                continue
            with tally.lock:
                tally.ms[route].append(elapsed)
                if route == "/events first page":
                    tally.total = int(answer.json()["total"])


class _Ingests:
    """`eventscope ingest` into the store, a process after another, of fresh copies of
    the corpus, until `stop`; a process that fails is an error of the load."""

    def __init__(self, db: Path, articles: list[Article], folder: Path, tally: _Tally):
        self.db, self.articles, self.folder, self.tally = db, articles, folder, tally
        self.stop = threading.Event()
        self.writing = threading.Event()  # the first process has stored its first batch
        self.runs = 0
        self.copy = 0
        self.before = 0  # articles in the store when it started
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _next_inputs(self) -> list[str]:
        paths = []
        for _ in range(ROUNDS_PER_INGEST):
            self.copy += 1
            copies = [dataclasses.replace(a, text=f"{a.text}\n\n(Copy {self.copy}.)")
                      for a in self.articles]  # fmt: skip
            path = self.folder / f"copy-{self.copy:05d}.jsonl"
            paths.append(str(write_corpus(copies, path, [a.language for a in copies],
                                          metadata=True)))  # fmt: skip
        return paths

    def _run(self) -> None:
        while not self.stop.is_set():
            log = self.folder / f"ingest-{self.runs}.log"
            command = [sys.executable, "-m", "eventscope", "ingest", *self._next_inputs(),
                       "--db", str(self.db), "--batch-size", "8"]  # fmt: skip
            with log.open("wb") as out:
                process = subprocess.Popen(command, stdout=out, stderr=out)
                self.runs += 1
                while process.poll() is None and not self.stop.wait(0.25):
                    if not self.writing.is_set() and _articles(self.db) > self.before:
                        self.writing.set()
                if process.poll() is None:  # the window is over: stopped, not failed
                    process.send_signal(signal.SIGINT)  # it closes its run as failed
                    try:
                        process.wait(30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                    return
            if process.returncode != 0:
                tail = log.read_text(encoding="utf-8", errors="replace")[-400:]
                self.tally.error("ingest", f"ingest exited {process.returncode}: {tail}")
                self.writing.set()
                return

    def start(self) -> None:
        self.before = _articles(self.db)
        self.thread.start()


def _articles(db: Path) -> int:
    with Store(db, readonly=True) as store:
        return int(store.stats()["articles"])


def bench_load(
    *, db: Path | None = None, clients: int = 8, seconds: float = 30.0,
    ingest: Sequence[Path] = (), seed: int = 0,
) -> LoadReport:  # fmt: skip
    """Serve `db` (default: a new store of the corpus), ingest copies of the corpus
    (`ingest`, default the sample corpus) into it, and load /events and /stats with
    `clients` threads for `seconds` once the ingest writes."""
    if clients < 1 or seconds <= 0:
        raise InputError(E003, f"{clients} clients for {seconds} s", hint="use positive numbers")
    sources = list(ingest) or [SAMPLE_CORPUS]
    articles = [a for source in sources for a in read_corpus(source)]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store = db or work / "load.db"
        if not store.is_file():  # something to serve from the first request
            seeded = subprocess.run([sys.executable, "-m", "eventscope", "ingest",
                                     *map(str, sources), "--db", str(store)],
                                    capture_output=True, text=True, check=False)  # fmt: skip
            if seeded.returncode != 0:
                raise InputError(E003, f"the first ingest failed: {seeded.stderr[-400:]}")
        tally = _Tally()
        report = LoadReport(clients, seconds)
        writer = _Ingests(store, articles, work, tally)
        writer.start()  # its models load while the server starts
        try:
            with (work / "serve.log").open("wb") as log, serving(store, log=log) as base:
                if not writer.writing.wait(timeout=120):
                    tally.error("ingest", "the ingest stored nothing within 120 s")
                report.articles_before = _articles(store)
                started = time.monotonic()
                threads = [
                    threading.Thread(
                        target=_client, args=(base, seed + i, started + seconds, tally)
                    )
                    for i in range(clients)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                report.seconds = round(time.monotonic() - started, 2)
                report.articles_after = _articles(store)
        finally:
            writer.stop.set()
            writer.thread.join(60)
        report.ingest_runs = writer.runs
    report.latency_ms = {route: _percentiles(ms) for route, ms in tally.ms.items()}
    report.latency_ms["all"] = _percentiles([m for ms in tally.ms.values() for m in ms])
    failed = sum(n for kind, n in tally.errors.items() if kind != "ingest")
    report.requests = int(report.latency_ms["all"]["requests"]) + failed
    report.throughput = round(report.requests / report.seconds, 1)
    report.errors = dict(tally.errors)
    report.error_samples = tally.samples
    return report


__all__ = ["ROUTES", "LoadReport", "bench_load"]
