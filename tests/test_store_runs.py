"""The runs table: a run whose process is gone (SIGKILL, a full disk) is marked
interrupted when the next run starts; live runs, and other hosts' runs, are left alone."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from eventscope.cli import app
from eventscope.store import Store


def _start_and_die(path: str) -> None:
    with Store(path) as store:
        store.start_run(["killed.txt"])
    os.kill(os.getpid(), signal.SIGKILL)  # as a kill -9 in the middle of the ingest


def _start_and_wait(path: str, started: Any, finish: Any) -> None:
    with Store(path) as store:
        run_id = store.start_run(["live.txt"])
        started.set()
        finish.wait(timeout=60)
        store.update_run(run_id, {"read": 1}, status="done")


def _statuses(path: Path) -> dict[str, str]:
    with Store(path, readonly=True) as store:
        return {run["inputs"][0]: run["status"] for run in store.runs()}


def test_a_killed_run_is_interrupted_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    ctx = multiprocessing.get_context("fork")
    killed = ctx.Process(target=_start_and_die, args=(str(path),))
    killed.start()
    killed.join(timeout=60)
    assert killed.exitcode == -signal.SIGKILL
    with Store(path) as store:
        store.db.execute(  # a run of another host: its process cannot be looked at
            "INSERT INTO runs (started_at, status, inputs, host, pid)"
            " VALUES ('2022-01-01', 'running', '[\"elsewhere.txt\"]', 'elsewhere', 1)"
        )
        assert _statuses(path)["killed.txt"] == "running"
        store.start_run(["next.txt"])
    assert _statuses(path) == {"killed.txt": "interrupted", "elsewhere.txt": "running",
                               "next.txt": "running"}  # fmt: skip
    shown = CliRunner().invoke(app, ["info", "--db", str(path)]).output
    assert "interrupted" in shown


def test_two_live_runs_do_not_interrupt_each_other(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    ctx = multiprocessing.get_context("fork")
    started, finish = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_start_and_wait, args=(str(path), started, finish))
    other.start()
    try:
        assert started.wait(timeout=60)
        with Store(path) as store:
            store.start_run(["mine.txt"])
        assert _statuses(path) == {"live.txt": "running", "mine.txt": "running"}
    finally:
        finish.set()
        other.join(timeout=60)
    assert _statuses(path)["live.txt"] == "done"
