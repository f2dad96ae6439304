"""The team's own sample reports against the analyst's expectations written for them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventscope.pipeline import extract
from eventscope.sources import ReadOptions, read_paths

from .conftest import REPO, SAMPLE_CORPUS

EXPECTED = sorted((REPO / "samples" / "expected").glob("*.expected.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample_report_meets_its_checklist(shared: Path, expected: Path, tmp_path: Path) -> None:
    name = expected.name.removesuffix(".expected.yaml")
    (article,) = read_paths([str(SAMPLE_CORPUS / "text" / f"{name}.txt")], ReadOptions())
    records = extract(article.text, published=article.published)  # type: ignore[union-attr]
    out = tmp_path / "out.json"
    out.write_text(json.dumps(records.to_dict()), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, str(shared / "tools" / "checklist.py"), str(expected), str(out),
         "actors", "places", "dates"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout
