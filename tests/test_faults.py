"""Faults during `eventscope ingest`: a SIGKILL at three seeded moments and a full disk,
each followed by a re-run whose store must equal an uninterrupted run's.

The corpus (tests/hostile/faults.py) is about forty short articles in every input format,
out of publication order, with rejections and a duplicate; batches of two give some twenty
commit points. Compared: every table holding records (articles, actors, places, mentions,
dates, events and their actors, figures, quotes, the actor registry, rejections, and the
story stage's stories, resolved events, figure series and claims) through
`canonical_dump`, which leaves out run ids, times, how often an input was rejected and
autoincrement ids. The stories are compared as they are, link scores included, not
rebuilt from scratch: the stage links batch after batch (each batch in publication
order), so an article's link score depends on which articles were linked before it.
A re-run links what the killed run stored but did not link first, and cuts the rest
into the same batches as an uninterrupted run (batches count articles, not the
rejections a re-run reads again), so its stories are the same. Before that, 6 of 15
random kills gave a resumed store whose link scores differed (same stories, other
scores); the two deterministic crashes below were those cases.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventscope import pipeline
from eventscope.cli import app
from eventscope.store import Store
from tests.hostile.faults import canonical_dump, ingest_command, runs, store_checks
from tests.hostile.faults import write_fault_corpus as write_corpus

pytestmark = pytest.mark.slow
SEEDS = (2, 7, 5)  # kill points: 3, 12 and 21 articles stored, then 0.03-0.28 s more


def _ingest(corpus: Path, db: Path) -> dict[str, Any]:
    done = subprocess.run(ingest_command(corpus, db), capture_output=True, text=True,
                          check=True, timeout=300)  # fmt: skip
    return dict(json.loads(done.stdout))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("faults") / "corpus")


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The summary and the canonical dump of one run that nothing interrupted."""
    db = corpus.parent / "uninterrupted.db"
    summary = _ingest(corpus, db)
    assert summary["read"] == 41 and summary["rejected"] == 3 and summary["duplicates"] == 1
    assert store_checks(db)["integrity"] == [("ok",)]
    return summary, canonical_dump(db)


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created yet, or its schema not yet written
        return 0


def _assert_consistent(db: Path) -> None:
    checks = store_checks(db)
    assert checks["integrity"] == [("ok",)]
    assert checks["foreign_keys"] == []
    assert checks["fts_ok"] and checks["fts_rows"] == checks["articles"]


def _assert_resumed(
    db: Path, corpus: Path, partial: int, expected: Any, *, in_process: bool = False
) -> None:
    """Re-run the ingest on `db` (holding `partial` articles; as the command, or
    `in_process` through the library): it stores the rest, and the store then equals the
    uninterrupted run's `expected` (summary, dump)."""
    summary, dump = expected
    if in_process:
        with Store(db) as store:
            again = pipeline.ingest([str(corpus)], store, batch_size=2, time_limit=None).to_dict()
    else:
        again = _ingest(corpus, db)
    assert again["read"] == summary["read"]
    assert again["stored"] == summary["stored"] - partial
    assert again["duplicates"] == summary["duplicates"] + partial
    assert again["rejected_by_code"] == summary["rejected_by_code"]
    _assert_consistent(db)
    got = canonical_dump(db)
    assert got.keys() == dump.keys()
    for table in dump:  # table by table, so that a failure names it
        assert got[table] == dump[table], table


@pytest.mark.parametrize("seed", SEEDS)
def test_sigkill_at_a_seeded_moment_then_rerun_equals_an_uninterrupted_run(
    seed: int, corpus: Path, uninterrupted: Any
) -> None:
    rng = random.Random(seed)
    # Killed once this many articles are stored, after a further delay: between two
    # batches, inside a write transaction, in the story stage or in extraction.
    after, delay = rng.randint(2, 26), rng.uniform(0.0, 0.3)
    db = corpus.parent / f"killed-{seed}.db"
    with (corpus.parent / f"killed-{seed}.err").open("wb") as log:
        process = subprocess.Popen(ingest_command(corpus, db), stdout=log, stderr=log)
        deadline = time.monotonic() + 120
        while _stored(db) < after and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(delay)
        assert process.poll() is None, f"the ingest ended before its kill (seed {seed})"
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL

    _assert_consistent(db)
    partial = _stored(db)
    total = uninterrupted[0]["stored"]
    assert after <= partial < total, "the kill did not land mid-run"
    print(f"seed {seed}: killed after {after} articles + {delay:.2f} s, {partial} stored")
    assert [status for _, status, _ in runs(db)] == ["running"]

    _assert_resumed(db, corpus, partial, uninterrupted)
    [(_, killed, _), (_, rerun, counts)] = runs(db)
    assert (killed, rerun) == ("interrupted", "done")
    assert counts["stored"] == total - partial
    shown = CliRunner().invoke(app, ["info", "--db", str(db), "--json"])
    statuses = {run["id"]: run["status"] for run in json.loads(shown.output)["runs"]}
    assert statuses == {1: "interrupted", 2: "done"}


