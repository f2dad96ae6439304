"""Ingest inputs one at a time into one store, each through `eventscope.pipeline.ingest`
as the CLI does, and report each on standard output as a JSON line as soon as it ends:
its summary, its wall time, the peak resident memory while it ran, and the traceback if
one escaped. tests/hostile/test_inputs.py runs this in a subprocess and watches the lines,
so that an input that hangs fails alone, within a bound, instead of blocking the suite.

Usage: python worker.py DB ROOT NAMES_JSON  (NAMES_JSON: a file holding a list of names
under ROOT, ingested in that order).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def emit(**event: Any) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def reset_peak() -> None:
    """Start the peak resident memory (VmHWM) afresh from the current size (Linux)."""
    with contextlib.suppress(OSError):  # else the peak is the process's since it started
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return 0.0


def main(db: str, root: str, names_file: str) -> None:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    names = json.loads(Path(names_file).read_text())
    started = time.perf_counter()
    from eventscope.pipeline import extract, ingest
    from eventscope.store import Store

    # the models and knowledge base loaded before the first input's clock starts
    extract("Police arrested 12 protesters in Almaty on Monday.", published="2022-01-05")
    emit(event="ready", seconds=round(time.perf_counter() - started, 3), peak_mb=peak_mb())
    with Store(Path(db)) as store:
        for name in names:
            emit(event="start", name=name)
            reset_peak()
            started = time.perf_counter()
            summary, error = None, None
            try:
                summary = ingest([str(Path(root) / name)], store).to_dict()
            except BaseException:  # what the suite exists to catch: report it, go on
                error = traceback.format_exc()
            seconds = round(time.perf_counter() - started, 3)
            emit(event="done", name=name, seconds=seconds, peak_mb=round(peak_mb(), 1),
                 summary=summary, error=error)  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:4])
