"""Shared fixtures: small inputs written here, a fresh store per test, ../shared when present."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "test.db") as s:
        yield s  # type: ignore[misc]


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
