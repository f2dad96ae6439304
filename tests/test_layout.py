"""The layout the code keeps: SQL only in the store (and the gazetteer index of kb/), no
source file over 400 lines, an app factory that only assembles its routers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "eventscope"
MODULES = sorted(SRC.rglob("*.py"))
# Where SQL may be written: the store, and the gazetteer's own SQLite index.
SQL_HOMES = ("store/", "kb/gazetteer.py", "kb/gazetteer_sources.py")
# SQL statements as they begin in a string: a SELECT with its FROM, INSERT INTO, ...
_SQL = re.compile(
    r"\bSELECT\b.+\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s+\w+|\bCREATE\s+(TABLE|INDEX)\b",
    re.S,
)


def _relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_modules_are_found() -> None:
    assert len(MODULES) > 100
    assert any(_relative(p).startswith("store/") for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_sql_lives_in_the_store(path: Path) -> None:
    name = _relative(path)
    if name.startswith(SQL_HOMES):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert "sqlite3" not in _imports(tree), f"{name} imports sqlite3"
    texts = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    sql = [t for t in texts if _SQL.search(t)]
    assert not sql, f"{name} holds SQL: {sql[0][:80]!r}"


def test_the_sql_check_finds_sql() -> None:
    # The check above must be able to fail: real statements of the store match it.
    store = (SRC / "store" / "sqlite.py").read_text(encoding="utf-8")
    assert _SQL.search(store)
    assert "sqlite3" in _imports(ast.parse(store))
    assert not _SQL.search("Select the events from the list; update them when set.")


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_no_source_file_is_over_400_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{_relative(path)} has {lines} lines"


def test_create_app_only_assembles() -> None:
    tree = ast.parse((SRC / "api" / "app.py").read_text(encoding="utf-8"))
    factory = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "create_app"
    )
    assert factory.end_lineno is not None
    assert factory.end_lineno - factory.lineno < 60
