"""The command line: every command documented, JSON outputs, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from typer.testing import CliRunner

from eventscope.cli import app

from .conftest import REPO, REPORT, write

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def run(*args: str) -> click.testing.Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_commands_exist() -> None:
    assert {"ingest", "articles", "show", "extract", "rejected", "info"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 3
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"eventscope {command}" in readme, f"README does not document `eventscope {command}`"


def test_ingest_then_list_show_info(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    write(tmp_path / "a.txt", f"date 2022-01-05\nGovernment resigns\n\n{REPORT}")
    result = run("ingest", str(tmp_path / "a.txt"), "--db", db, "--json")
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert (summary["read"], summary["stored"]) == (1, 1)

    listed = json.loads(run("articles", "--db", db, "--json", "--search", "fuel").output)
    assert [a["title"] for a in listed] == ["Government resigns"]
    assert "text" not in listed[0]
    shown = json.loads(run("show", listed[0]["id"][:10], "--db", db, "--json").output)
    assert shown["article"]["text"].endswith("city centre.")
    assert "Government resigns" in run("show", listed[0]["id"], "--db", db).output
    info = json.loads(run("info", "--db", db, "--json").output)
    assert info["articles"] == 1 and info["runs"][0]["status"] == "done"
    assert "Government resigns" in run("articles", "--db", db).output


def test_rejected_lists_reasons(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    write(tmp_path / "in" / "nodate.txt", REPORT)
    run("ingest", str(tmp_path / "in"), "--db", db)
    rows = json.loads(run("rejected", "--db", db, "--json").output)
    assert [r["code"] for r in rows] == ["W004"]
    assert "W004" in run("rejected", "--db", db).output


def test_date_option_and_field_mapping(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    write(tmp_path / "a.jsonl", json.dumps({"body": REPORT}) + "\n")
    result = run("ingest", str(tmp_path / "a.jsonl"), "--db", db, "--json",
                 "--field", "text=body", "--date", "2022-01-07")  # fmt: skip
    assert json.loads(result.output)["stored"] == 1
    listed = json.loads(run("articles", "--db", db, "--json").output)
    assert listed[0]["published"] == "2022-01-07"
    write(tmp_path / "b.jsonl", json.dumps({"body": REPORT + " Later."}) + "\n")
    run("ingest", str(tmp_path / "b.jsonl"), "--db", db, "--field", "text=body", "--date", "2022")
    listed = json.loads(run("articles", "--db", db, "--json", "--search", "later").output)
    assert (listed[0]["published"], listed[0]["published_precision"]) == ("2022-01-01", "year")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ingest", "no/such/path"], 1, "E001"),
        (["ingest", ".", "--date", "someday"], 1, "E003"),
        (["ingest", ".", "--date", "3000-01-01"], 1, "E003"),
        (["ingest", ".", "--field", "nonsense"], 1, "E003"),
        (["ingest", ".", "--format", "pdf"], 1, "E003"),
        (["show", "abcdef123", "--db", "{db}"], 1, "E004"),
        (["articles", "--db", "{missing}"], 1, "E002"),
        (["articles", "--limit", "0"], 2, ""),
        (["frobnicate"], 2, ""),
    ],
)
def test_errors_have_codes_and_exit_status(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    db = tmp_path / "e.db"
    write(tmp_path / "a.txt", f"date 2022-01-05\n{REPORT}")
    run("ingest", str(tmp_path / "a.txt"), "--db", str(db))
    filled = [a.format(db=db, missing=tmp_path / "missing.db") for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_extract_prints_the_contract(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"date 2022-01-05\n{REPORT}")
    data = json.loads(run("extract", str(path), "--json").output)
    assert set(data) == {"article", "actors", "places", "dates", "events", "figures", "quotes"}
    assert data["article"]["published"] == "2022-01-05"
    for actor in data["actors"]:
        for m in actor["mentions"]:
            assert data["article"]["text"][m["start"] : m["end"]] == m["text"]


def test_extract_of_several_articles_prints_json_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"{REPORT} Item {i}.", "date": "2022-01-05"}) for i in range(3)]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    output = run("extract", str(path), "--json").output.strip().splitlines()
    assert [json.loads(line)["article"]["text"][-7:] for line in output] == [
        "Item 0.",
        "Item 1.",
        "Item 2.",
    ]


@pytest.mark.slow
def test_reference_article_ingest_and_extract(shared: Path, tmp_path: Path) -> None:
    sample = shared / "samples" / "kazakhstan-2022-01-10.txt"
    db = tmp_path / "ref.db"
    exe = [sys.executable, "-m", "eventscope"]
    done = subprocess.run([*exe, "ingest", str(sample), "--db", str(db), "--json"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(done.stdout)["stored"] == 1
    listed = subprocess.run([*exe, "articles", "--db", str(db), "--json"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert [a["published"] for a in json.loads(listed.stdout)] == ["2022-01-10"]

    out = tmp_path / "out.json"
    with open(out, "w") as handle:
        subprocess.run([*exe, "extract", str(sample), "--json"], stdout=handle, check=True)
    data = json.loads(out.read_text())
    assert data["article"]["text"].startswith("During the telematic meeting")
    # The acceptance checklist reads this output to its summary line without error.
    checklist = subprocess.run(
        [sys.executable, str(shared / "tools" / "checklist.py"),
         str(shared / "samples" / "kazakhstan-2022-01-10.expected.yaml"), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checklist.returncode in (0, 1), checklist.stderr
    assert checklist.stdout.strip().splitlines()[-1].startswith("checklist: must")


def test_eval_json_scorecard_and_errors(tmp_path: Path) -> None:
    data = tmp_path / "eval" / "case2021"
    rows = ["id\tEventSnippet\tSubType", "1\tPolice arrested ten protesters on Monday.\tARREST",
            "2\tTwo ministers met in Geneva.\tDIPLO"]  # fmt: skip
    write(data / "test.tsv", "\n".join(rows) + "\n")
    result = run("eval", "event-classes", str(tmp_path / "eval"), "--json", "--errors", "5")
    assert result.exit_code == 0
    report = json.loads(result.output)["tasks"][0]
    assert report["task"] == "event-classes" and report["counts"]["snippets"] == 2
    assert 0.0 <= report["metrics"]["accuracy"] <= 1.0
    assert len(report["errors"]) <= 2
    card = tmp_path / "card.md"
    assert run("eval", "all", str(tmp_path / "eval"), "--scorecard", str(card)).exit_code == 0
    assert "| event-classes | accuracy |" in card.read_text()
    assert "E003" in runner.invoke(app, ["eval", "nonsense", str(tmp_path)]).output
    empty = runner.invoke(app, ["eval", "dates", str(tmp_path / "eval")])
    assert empty.exit_code == 1 and "E008" in empty.output


def test_eval_extracts_with_the_kb_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventscope.evaluate import base

    seen: list[object] = []
    real = base.extract_stream

    def recording(articles: Any, **options: Any) -> Any:
        seen.append(options.get("kb"))
        return real(articles, **options)

    monkeypatch.setattr(base, "extract_stream", recording)
    monkeypatch.delenv("EVENTSCOPE_KB", raising=False)
    write(tmp_path / "eval" / "case2021" / "test.tsv",
          "id\tEventSnippet\tSubType\n1\tPolice arrested ten protesters.\tARREST\n")  # fmt: skip
    extra = write(tmp_path / "kb.yaml", "people: []\n")
    card = tmp_path / "card.md"
    given = run("--kb", str(extra), "eval", "all", str(tmp_path / "eval"), "--scorecard", str(card))
    assert given.exit_code == 0
    assert [getattr(kb, "extra", None) for kb in seen] == [(extra.resolve(),)]
    assert f"--kb {extra.resolve()} eval all" in card.read_text()
    seen.clear()
    assert run("eval", "event-classes", str(tmp_path / "eval")).exit_code == 0
    assert [getattr(kb, "extra", None) for kb in seen] == [()]


def test_actors_across_articles(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    write(tmp_path / "in" / "a.txt", f"date 2022-01-05\n{REPORT}")
    write(tmp_path / "in" / "b.txt", f"date 2022-01-06\n{REPORT} Tokayev spoke again.")
    run("ingest", str(tmp_path / "in"), "--db", db)
    found = json.loads(run("actors", "--db", db, "--json", "--search", "tokayev").output)
    assert len(found) == 1 and found[0]["articles"] == 2
    detail = json.loads(run("actor", str(found[0]["id"]), "--db", db, "--json").output)
    assert [a["published"] for a in detail["in_articles"]] == ["2022-01-05", "2022-01-06"]
    assert "Tokayev" in run("actors", "--db", db).output
    assert "2022-01-06" in run("actor", str(found[0]["id"]), "--db", db).output


def test_extra_knowledge_base_codes_an_unknown_actor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTSCOPE_KB", "")  # restored after the test: --kb sets it
    text = "date 2022-01-05\nAigerim Zhumabekova, the spokeswoman, spoke to reporters in Almaty."
    path = write(tmp_path / "a.txt", text)
    person = ["people:", "  - name: Aigerim Zhumabekova", "    country: KAZ", "    roles:",
              "      - {title: Minister, sector: GOV, from: 2020-01-01, to: null}"]  # fmt: skip
    extra = write(tmp_path / "kb.yaml", "\n".join(person) + "\n")
    before = json.loads(run("extract", str(path), "--json").output)
    after = json.loads(run("--kb", str(extra), "extract", str(path), "--json").output)
    coded = {a["name"]: (a["country"], a["sector"]) for a in after["actors"]}
    assert coded.get("Aigerim Zhumabekova") == ("KAZ", "GOV")
    assert {a["name"]: a["country"] for a in before["actors"]}.get("Aigerim Zhumabekova") != "KAZ"
    missing = runner.invoke(app, ["--kb", str(tmp_path / "nope.yaml"), "info"])
    assert missing.exit_code == 1 and "E001" in missing.output


def test_events_listing(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    write(
        tmp_path / "in" / "a.txt",
        "date 2022-01-10\nKazakh police arrested 40 protesters in Almaty.",
    )
    run("ingest", str(tmp_path / "in"), "--db", db)
    found = json.loads(run("events", "--db", db, "--json", "--type", "COERCE").output)
    assert [(e["type"], e["mode"], e["trigger"]) for e in found] == [
        ("COERCE", "arrest", "arrested")
    ]
    assert "arrested" in run("events", "--db", db, "--mentions").output
    [resolved] = json.loads(run("events", "--db", db, "--json").output)  # one real event
    assert resolved["ref"] == found[0]["ref"] and resolved["n_articles"] == 1
    assert run("events", "--db", db, "--type", "ASSAULT", "--json").output.strip() == "[]"
    bad = runner.invoke(app, ["events", "--db", db, "--role", "victim"])
    assert bad.exit_code == 1 and "E003" in bad.output
    explained = run("explain", found[0]["ref"], "--db", db).output
    assert "arrested" in explained


def test_a_path_that_is_not_utf8_is_read_and_recorded_escaped(tmp_path: Path) -> None:
    import os
    import sqlite3

    name = b"caf\xe9.txt"  # Latin-1 bytes: not UTF-8, carried by Python as a surrogate
    (tmp_path / os.fsdecode(name)).write_bytes(
        b"date 2022-01-10\nProtesters gathered in Almaty on Monday, police said.\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "eventscope", "ingest", os.fsdecode(name), "--db", "n.db"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    with sqlite3.connect(tmp_path / "n.db") as db:
        assert json.loads(db.execute("SELECT inputs FROM runs").fetchone()[0]) == ["caf\\xe9.txt"]
        assert db.execute("SELECT input_ref FROM articles").fetchone()[0] == "caf\\xe9.txt"
