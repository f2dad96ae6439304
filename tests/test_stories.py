"""Stories through the pipeline and the store: reports written for these tests (see
stories_corpus.py) ingested, linked, re-ingested, rebuilt, in other orders, after a
crash; and the sample corpus's story and ACLED toll."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope.cli import app as cli
from eventscope.evaluate.stories import agreement
from eventscope.pipeline import ingest
from eventscope.resolve.run import resolve
from eventscope.store import Store, open_store

from .conftest import SAMPLE_CORPUS
from .stories_corpus import ARMENIA, FURNITURE, MYANMAR, write_corpus


def partition(store: Store) -> dict[str, str]:
    """Each article (by input name) and its story, as comparable labels."""
    names = {a.id: Path(a.input_ref or "").name.split(":")[0] for a in store.articles(limit=100)}
    return {names[aid]: str(story) for aid, story in store.story_assignments().items()}


def groups(store: Store) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for name, story in partition(store).items():
        found.setdefault(story, set()).add(name)
    return {frozenset(g) for g in found.values()}


EXPECTED = {
    frozenset({"myanmar-1.jsonl", "myanmar-2.jsonl", "myanmar-3.jsonl"}),
    frozenset({"armenia-1.jsonl", "armenia-2.jsonl"}),
    frozenset({"furniture.jsonl"}),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("stories") / "in")


def test_reports_of_one_happening_form_one_story_and_furniture_stays_alone(
    corpus: Path, store: Store
) -> None:
    summary = ingest([str(corpus)], store)
    assert summary.stored == summary.linked == 6
    assert groups(store) == EXPECTED
    myanmar = next(s for s in store.stories().items if s["n_articles"] == 3)
    assert myanmar["n_sources"] == 2  # two outlets
    story = store.story(myanmar["id"])
    # the detention reported by all three: one resolved event, every report behind it
    [detention] = [e for e in story["events"] if e["n_articles"] == 3]
    assert detention["type"] == "COERCE" and detention["mode"] == "arrest"
    assert detention["place"]["name"] == "Nay Pyi Taw"
    assert detention["date"] == "2021-02-01"
    # the later reports date it "a day after": kept as a disagreement, not averaged
    assert [d["field"] for d in detention["disagreements"]] == ["date"]
    # the commander accuses, the election commission denies: side by side
    stances = {(c["speaker"], c["stance"]) for c in story["claims"]}
    assert {("Min Aung Hlaing", "accuses"), ("The election commission", "denies")} <= stances
    # re-ingest changes nothing
    before = (groups(store), store.stats()["resolved_events"])
    again = ingest([str(corpus)], store)
    assert again.duplicates == 6 and again.stored == 0
    assert (groups(store), store.stats()["resolved_events"]) == before


def test_the_latest_count_replaces_the_first_and_same_day_counts_conflict(
    corpus: Path, store: Store
) -> None:
    ingest([str(corpus)], store)
    armenia = next(s for s in store.stories().items if s["first_day"] == "2018-04-22")
    story = store.story(armenia["id"])
    [detained] = [s for s in story["series"] if s["kind"] == "arrested" and not s["group"]]
    values = {p["value"]: (p["status"], p["reporter"]) for p in detained["points"]}
    # "about 200" on Sunday, then the police's 232 for Sunday: a conflict, 232 current
    assert values[232][0] == "current" and values[200][0] == "conflict"
    assert detained["latest"]["value"] == 232 == armenia["figures"]["arrested"]
    # Pashinyan's own detention is a part of the arrests, not added to them
    assert any(s["group"] == "opposition leader Nikol Pashinyan" for s in story["series"])


def test_stories_do_not_depend_on_the_ingest_order_or_on_rebuilding(
    corpus: Path, tmp_path: Path, store_ref: str
) -> None:
    with open_store(store_ref) as one:
        for part in (ARMENIA, FURNITURE, MYANMAR):  # three runs, another order
            folder = write_corpus(tmp_path / f"part-{len(one.articles())}", part)
            ingest([str(folder)], one, batch_size=1)
        incremental = partition(one)
        resolve(one, from_scratch=True)
        scratch = partition(one)
    with Store(tmp_path / "b.db") as two:
        ingest([str(corpus)], two)
        canonical = partition(two)
        assert groups(two) == EXPECTED
    assert agreement(canonical, incremental) == agreement(canonical, scratch) == 1.0


def test_a_run_that_stopped_before_linking_is_completed_by_resolve(
    corpus: Path, store_ref: str
) -> None:
    with open_store(store_ref) as store:
        summary = ingest([str(corpus)], store, stories=False)  # as if killed before linking
        assert summary.stored == 6 and store.story_assignments() == {}
        result = CliRunner().invoke(cli, ["resolve", "--db", store_ref, "--json"])
        assert result.exit_code == 0, result.output
        done = json.loads(result.output)
        assert done["articles"] == 6 and done["stories"] == 3
        assert groups(store) == EXPECTED
        # nothing is left: a second run links nothing
        assert resolve(store).articles == 0


def test_cli_stories_and_story(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["stories", "--db", db, "--json"]).output)
    assert listed["total"] == 3 and [s["n_articles"] for s in listed["stories"]] == [3, 2, 1]
    only = json.loads(runner.invoke(cli, ["stories", "--db", db, "--json", "--min-articles",
                                          "2", "--search", "Pashinyan"]).output)  # fmt: skip
    assert [s["n_articles"] for s in only["stories"]] == [2]
    shown = runner.invoke(cli, ["story", str(listed["stories"][0]["id"]), "--db", db])
    assert shown.exit_code == 0 and "resolved events" in shown.output and "claims" in shown.output
    missing = runner.invoke(cli, ["story", "999", "--db", db])
    assert missing.exit_code == 1 and "E004" in missing.output
    bad = runner.invoke(cli, ["stories", "--db", db, "--sort", "size"])
    assert bad.exit_code == 1 and "E003" in bad.output


@pytest.mark.slow
def test_the_sample_corpus_is_one_story_whose_toll_is_the_latest_official_one(
    tmp_path: Path,
) -> None:
    """A regression floor on the sample corpus (its English reports of the January 2022
    unrest); the measured figures are in the README's scorecard."""
    with Store(tmp_path / "k.db") as store:
        ingest([str(SAMPLE_CORPUS)], store)
        biggest = store.stories(limit=1).items[0]
        assert biggest["n_articles"] >= 30
        assert biggest["figures"]["killed"] == 225  # the prosecutors' toll of 15 January
    out = tmp_path / "k.acled"
    result = CliRunner().invoke(cli, ["export", str(out), "--format", "acled", "--db",
                                      str(tmp_path / "k.db")])  # fmt: skip
    assert result.exit_code == 0, result.output
    import csv

    with open(out, encoding="utf-8", newline="") as handle:
        assert sum(float(r["fatalities"] or 0) for r in csv.DictReader(handle)) == 225


