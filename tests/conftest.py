"""Shared fixtures: small inputs written here, a fresh store per test, ../shared when present."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventscope.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_CORPUS = REPO / "samples" / "kazakhstan-2022"

# A short report written for these tests (facts of 5 January 2022).
REPORT = (
    "Kazakh President Kassym-Jomart Tokayev accepted the resignation of the government "
    "on Wednesday after protests over fuel prices spread from Zhanaozen to Almaty. "
    "Police used tear gas and stun grenades against demonstrators in the city centre."
)


@pytest.fixture
def shared() -> Path:
    """The team's shared folder (samples, eval data); the test skips without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (it holds team-only data)")
    return SHARED


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """One throwaway PostgreSQL server for the session (`store/pg_server.py`). Skips when
    PostgreSQL is not installed, unless EVENTSCOPE_POSTGRES_TESTS=required (as in `make
    test`, whose set-up installs it): then a missing server fails."""
    from eventscope.store.pg_server import LocalServer, pg_bin

    if pg_bin() is None:
        if os.environ.get("EVENTSCOPE_POSTGRES_TESTS") == "required":
            pytest.fail("PostgreSQL is required here (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


_DATABASES = itertools.count(1)


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """The URL of a new, empty database on the session's server."""
    return str(pg_server.create_database(f"test_{os.getpid()}_{next(_DATABASES)}"))


@pytest.fixture(params=BACKENDS)
def store_ref(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's reference on each backend: a SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return str(request.getfixturevalue("pg_url"))


def on_backend(request: pytest.FixtureRequest, path: Path) -> str:
    """The store at `path` on the backend of `request.param`: the file itself, or its
    copy (`eventscope copy`, lossless) in a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(path)
    from eventscope.store import open_store
    from eventscope.store.copy import copy_store

    server = request.getfixturevalue("pg_server")
    url = str(server.create_database(f"copy_{os.getpid()}_{next(_DATABASES)}"))
    with Store(path, readonly=True) as source, open_store(url) as target:
        copy_store(source, target)
    return url


@pytest.fixture
def store(store_ref: str) -> Iterator[Store]:
    """A new store on each backend (the same tests run on both)."""
    from eventscope.store import open_store

    with open_store(store_ref) as s:
        yield s


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def reference_checklist(shared: Path, tmp_path: Path, section: str) -> tuple[Any, int, str]:
    """Extract the reference article and read one section of its checklist as acceptance
    does: (records, musts found, the checklist's output)."""
    import json
    import subprocess
    import sys

    from eventscope.model import ArticleRecords, Rejected
    from eventscope.pipeline import extract_batch
    from eventscope.sources import ReadOptions, read_paths

    sample = shared / "samples" / "kazakhstan-2022-01-10.txt"
    [article] = [a for a in read_paths([str(sample)], ReadOptions()) if not isinstance(a, Rejected)]
    [records] = extract_batch([article])
    assert isinstance(records, ArticleRecords)
    out = tmp_path / "out.json"
    out.write_text(json.dumps(records.to_dict()), encoding="utf-8")
    expected = sample.with_suffix(".expected.yaml")
    run = subprocess.run(
        [sys.executable, str(shared / "tools" / "checklist.py"), str(expected), str(out), section],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    summary = next(line for line in run.stdout.splitlines() if line.startswith(f"{section}:"))
    assert "must_not hits 0" in summary, run.stdout
    return records, int(summary.split("must ")[1].split("/")[0]), run.stdout
