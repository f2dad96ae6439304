"""Opening a store under contention and on read-only media: two processes creating one
store at the same moment, and the reading commands on a store that cannot be written."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventscope.model import Article, ArticleRecords, article_id
from eventscope.store import Store, migrations

TRIES = 20


def _open_fresh_stores(folder: str, barrier: Any, errors: Any) -> None:
    for i in range(TRIES):
        barrier.wait(timeout=60)  # both processes open the same new file at once
        try:
            Store(Path(folder) / f"race{i}.db").close()
        except Exception as exc:  # the test reports whatever failed
            errors.put(f"try {i}: {exc}")


def test_two_processes_creating_one_store_never_fail(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier, errors = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_open_fresh_stores, args=(str(tmp_path), barrier, errors))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert [w.exitcode for w in workers] == [0, 0]
    assert found == []
    latest = migrations()[-1][0]
    for i in range(TRIES):
        db = sqlite3.connect(tmp_path / f"race{i}.db")
        assert db.execute("PRAGMA user_version").fetchone()[0] == latest
        db.close()


# Run inside a read-only folder: the reading commands and the API answer, writing ones
# give E007. Prints one JSON object of what each did.
_READ_ONLY_CHECKS = """
import json, sys
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from eventscope.api import create_app
from eventscope.cli import app
db, out = sys.argv[1], sys.argv[2]
run = CliRunner().invoke
found = {
    "info": run(app, ["info", "--db", db, "--json"]).output,
    "export": run(app, ["export", out, "--db", db, "--format", "jsonl", "--mentions"]).exit_code,
    "ingest": run(app, ["ingest", sys.argv[3], "--db", db]).output,
}
client = TestClient(create_app(db))
found["api"] = client.get("/events", params={"resolved": "false"}).json()["total"]
print(json.dumps(found))
"""


def _read_only_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run _READ_ONLY_CHECKS with `folder` read-only: its modes for a user, a read-only
    bind mount in a mount namespace of its own for root (who writes whatever the modes)."""
    command = [sys.executable, "-c", _READ_ONLY_CHECKS, *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    if shutil.which("unshare") is None:
        pytest.skip("as root, file modes do not stop writes, and unshare is not installed")
    mount = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    probe = subprocess.run(["unshare", "-m", "sh", "-c", mount, str(folder), "true"],
                           capture_output=True)  # fmt: skip
    if probe.returncode != 0:
        pytest.skip("as root, file modes do not stop writes, and no mount namespace here")
    return subprocess.run(["unshare", "-m", "sh", "-c", mount, str(folder), *command],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip


def test_a_store_on_read_only_media_is_read_and_served(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    with Store(folder / "s.db") as store:
        store.write_batch([ArticleRecords(_article("Police detained 40 people in Almaty."))])
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # WAL merged on close
    text = tmp_path / "new.txt"
    text.write_text("date 2022-01-10\nProtesters marched in Astana on Monday.\n")
    done = _read_only_run(folder, str(folder / "s.db"), str(tmp_path / "out.jsonl"), str(text))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert json.loads(found["info"])["articles"] == 1
    assert found["export"] == 0 and found["api"] == 0
    assert "E007" in found["ingest"] and "read-only" in found["ingest"]
    assert "is it an eventscope store" not in found["ingest"]


def test_a_store_needing_migration_on_read_only_media_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    db = sqlite3.connect(folder / "s.db")
    version, sql = migrations()[0]
    db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.close()
    done = _read_only_run(folder, str(folder / "s.db"), str(tmp_path / "o.jsonl"), "x.txt")
    assert done.returncode != 0
    assert "E007" in done.stderr and "needs migrating" in done.stderr


def _article(text: str) -> Article:
    return Article(article_id(text), text, date(2022, 1, 10), language="en")