def test_a_story_that_gives_people_shot_and_dead_derives_its_injured(tmp_path: Path) -> None:
    report = tmp_path / "dayton.txt"
    report.write_text(
        "date 2016-07-05\nSeven people were shot, one fatally, at a Fourth of July party in"
        " the 400 block of McCloud Avenue in Dayton, Ohio, late on Monday night, police said"
        " on Tuesday. Officers found the victims in the yard of a house and detectives were"
        " still looking for the gunman on Tuesday afternoon.\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "d.db") as store:
        ingest([str(report)], store)
        [story] = store.stories(limit=5).items
        assert story["figures"] == {"killed": 1, "shot": 7, "injured": 6}
        assert story["derived"] == ["injured"]
    args = ["story", str(story["id"]), "--db", str(tmp_path / "d.db")]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "derived: shot - killed" in result.output


def test_bench_stories_times_the_stage_run_by_run_and_against_an_empty_store(
    corpus: Path,
) -> None:
    result = CliRunner().invoke(cli, ["bench-stories", str(corpus), "--runs", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [r["stored"] for r in report["runs"]] == [3, 3]  # six articles, in two runs
    assert report["control"]["stored"] == report["runs"][-1]["stored"]
    for run in [*report["runs"], report["control"]]:
        assert 0 < run["stories_ms_per_article"] < run["ms_per_article"]
        assert 0 < run["stories_share"] < 1
    # the grown store holds the stories of both runs; the empty one only the last run's
    assert report["runs"][-1]["stories_in_store"] >= report["control"]["stories_in_store"] >= 1
