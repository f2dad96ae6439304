"""Bad input gets a clear reason and loses nothing: read = stored + duplicates + rejected."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventscope.errors import REASONS, StoreError
from eventscope.extract import registry
from eventscope.extract.context import ArticleContext
from eventscope.model import ArticleRecords, Rejected
from eventscope.pipeline import ingest
from eventscope.sources import files
from eventscope.store import PgStore, Store

from . import badinput
from .conftest import REPORT, write


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, badinput.Expected]:
    root = tmp_path / "corpus"
    root.mkdir()
    expected = badinput.build(root)
    if os.geteuid() == 0:
        # root reads any file whatever its mode: make the locked file fail as it would
        # for any other user, at the same call the reader makes.
        locked = str(expected.unreadable)

        def guarded_open(path: Any, *args: Any, **kwargs: Any) -> Any:
            if str(path) == locked:
                raise PermissionError(13, "Permission denied", locked)
            return builtins.open(path, *args, **kwargs)

        monkeypatch.setattr(files, "open", guarded_open, raising=False)
    return root, expected


def _relative(ref: str, root: Path) -> str:
    return ref[len(str(root)) + 1 :] if ref.startswith(str(root)) else ref


def test_every_bad_input_is_rejected_with_its_reason(
    corpus: tuple[Path, badinput.Expected], store: Store
) -> None:
    root, expected = corpus
    assert len(expected.rejected) >= 25
    summary = ingest([str(root)], store)

    assert summary.read == summary.stored + summary.duplicates + summary.rejected
    assert summary.stored == expected.good
    assert summary.duplicates == expected.duplicates
    got = {_relative(r["input_ref"], root): r for r in store.rejected()}
    for ref, code in expected.rejected.items():
        assert ref in got, f"{ref} not rejected; rejected: {sorted(got)}"
        assert got[ref]["code"] == code, (ref, got[ref])
        assert got[ref]["reason"].strip(), ref
    assert set(got) == set(expected.rejected), set(got) ^ set(expected.rejected)
    assert summary.rejected == len(expected.rejected)
    assert all(code in REASONS for code in summary.rejected_by_code)
    odd = [a for a in store.articles(limit=100) if "\\xff" in (a.input_ref or "")]
    assert len(odd) == 1  # the file whose name is not UTF-8 is stored, its name escaped


def test_rerun_changes_nothing_but_the_counters(
    corpus: tuple[Path, badinput.Expected], store: Store
) -> None:
    root, expected = corpus
    ingest([str(root)], store)
    before = store.stats()
    again = ingest([str(root)], store)
    after = store.stats()
    assert again.stored == 0
    assert again.duplicates == expected.good + expected.duplicates
    assert again.rejected == len(expected.rejected)
    assert {k: v for k, v in after.items()} == before
    assert {r["times"] for r in store.rejected()} == {2}


def test_a_failing_stage_rejects_one_article_not_the_batch(tmp_path: Path, store: Store) -> None:
    def explode(ctx: ArticleContext, records: ArticleRecords) -> ArticleRecords:
        if "BOOM" in ctx.parsed.article.text:
            raise ValueError("stage bug triggered")
        return records

    registry.register("explode-test", requires=("ner",))(explode)
    try:
        write(tmp_path / "in" / "a.txt", f"date 2022-01-05\n{REPORT}")
        write(tmp_path / "in" / "b.txt", f"date 2022-01-05\n{REPORT} BOOM.")
        summary = ingest([str(tmp_path / "in")], store, stages=["actors", "explode-test"])
    finally:
        del registry.STAGES["explode-test"]
    assert (summary.stored, summary.rejected) == (1, 1)
    (row,) = store.rejected()
    assert row["code"] == "W016" and "stage bug triggered" in row["reason"]
    assert row["input_ref"].endswith("b.txt")


def test_a_reader_bug_rejects_one_input_not_the_run(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("reader bug triggered")

    monkeypatch.setattr(files, "read_html", broken)
    write(tmp_path / "in" / "a.html", "<html><body><p>page</p></body></html>")
    write(tmp_path / "in" / "b.txt", f"date 2022-01-05\n{REPORT}")
    summary = ingest([str(tmp_path / "in")], store)
    assert (summary.stored, summary.rejected) == (1, 1)
    (row,) = store.rejected()
    assert row["code"] == "W017" and "reader bug triggered" in row["reason"]


def test_a_store_that_cannot_be_written_is_a_clear_error(store: Store) -> None:
    if isinstance(store, PgStore):  # as a role with only the right to read would
        store.db.execute("SET default_transaction_read_only = on")
    else:
        store.db.execute("PRAGMA query_only = ON")  # as a read-only file system would
    with pytest.raises(StoreError, match="E007"):
        store.write_batch([], [Rejected("x", "W001", "empty")])


@pytest.mark.slow
def test_cli_reports_counts_and_strict_exit_code(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "good.txt", f"date 2022-01-05\n{REPORT}")
    write(folder / "empty.txt", b"")
    write(folder / "nodate.txt", REPORT + " No date.")
    db = tmp_path / "cli.db"
    cmd = [sys.executable, "-m", "eventscope", "ingest", str(folder), "--db", str(db), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert {k: summary[k] for k in ("read", "stored", "duplicates", "rejected")} == {
        "read": 3,
        "stored": 1,
        "duplicates": 0,
        "rejected": 2,
    }
    assert summary["rejected_by_code"] == {"W001": 1, "W004": 1}
    strict = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, check=False)
    assert strict.returncode == 3
