"""Latency of the HTTP API on a large store (`eventscope bench-api`).

A store of the size asked for is made from a real one (by default the sample corpus,
ingested first): its articles and every record are copied with new article ids and
dates moved forward by a week per copy (two years in all, wrapping), so the copies
have the real records' shapes, spans and text (full-text search works on them).
The server then runs as `eventscope serve` in its own process, and ApacheBench (`ab`,
Debian's apache2-utils: a load tool outside this process) requests each URL of
`URLS` with a few concurrent clients on loopback; its percentiles are reported.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from eventscope.errors import E003, InputError
from eventscope.store.synthesize import copy_store

# What the dashboard asks for: first and deep pages, filters, full-text search, stats.
URLS = (
    "/events?limit=50",
    "/events?limit=50&offset=20000",
    "/events?country=KZ&type=PROTEST&limit=50",
    "/events?q=Almaty&limit=50",
    "/events?since=2023-01-01&until=2023-03-31&sort=-confidence&limit=50",
    "/events?actor=Tokayev&role=source&limit=50",
    "/stats",
    "/stats?country=KZ&since=2023-01-01&until=2023-06-30",
)


@dataclass
class ApiBenchReport:
    events: int
    articles: int
    requests: int
    concurrency: int
    build_seconds: float
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return vars(self)


_PERCENT = re.compile(r"^\s*(\d+)%\s+(\d+)", re.M)


def _ab(url: str, requests: int, concurrency: int) -> dict[str, float]:
    run = subprocess.run(
        ["ab", "-q", "-n", str(requests), "-c", str(concurrency), url],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    if run.returncode != 0 or "Non-2xx responses" in run.stdout:
        raise InputError(E003, f"ab failed on {url}: {run.stdout[-400:]}{run.stderr[-400:]}")
    found = {f"p{p}": float(ms) for p, ms in _PERCENT.findall(run.stdout)}
    mean = re.search(r"Time per request:\s+([\d.]+) \[ms\] \(mean\)", run.stdout)
    return {"p50": found["p50"], "p95": found["p95"], "p99": found["p99"],
            "max": found["p100"], "mean": float(mean.group(1)) if mean else 0.0}  # fmt: skip


@contextmanager
def serving(db: Path, *, stats_cache: int = 64, log: IO[bytes] | None = None) -> Iterator[str]:
    """`eventscope serve` on the store `db`, in its own process on a free loopback port
    (its stderr into `log`), once it answers; yields its base URL and stops it at the end."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "eventscope", "serve", "--db", str(db), "--port", str(port),
         "--stats-cache", str(stats_cache)],
        stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/info", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise InputError(E003, "the server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def bench_api(
    *, events: int = 100_000, requests: int = 200, concurrency: int = 4,
    source: Path | None = None, keep: Path | None = None,
) -> ApiBenchReport:  # fmt: skip
    """Build a store of `events` events, serve it, and load each URL of URLS."""
    if shutil.which("ab") is None:
        raise InputError(E003, "ApacheBench (ab) is not installed",
                         hint="apt-get install apache2-utils (`make bench-api` does)")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if source is None:
            from eventscope.bench import SAMPLE_CORPUS
            from eventscope.pipeline import ingest
            from eventscope.store import Store

            source = work / "source.db"
            with Store(source) as store:
                ingest([str(SAMPLE_CORPUS)], store)
        out = keep or work / "large.db"
        started = time.perf_counter()
        n_events, n_articles = copy_store(source, out, events)
        report = ApiBenchReport(n_events, n_articles, requests, concurrency,
                                round(time.perf_counter() - started, 1))  # fmt: skip
        with serving(out, stats_cache=0) as base:  # each /stats computed: its cost
            for url in URLS:
                urllib.request.urlopen(base + url, timeout=60).read()  # warm the cache
                report.latency_ms[url] = _ab(base + url, requests, concurrency)
    return report
