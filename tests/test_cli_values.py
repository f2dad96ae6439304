"""Values a user may type that no query can take: each is the usual E003 message and
exit 1, never a traceback; odd values that are valid are answered."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from eventscope.cli import app

from .conftest import REPORT, write

runner = CliRunner()
BIG = "99999999999999999999"  # over 2^63: SQLite cannot bind it (OverflowError before)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cli-values")
    path = str(folder / "v.db")
    write(folder / "a.txt", f"date 2022-01-05\n{REPORT}")
    assert runner.invoke(app, ["ingest", str(folder / "a.txt"), "--db", path]).exit_code == 0
    return path


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["actor", BIG], "ACTOR_ID"),
        (["story", BIG], "STORY_ID"),
        (["events", "--offset", BIG], "--offset"),
        (["articles", "--offset", BIG], "--offset"),
        (["actors", "--offset", BIG], "--offset"),
        (["stories", "--min-articles", BIG], "--min-articles"),
        (["rejected", "--limit", BIG], "--limit"),
        (["export", "-", "--place", "12345678901234567890"], "--place"),
        (["events", "--search", "fuel\x00"], "--search"),
        (["articles", "--search", "fuel\x01"], "--search"),
        (["actors", "--search", "\x1b[31m"], "--search"),
        # bytes of argv that are not UTF-8 reach Python as lone surrogates
        (["articles", "--search", "caf\udce9"], "--search"),
        (["events", "--actor", "caf\udce9"], "--actor"),
        (["show", "\udcff"], "ARTICLE_ID"),
        (["rejected", "--code", "W\udcff"], "--code"),
    ],
)
def test_unusable_values_are_e003_not_a_traceback(db: str, args: list[str], named: str) -> None:
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "E003" in result.output and named in result.output, result.output


def test_odd_but_valid_values_are_answered(db: str) -> None:
    for args in (
        ["events", "--until", "9999-12-31"],
        ["events", "--since", "0001-01-01", "--mentions"],
        ["export", "-", "--place", "²"],  # a name (no place has it), not a GeoNames id
        ["actor", "9223372036854775807"],  # the largest id: no such actor (E004)
    ):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert result.exit_code == (1 if args[0] == "actor" else 0), (args, result.output)
    assert "E004" in runner.invoke(app, ["actor", "9223372036854775807", "--db", db]).output
