"""The story stage's parts on records built here: linking, resolved events, figure series,
claims. (Whole reports through the pipeline and the store: test_stories.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from eventscope.resolve import claims, figures
from eventscope.resolve.events import fuse, group_mentions, mentions_of
from eventscope.resolve.signature import Signature, signature_of, term_vector
from eventscope.resolve.stories import THRESHOLD, Linker, MemoryIndex, pair_score, same_person

DAY = date(2021, 2, 1).toordinal()


def sig(aid: str, day: int, words: str, **extra: Any) -> Signature:
    return Signature(aid, day, terms=term_vector(words, "en"), **extra)


COUP = "military coup Naypyitaw detained Suu Kyi Win Myint state of emergency Hlaing"
PROTEST = "Yerevan protesters Pashinyan Sargsyan detained opposition rally Republic Square"


def test_reports_of_one_happening_link_and_others_do_not() -> None:
    a = sig("a", DAY, COUP, people=frozenset({"aungsansuki"}), places=frozenset({6611854}))
    b = sig("b", DAY + 1, COUP + " charges walkie-talkies", people=frozenset({"aungsansuki"}))
    c = sig("c", DAY, PROTEST, people=frozenset({"nikolpashinian"}))
    assert pair_score(a, b) >= THRESHOLD > pair_score(a, c)
    links = Linker(MemoryIndex()).link_all([c, b, a])
    story = {link.article_id: link.story_id for link in links}
    assert story["a"] == story["b"] != story["c"]
    # linked in canonical order (day, id) whatever the input order: a began the story
    assert [(link.article_id, link.score is None) for link in links] == [
        ("a", True), ("c", True), ("b", False)
    ]  # fmt: skip


def test_a_thin_page_never_links_and_is_never_linked_to() -> None:
    furniture = "verification email inbox link activate account spam junk folder"
    one = sig("f1", DAY, furniture, thin=True)
    two = sig("f2", DAY, furniture, thin=True)
    assert one.index_keys() == []
    links = Linker(MemoryIndex()).link_all([one, two])
    assert links[0].story_id != links[1].story_id
    # a thin signature made from records: too short, or nothing anchors it
    records = {"article": {"id": "x", "text": furniture * 5, "published": "2021-02-01"}}
    assert signature_of(records).thin and signature_of(records).terms == {}


def test_a_story_far_in_time_is_not_joined_without_a_shared_person() -> None:
    a = sig("a", DAY, COUP)
    later = sig("b", DAY + 90, COUP)
    links = Linker(MemoryIndex()).link_all([a, later])
    assert links[0].story_id != links[1].story_id


SHOOTING = "Elkhart gunman shot cashier Dorian Vasquez gas station Main Street robbery wounded"
TRIAL = "Elkhart jury convicted Dorian Vasquez murder cashier gas station robbery sentencing"


def test_a_follow_up_months_later_joins_by_a_person_named_in_that_story_only() -> None:
    key = frozenset({"dorianvasquez"})
    town = frozenset({4919857})
    shooting = sig("a", DAY, SHOOTING, people=key, named=key, places=town)
    trial = sig("b", DAY + 120, TRIAL, people=key, named=key, places=town)
    story = {k.article_id: k.story_id for k in Linker(MemoryIndex()).link_all([shooting, trial])}
    assert story["a"] == story["b"]
    # the same name in a second story is a spokesperson or a namesake: no long-range link
    elsewhere = frozenset({5128581})
    other = sig("c", DAY + 60, "council budget vote parks", people=key, named=key, places=elsewhere)
    three = [shooting, other, trial]
    story = {k.article_id: k.story_id for k in Linker(MemoryIndex()).link_all(three)}
    assert len(set(story.values())) == 3
    # named but not `named` (a title, a quote's speaker): only the 30-day window applies
    told = sig("b", DAY + 120, TRIAL, people=key, places=town)
    story = {k.article_id: k.story_id for k in Linker(MemoryIndex()).link_all([shooting, told])}
    assert story["a"] != story["b"]
    # over a year later: a new story
    late = sig("b", DAY + 400, TRIAL, people=key, named=key, places=town)
    story = {k.article_id: k.story_id for k in Linker(MemoryIndex()).link_all([shooting, late])}
    assert story["a"] != story["b"]


def test_the_persons_a_story_is_about_are_those_named_in_full_without_an_office() -> None:
    def person(aid: str, name: str, *mentions: tuple[str, str | None]) -> dict[str, Any]:
        spans = [{"text": text, "role": role} for text, role in mentions]
        return {"id": aid, "name": name, "type": "person", "mentions": spans}

    records = {
        "article": {"id": "x", "text": SHOOTING * 4, "published": "2021-02-01"},
        "actors": [
            person("a1", "Dorian Vasquez", ("Dorian Vasquez", None), ("Vasquez", None)),
            person("a2", "Maria Lopez", ("Maria Lopez", "police spokeswoman")),
            person("a3", "Alejandro Toledo", ("Toledo", None)),
            person("a4", "Sam Reed", ("Sam Reed", None)),
        ],
        "quotes": [{"speaker": "a4"}],
    }
    found = signature_of(records)
    assert found.people == {"dorianvasquez", "marialopez", "aleJandrotoledo", "samreed"}
    assert found.named == {"dorianvasquez"}
    assert "n:dorianvasquez" in found.index_keys()
    assert Signature.from_dict(found.to_dict()).named == found.named


def test_addresses_ages_and_spelling_variants_of_a_name_are_evidence() -> None:
    text = (
        "A 10-month-old boy was killed in a double shooting in the 2100 block of Caddy Drive"
        " in Marrero, and a 27-year-old man was wounded on Northwest 70th Street."
    )
    found = signature_of({"article": {"id": "x", "text": text, "published": "2016-12-10"}})
    assert found.streets == {"caddy", "70th"}
    assert found.ages == {"10 month", "27 year"}
    assert same_person(frozenset({"ksiahirdavis"}), frozenset({"ksiahierdavis"}))
    assert not same_person(frozenset({"Johnsmith"}), frozenset({"Janesmoot"}))
    base = sig("a", DAY, SHOOTING)
    other = sig("b", DAY + 2, "teenager wounded porch gunfire")
    plain = pair_score(base, other)
    detailed = pair_score(
        replace(base, streets=frozenset({"caddy"}), ages=frozenset({"10 month"})),
        replace(other, streets=frozenset({"caddy"}), ages=frozenset({"10 month"})),
    )
    assert detailed > plain


def test_stories_saved_in_an_index_are_found_by_the_next_run() -> None:
    index = MemoryIndex()
    first = Linker(index)
    first.link(sig("a", DAY, COUP, people=frozenset({"aungsansuki"})))
    index.save(first)
    second = Linker(index)
    link = second.link(sig("b", DAY + 1, COUP, people=frozenset({"aungsansuki"})))
    assert link.story_id == 1 and link.score is not None


def event(eid: str, kind: str, day: str, **extra: Any) -> dict[str, Any]:
    return {"id": eid, "type": kind, "date": day, "date_start": day, "date_end": day,
            "confidence": 0.8, "modality": [], **extra}  # fmt: skip


def records(aid: str, published: str, source: str, *events: dict[str, Any],
            figs: tuple[dict[str, Any], ...] = (), quotes: tuple[dict[str, Any], ...] = (),
            places: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:  # fmt: skip
    return {
        "article": {"id": aid, "published": published, "source": source, "text": ""},
        "actors": [{"id": "a1", "name": "Aung San Suu Kyi", "type": "person"},
                   {"id": "a2", "name": "Tatmadaw", "type": "group"},
                   {"id": "a3", "name": "election commission", "type": "organization"}],
        "places": list(places),
        "events": list(events),
        "figures": list(figs),
        "quotes": list(quotes),
    }  # fmt: skip


NAYPYITAW = {"id": "p1", "name": "Naypyitaw", "geonameid": 6611854, "feature": "P.PPLC",
             "country": "MM", "admin1": "17", "lat": 19.7, "lon": 96.1}  # fmt: skip
YANGON = {"id": "p2", "name": "Yangon", "geonameid": 1298824, "feature": "P.PPLA",
          "country": "MM", "admin1": "17", "lat": 16.8, "lon": 96.2}  # fmt: skip
REGISTRY = {"a1": 1, "a2": 2, "a3": 3}


def test_mentions_of_one_event_across_reports_resolve_into_one_with_disagreements() -> None:
    arrest = {"mode": "arrest", "source": ["a2"], "target": ["a1"], "place": "p1"}
    one = records("r1", "2021-02-01", "Wire", event("e1", "COERCE", "2021-02-01", **arrest),
                  places=(NAYPYITAW, YANGON))  # fmt: skip
    # the second report dates it a day later ("a day after ..."): same actors, kept apart
    two = records("r2", "2021-02-02", "Daily", event("e4", "COERCE", "2021-02-02", **arrest),
                  event("e5", "COERCE", "2021-02-02", mode="curfew", place="p2"),
                  places=(NAYPYITAW, YANGON))  # fmt: skip
    mentions = [*mentions_of(one, REGISTRY), *mentions_of(two, REGISTRY)]
    groups = group_mentions(mentions)
    assert [[m.ref for m in g.mentions] for g in groups] == [["r1:e1", "r2:e4"], ["r2:e5"]]
    fused = fuse(groups[0])
    assert fused["id"] == "r1:e1" and fused["type"] == "COERCE"
    assert (fused["n_mentions"], fused["n_articles"], fused["n_sources"]) == (2, 2, 2)
    assert fused["place"]["name"] == "Naypyitaw"
    assert fused["source"] == [{"registry_id": 2, "mentions": 2}]
    [date_disagreement] = fused["disagreements"]
    assert date_disagreement["field"] == "date"
    values = {v["value"]: v["sources"] for v in date_disagreement["values"]}
    assert values == {"2021-02-01": ["Wire"], "2021-02-02": ["Daily"]}
    assert 0 < fused["confidence"] <= 1


def test_different_fine_places_or_what_did_not_happen_stay_apart() -> None:
    here = records("r1", "2021-02-01", "Wire", event("e1", "PROTEST", "2021-02-01", place="p1"),
                   places=(NAYPYITAW, YANGON))  # fmt: skip
    there = records("r2", "2021-02-01", "Daily", event("e1", "PROTEST", "2021-02-01", place="p2"),
                    event("e2", "PROTEST", "2021-02-01", place="p1", modality=["negated"]),
                    places=(NAYPYITAW, YANGON))  # fmt: skip
    groups = group_mentions([*mentions_of(here, REGISTRY), *mentions_of(there, REGISTRY)])
    assert len(groups) == 3


def fig(kind: str, value: float, day: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "value": value, "qualifier": "exact", "date_end": day,
            "span": {"text": extra.pop("span", str(int(value)))},
            "sentence": {"start": 0, "text": text}, **extra}  # fmt: skip


def test_counted_nouns_become_groups_of_the_kind_their_verb_names() -> None:
    text = "26 armed attackers had been killed and 18 members of the security forces died."
    attackers = fig("attackers", 26, "2022-01-07", text)
    attackers["span"] |= {"start": 0, "end": 2}
    forces = fig("members", 18, "2022-01-07", text)
    forces["span"] |= {"start": 39, "end": 41}
    assert figures.kind_and_group(attackers) == ("killed", "attackers")
    assert figures.kind_and_group(forces) == ("killed", "members of the security forces")
    total = fig("killed", 225, "2022-01-15", "225 people were killed.")
    total["span"] |= {"start": 0, "end": 3}
    assert figures.kind_and_group(total) == ("killed", "")
    named = fig("arrested", 1, "2022-01-08", "Karim Masimov was detained.", span="Karim Masimov")
    assert figures.kind_and_group(named) == ("arrested", "Karim Masimov")


def test_a_count_over_a_period_or_many_incidents_is_not_this_incidents() -> None:
    day = "2017-02-11"
    report = records("r1", day, "wire", figs=(
        fig("injured", 6, day, "Police later said 6 people had been wounded."),
        fig("injured", 100, day, "100 have been wounded in the first 41 days of 2017."),
        fig("injured", 10, day, "At least 10 others were injured in 12 shootings since October."),
    ))  # fmt: skip
    marked = figures.with_status(figures.points_of(report, {}), day)
    assert [(p.value, p.status) for p in marked] == [
        (6, "current"), (100, "other-incident"), (10, "other-incident")
    ]  # fmt: skip
    assert figures.latest_value(marked, "injured") == 6


def test_people_shot_count_the_dead_too_and_give_the_injured_only_when_none_is_reported() -> None:
    day = "2016-07-05"
    shot = fig("injured", 7, day, "Seven people were shot, leaving one person dead.")
    dead = fig("killed", 1, day, "Seven people were shot, leaving one person dead.", span="one")
    report = records("r1", day, "wire", figs=(shot, dead))
    points = figures.with_status(figures.points_of(report, {}), day)
    assert sorted((p.kind, p.value) for p in points) == [("killed", 1), ("shot", 7)]
    assert figures.totals(points) == ({"killed": 1, "shot": 7, "injured": 6}, ["injured"])
    wounded = fig("injured", 5, day, "Five were wounded, one critically.")
    report = records("r2", day, "wire", figs=(shot, dead, wounded))
    points = figures.with_status(figures.points_of(report, {}), day)
    assert figures.totals(points) == ({"killed": 1, "injured": 5, "shot": 7}, [])


def point(aid: str, published: str, value: float, as_of: str, **extra: Any) -> figures.Point:
    fields = {"article_id": aid, "seq": 0, "published": published, "kind": "killed",
              "group": "", "value": value, "qualifier": "exact", "as_of": as_of,
              "reporter": None, "resolved_id": None, "span": str(value)} | extra  # fmt: skip
    return figures.Point(**fields)


def test_a_series_keeps_the_latest_marks_what_it_replaced_and_same_day_conflicts() -> None:
    points = [
        point("r1", "2022-01-09", 164, "2022-01-09"),
        point("r2", "2022-01-15", 225, "2022-01-15", reporter="prosecutors"),
        # the same day's report repeats the withdrawn figure: the new one wins
        point("r3", "2022-01-15", 164, "2022-01-15", reporter="a blogger"),
        point("r4", "2022-01-03", 14, "2011-12-16"),  # another incident's toll
        point("r2", "2022-01-15", 19, "2022-01-15", seq=1, group="police officers"),
    ]
    found = {(p.article_id, p.value): p.status for p in figures.with_status(points, "2022-01-02")}
    assert found == {("r1", 164): "superseded", ("r2", 225): "current", ("r3", 164): "conflict",
                     ("r4", 14): "other-incident", ("r2", 19): "current"}  # fmt: skip
    marked = figures.with_status(points, "2022-01-02")
    assert figures.latest_value(marked, "killed") == 225  # the total, not a part, not a sum
    [total, police] = figures.series(marked)  # by kind, then group ('' first)
    assert (total["group"], total["latest"]["value"], total["max"]) == ("", 225, 225)
    assert [c["reporter"] for c in total["conflicts"]] == ["a blogger"]
    assert police["group"] == "police officers" and police["latest"]["value"] == 19


def test_claims_take_their_stance_and_their_event() -> None:
    accuse = {
        "speaker": "a2",
        "cue": {"text": "accused"},
        "kind": "indirect",
        "content": {"text": "the election commission of ignoring fraud"},
        "events": ["e1"],
    }
    deny = {
        "speaker": "a3",
        "cue": {"text": "rejected"},
        "kind": "indirect",
        "content": {"text": "the fraud claims"},
        "events": [],
    }
    idle = {
        "speaker": "a1",
        "cue": {"text": "said"},
        "kind": "direct",
        "content": {"text": "the weather was fine"},
        "events": [],
    }
    found = claims.claims_of(
        records("r1", "2021-02-02", "Wire", event("e1", "ACCUSE", "2021-02-02"),
                quotes=(accuse, deny, idle)),
        {"r1:e1": "r0:e9"}, REGISTRY,
    )  # fmt: skip
    assert [(c["speaker"], c["stance"], c["resolved_id"]) for c in found] == [
        ("Tatmadaw", "accuses", "r0:e9"), ("election commission", "denies", None)
    ]  # fmt: skip