class _Stop(Exception):
    """Raised inside an ingest where a crash would stop it."""


def _stop_at(count: int) -> Callable[..., None]:
    calls = iter(range(1, count + 1))

    def stop(*_: object) -> None:
        if next(calls, count) == count:
            raise _Stop

    return stop


@pytest.mark.parametrize("where", ["after-batch", "before-stories"])
def test_a_rerun_resumes_at_the_crashed_batch_as_an_uninterrupted_run_would(
    where: str, corpus: Path, uninterrupted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic crashes at the two points that once changed the stories' link
    scores: after batch 12, past a rejected input, which the re-run reads again (it filled
    a slot of a batch, so the re-run cut its batches differently); and between batch 12's
    write and its story stage (its articles were linked with the re-run's first batch)."""
    ingest = pipeline.ingest
    db = corpus.parent / f"crashed-{where}.db"
    with Store(db) as store:
        with pytest.raises(_Stop):
            if where == "after-batch":
                ingest([str(corpus)], store, batch_size=2, time_limit=None, on_batch=_stop_at(12))
            else:
                linking = pipeline.resolve_stories
                stop = _stop_at(13)  # the run's first call links leftovers: none here

                def crash_then_link(store: Any, **given: Any) -> Any:
                    stop()
                    return linking(store, **given)

                monkeypatch.setattr(pipeline, "resolve_stories", crash_then_link)
                ingest([str(corpus)], store, batch_size=2, time_limit=None)
        monkeypatch.undo()
        partial, rejected = store.stats()["articles"], store.stats()["rejected"]
    assert 0 < partial < uninterrupted[0]["stored"]
    assert rejected > 0  # stored with an earlier batch: the re-run reads it again
    _assert_resumed(db, corpus, partial, uninterrupted, in_process=True)


def _can_mount_tmpfs(folder: Path) -> str | None:
    """Why a size-limited tmpfs cannot be mounted here (None: it can)."""
    if os.geteuid() != 0:
        return "mounting a size-limited tmpfs needs root"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    mount = f"mount -t tmpfs -o size=64k tmpfs '{folder}'"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", mount], capture_output=True, text=True,
                           check=False)  # fmt: skip
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a private mount namespace: {probe.stderr.strip()}"
    return None


def test_full_disk_gives_e007_a_consistent_store_and_a_rerun_completes_it(
    corpus: Path, uninterrupted: Any
) -> None:
    mount, kept = corpus.parent / "small-disk", corpus.parent / "after-full-disk"
    mount.mkdir()
    kept.mkdir()
    why = _can_mount_tmpfs(mount)
    if why:
        pytest.skip(why)
    # The store fills 2 MB about halfway through the corpus (its WAL grows up to 4 MB
    # before a checkpoint); the namespace and its tmpfs end with the shell, so the store
    # is copied out first (the database and its WAL: SQLite rebuilds the -shm index).
    ingest = " ".join(f"'{part}'" for part in ingest_command(corpus, mount / "s.db"))
    script = (f"mount -t tmpfs -o size=2m tmpfs '{mount}' && {{ {ingest}; code=$?;"
              f" cp '{mount}/s.db' '{mount}/s.db-wal' '{kept}/'; exit $code; }}")  # fmt: skip
    full = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                          text=True, check=False, timeout=300)  # fmt: skip
    assert full.returncode == 1, full.stdout + full.stderr
    assert "E007" in full.stderr and "disk is full" in full.stderr
    assert "Traceback" not in full.stderr and full.stdout == ""
    db = kept / "s.db"
    _assert_consistent(db)
    partial = _stored(db)
    assert 0 < partial < uninterrupted[0]["stored"], "the disk did not fill mid-run"

    _assert_resumed(db, corpus, partial, uninterrupted)
    [(_, failed, _), (_, rerun, _)] = runs(db)
    # Closed as failed when the disk still took that; else marked at the re-run's start.
    assert failed in ("failed", "interrupted") and rerun == "done"
