"""The events stage on sentences written here: triggers, source and target through the
parse, modality, date and place, and the reported accusation of a claim."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventscope.kb.events import PLOVER_TYPES, build_lexicon, event_lexicon
from eventscope.model import ArticleRecords, Event
from eventscope.pipeline import extract

from .conftest import reference_checklist

PUBLISHED = date(2022, 1, 10)  # a Monday


def events_of(text: str) -> tuple[ArticleRecords, list[Event]]:
    records = extract(text, published=PUBLISHED)
    return records, list(records.events)


def names(records: ArticleRecords, ids: tuple[str, ...]) -> set[str]:
    by_id = {a.id: a for a in records.actors}
    return {by_id[i].name for i in ids}


def only(events: list[Event], kind: str, *, mode: str | None = None) -> Event:
    found = [e for e in events if e.type == kind and (mode is None or e.mode == mode)]
    assert len(found) == 1, [(e.type, e.trigger.text) for e in events]
    return found[0]


def test_shipped_lexicon_covers_every_plover_type() -> None:
    lexicon = event_lexicon()
    assert set(lexicon.types) == set(PLOVER_TYPES)
    covered = {t.type for found in lexicon.triggers.values() for t in found}
    assert covered == set(PLOVER_TYPES)


def test_unknown_type_or_mode_is_an_error() -> None:
    types = {"COERCE": {"quad_class": 4, "cameo_root": "17", "intensity": -7, "modes": ["arrest"]}}
    good = [{"lemma": "arrest", "pos": ["VERB"], "type": "COERCE", "mode": "arrest"}]
    assert build_lexicon({"types": types, "triggers": good}).triggers[("arrest", "VERB")]
    with pytest.raises(ValueError, match="unknown type"):
        build_lexicon({"types": types, "triggers": [{**good[0], "type": "PROTESTS"}]})
    with pytest.raises(ValueError, match="no mode"):
        build_lexicon({"types": types, "triggers": [{**good[0], "mode": "kidnap"}]})


def test_active_voice_source_target_place_and_date() -> None:
    records, events = events_of(
        "Kazakh police arrested dozens of protesters in Almaty on Saturday."
    )
    event = only(events, "COERCE")
    assert event.mode == "arrest" and event.trigger.text == "arrested"
    places = {p.id: p.name for p in records.places}
    assert places[event.place or ""] == "Almaty"
    assert event.date == "2022-01-08" and event.date_precision == "day"
    assert event.source and event.quad_class == 4 and event.cameo


def test_passive_voice_target() -> None:
    records, events = events_of(
        "Karim Masimov, the former head of the National Security Committee, was arrested "
        "on suspicion of high treason."
    )
    event = only(events, "COERCE")
    assert "Karim Masimov" in names(records, event.target) and not event.source


def test_coordinated_sources_and_no_shared_role() -> None:
    records, events = events_of("Russia and Belarus sent troops to Kazakhstan on Thursday.")
    event = next(e for e in events if e.type in ("MOBILIZE", "AID"))
    assert {"Russia", "Belarus"} <= names(records, event.source)
    assert not set(event.source) & set(event.target)


def test_modality_future_negated_and_reported() -> None:
    _, events = events_of("Russia will withdraw its troops from Kazakhstan.")
    assert "future" in only(events, "RETREAT").modality
    _, events = events_of("The president did not withdraw the troops.")
    assert "negated" in only(events, "RETREAT").modality


def test_a_reported_accusation_is_the_speakers_accuse_event() -> None:
    records, events = events_of(
        "Russian President Vladimir Putin declared that the unrest was an act of "
        "international terrorism."
    )
    event = next(e for e in events if e.type == "ACCUSE")
    assert names(records, event.source) == {"Vladimir Putin"}
    assert event.evidence.sentence and "terrorism" in event.evidence.sentence.text


def test_every_event_points_at_its_words() -> None:
    text = "Protesters stormed the mayor's office in Almaty, and police detained 40 people."
    _records, events = events_of(text)
    assert events
    for event in events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert event.evidence.rule.startswith("events.") and 0 < event.evidence.confidence < 1
        assert event.evidence.sentence is not None


def test_object_senses_of_fire_and_call(monkeypatch: pytest.MonkeyPatch) -> None:
    # the senses are chosen by the rules; the learned review is measured by `eval own`
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    _, events = events_of("On the day Tokayev fired Masimov, protesters seized the airport.")
    assert only(events, "COERCE", mode="restrict").trigger.text == "fired"  # a dismissal
    assert not [e for e in events if e.type == "ASSAULT"]
    _, events = events_of("Russian forces fired a Kinzhal missile at Kyiv.")
    assert only(events, "ASSAULT").trigger.text == "fired"
    _, events = events_of("President Putin called the mutiny treason.")
    assert not [e for e in events if e.type == "CONSULT"]  # naming, not a phone call
    _, events = events_of("Lukashenko called Navalny a traitor on Monday.")
    assert not [e for e in events if e.type == "CONSULT"]
    for text in ("Macron called Putin on Friday.", "Biden called his Chinese counterpart."):
        _, events = events_of(text)
        assert only(events, "CONSULT", mode="phone").trigger.text == "called"


def test_what_usually_happens_is_no_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    _, events = events_of("Kazakhstan rarely sees street protests.")
    assert not [e for e in events if e.type == "PROTEST"]
    _, events = events_of("Police often fire tear gas at crowds in the capital.")
    assert not events
    _, events = events_of("Police fired tear gas at crowds in the capital on Sunday.")
    assert only(events, "COERCE").trigger.text == "fired tear gas"


def test_denied_acts_and_held_offices_are_no_events(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    _, events = events_of("Police were told to open fire without warning.")
    assert [e.type for e in events] == ["ASSAULT"]  # no THREATEN from "warning"
    _, events = events_of("The alliance would not have acted without a request from Tokayev.")
    assert only(events, "REQUEST").trigger.text == "request"  # a counterfactual: it was made
    _, events = events_of("Rebels shelled the town instead of negotiating a truce.")
    assert not [e for e in events if e.type == "RETREAT"]
    _, events = events_of("Masimov took the post, a post occupied until then by loyalists.")
    assert not [e for e in events if e.type == "COERCE"]
    _, events = events_of("Rebels occupied the town of Kidal on Sunday.")
    assert only(events, "COERCE", mode="seize").trigger.text == "occupied"
    _, events = events_of("The report will be made public when it is released.")
    assert not [e for e in events if e.type == "RETREAT"]
    _, events = events_of("The hostages were released on Friday.")
    assert only(events, "RETREAT", mode="release")


def test_would_after_a_past_report_is_the_speakers_will(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    _, events = events_of("The CSTO said it would send peacekeeping forces to Kazakhstan.")
    send = only(events, "MOBILIZE")
    assert "future" in send.modality and "hypothetical" not in send.modality
    _, events = events_of("The CSTO said it would send troops if Kazakhstan asked.")
    assert "future" not in only(events, "MOBILIZE").modality


def test_later_mentions_of_an_act_are_one_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    records, events = events_of(
        "A bomb attack hit the ministry in Mogadishu on Saturday. "
        "The bombing was carried out by al-Shabaab, the police said. "
        "Two soldiers were also killed."
    )
    assault = only(events, "ASSAULT")  # the bomb, the bombing and the dead are the attack's
    assert names(records, assault.source) == {"al-Shabaab"}  # named by the later mention
    assert names(records, assault.target) == {"soldiers"}
    _, events = events_of(
        "A car bomb exploded outside the ministry in Mogadishu on Saturday. "
        "A second bombing hit the port two hours later."
    )
    assert [e.trigger.text for e in events if e.type == "ASSAULT"] == ["exploded", "bombing"]
    _, events = events_of(
        "Police arrested the mayor of Almaty on Friday. "
        "The arrest of his deputy followed. Three aides were detained."
    )
    assert len([e for e in events if e.type == "COERCE"]) == 3  # arrests are coded one by one
    _, events = events_of(
        "Militants attacked a village in Borno on Sunday. The bombing destroyed the market."
    )
    attack = only(events, "ASSAULT")  # the mention's mode gives the act its codes too
    assert (attack.mode, attack.cameo) == ("explosives", "183")
    assert attack.acled_type == "Explosions/Remote violence"


def test_an_announced_act_is_also_the_actors_intent(monkeypatch: pytest.MonkeyPatch) -> None:
    # the rule itself; the learned review may drop the act (measured by `eval own`)
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    records, events = events_of("Russia is willing to withdraw its troops from Kazakhstan.")
    retreat, agree = only(events, "RETREAT"), only(events, "AGREE")
    assert "future" in retreat.modality and agree.modality == ()
    assert agree.trigger.text == "willing" and agree.evidence.rule == "events.intent.agree"
    assert agree.evidence.confidence > retreat.evidence.confidence
    assert names(records, agree.source) == {"Russia"}
    _, events = events_of("The rebels said they will attack the capital.")
    assert only(events, "THREATEN").evidence.rule == "events.intent.threaten"
    _, events = events_of("Russia is not willing to withdraw its troops from Kazakhstan.")
    assert not [e for e in events if e.type == "AGREE"]


def test_an_event_noun_in_a_verbs_object_takes_its_subject_and_recipient() -> None:
    records, events = events_of(
        "The United Nations will provide 25,000 tons of food aid to Kazakhstan."
    )
    aid = only(events, "AID")
    assert names(records, aid.source) == {"United Nations"}
    assert names(records, aid.target) == {"Kazakhstan"}
    assert "future" in aid.modality and only(events, "AGREE").source == aid.source


def test_the_main_clause_event_is_the_most_confident() -> None:
    _, events = events_of(
        "Thousands of protesters demonstrated in Almaty on Sunday, calling for the "
        "resignation of the government, witnesses said."
    )
    main = max(events, key=lambda e: e.evidence.confidence)
    assert main.type == "PROTEST" and main.trigger.text == "demonstrated"
    assert any(e.type == "REQUEST" for e in events)


def test_acled_views() -> None:
    _, events = events_of("Kazakh police arrested dozens of protesters in Almaty on Saturday.")
    arrest = only(events, "COERCE")
    assert (arrest.acled_type, arrest.acled_subtype) == ("Strategic developments", "Arrests")
    lexicon = event_lexicon()
    assert lexicon.acled_view("PROTEST", "riot", armed_target=False) == (
        "Riots",
        "Violent demonstration",
    )
    assert lexicon.acled_view("ASSAULT", None, armed_target=True) == ("Battles", "Armed clash")
    assert lexicon.acled_view("ASSAULT", "firearms", armed_target=False) == (
        "Violence against civilians",
        "Attack",
    )
    assert lexicon.acled_view("CONSULT", "visit", armed_target=False) is None
    types = {"COERCE": {"quad_class": 4, "cameo_root": "17", "intensity": -7, "modes": ["arrest"]}}
    with pytest.raises(ValueError, match="acled view"):
        build_lexicon({"types": types, "triggers": [], "acled": {"COERCE.kidnap": ["a", "b"]}})


def test_only_calendar_dates_date_an_event() -> None:
    _, events = events_of("Russian troops are currently deployed in Kazakhstan.")
    event = only(events, "MOBILIZE")
    assert event.date == "2022-01-10" and event.date_precision == "article"


def main_event(text: str) -> tuple[ArticleRecords, Event]:
    records, events = events_of(text)
    assert events, text
    return records, max(events, key=lambda e: e.evidence.confidence)


@pytest.mark.parametrize(
    ("text", "kind", "mode"),
    [
        ("Norway halted military aid to Chad on Friday.", "SANCTION", "withdraw"),
        ("The mediators ended their mediation efforts between the two factions.", "SANCTION",
         "withdraw"),
        ("The Interior Ministry shortened the nightly curfew in Almaty.", "CONCEDE", None),
        ("The navy lifted its blockade of the port.", "RETREAT", None),
        ("Kazakh police prevented a demonstration outside the akimat.", "COERCE", "restrict"),
        ("The government accepted the strikers' demands.", "CONCEDE", None),
        ("Turkey refused to withdraw its troops from the border area.", "REJECT", "yield"),
        ("Bulgaria is opposed to Greek mediation in the dispute.", "REJECT", "meet"),
    ],
)  # fmt: skip
def test_a_frame_and_the_event_it_governs_are_one_event(
    text: str, kind: str, mode: str | None
) -> None:
    _, event = main_event(text)
    assert (event.type, event.mode) == (kind, mode)
    assert event.evidence.rule.startswith("events.frame.")


def test_a_refused_act_is_flagged_negated_and_less_confident() -> None:
    _, events = events_of("Turkey refused to withdraw its troops from the border area.")
    refusal, act = only(events, "REJECT"), only(events, "RETREAT")
    assert "negated" in act.modality
    assert act.evidence.confidence < refusal.evidence.confidence


def test_a_demand_with_must_is_the_speakers_request() -> None:
    records, event = main_event(
        "The European Union said Belarus must release the detained activists."
    )
    assert (event.type, event.mode, event.trigger.text) == ("REQUEST", "yield", "must")
    assert names(records, event.source) == {"European Union"}
    assert names(records, event.target) == {"Belarus"}
    released = only(list(records.events), "RETREAT")
    assert "proposed" in released.modality


def test_an_act_announced_on_a_condition_is_a_threat() -> None:
    _, event = main_event(
        "Ghana announced that it will withdraw its peacekeepers from Mali unless the junta "
        "holds elections."
    )
    assert event.type == "THREATEN"
    _, event = main_event("Farmers said they would blockade the capital from Monday.")
    assert (event.type, event.mode) == ("THREATEN", "restrict")


@pytest.mark.parametrize(
    ("text", "kind", "mode"),
    [
        ("Japan sent 300 tonnes of medicine to the flooded region.", "AID", None),
        ("Russia sent 2,000 paratroopers to Kazakhstan.", "MOBILIZE", "troops"),
        ("The IAEA dispatched inspectors to the plant.", "ACCUSE", "investigate"),
        ("Uganda granted political asylum to the opposition leader.", "AID", "asylum"),
        ("Tokayev fired the head of the National Security Committee.", "COERCE", "restrict"),
        ("Tokayev fired on the crowd.", "ASSAULT", None),
    ],
)  # fmt: skip
def test_the_kind_of_object_decides_the_type(text: str, kind: str, mode: str | None) -> None:
    _, event = main_event(text)
    assert (event.type, event.mode) == (kind, mode)


def test_publishing_is_no_release_and_participles_are_no_triggers() -> None:
    _, events = events_of("The ministry released figures on the proposed changes.")
    assert not [e for e in events if e.type in ("RETREAT", "AGREE")]


def test_a_protest_by_a_named_actor_is_a_complaint() -> None:
    _, event = main_event("Serbia protested to Albania over the border incident.")
    assert (event.type, event.mode) == ("ACCUSE", "disapprove")
    _, event = main_event("Thousands of students protested in Belgrade.")
    assert event.type == "PROTEST"


def test_a_generic_group_yields_to_the_body_it_belongs_to() -> None:
    records, events = events_of(
        "The meeting of the leaders of the countries that make up the Collective Security "
        "Treaty Organization was held on Monday."
    )
    meeting = only(events, "CONSULT")
    assert names(records, meeting.source) == {"Collective Security Treaty Organization"}
    assert any(a.name.endswith("Organization") and "CSTO" in a.aliases for a in records.actors)


def test_a_verb_phrase_matches_through_the_parse() -> None:
    _, event = main_event("Saudi Arabia cut diplomatic ties with Iran on Sunday.")
    assert (event.type, event.trigger.text) == ("SANCTION", "cut diplomatic ties")


def test_conjoined_acts_share_their_date() -> None:
    _, events = events_of("On Saturday, the former spy chief was fired and arrested.")
    assert only(events, "COERCE", mode="arrest").date == "2022-01-08"


def test_a_pronoun_subject_is_the_speaker_and_a_stance_takes_its_acts_target() -> None:
    records, events = events_of("Libya said it would hand over the two suspects to Britain.")
    agree = only(events, "AGREE")
    assert names(records, agree.source) == {"Libya"}
    assert names(records, agree.target) == {"United Kingdom"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pakistan put its armed forces on high alert on Tuesday.", "MOBILIZE"),
        ("North Korea conducted a nuclear test, defying warnings from China.", "MOBILIZE"),
        ("The coalition launched missile strikes on rebel positions.", "ASSAULT"),
        ("Dockworkers began a strike at the port of Antwerp.", "PROTEST"),
        ("Turkish authorities blocked access to the website.", "COERCE"),
        ("The IMF approved a $3 billion loan for Egypt.", "AID"),
        ("The Kremlin said it could suspend diplomatic relations with Estonia.", "THREATEN"),
    ],
)  # fmt: skip
def test_main_event_types_on_written_sentences(
    text: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the rules' main event; the learned review drops some intents ("could suspend"),
    # which `eval own` measures
    monkeypatch.setenv("EVENTSCOPE_EVENTS", "rules")
    _, event = main_event(text)
    assert event.type == kind


def test_implicit_targets_nationalities_places_and_clauses() -> None:
    records, event = main_event("Ghanaian authorities deported 168 Liberians on Monday.")
    assert {a.country for a in records.actors if a.id in event.target} == {"LBR"}
    records, event = main_event("The army imposed a curfew in Haiti on Saturday.")
    assert {a.country for a in records.actors if a.id in event.target} == {"HTI"}
    records, event = main_event("The United States demanded that North Korea end its programme.")
    assert event.type == "REQUEST"
    assert {a.country for a in records.actors if a.id in event.target} == {"PRK"}


def test_a_target_named_inside_the_object_or_the_threatened_act() -> None:
    records, event = main_event("Pakistan suspended trade with India on Wednesday.")
    assert {a.country for a in records.actors if a.id in event.target} == {"IND"}
    records, event = main_event("Washington threatened to raise tariffs on Chinese goods.")
    assert event.type == "THREATEN"
    assert {a.country for a in records.actors if a.id in event.target} == {"CHN"}


@pytest.mark.parametrize(
    ("text", "mode", "acled"),
    [
        ("Militants killed four soldiers with a grenade in Kabul.", "grenade",
         ("Explosions/Remote violence", "Grenade")),
        ("A suicide bomber killed twelve people at a market.", "suicide-attack",
         ("Explosions/Remote violence", "Suicide bomb")),
    ],
)  # fmt: skip
def test_the_instrument_named_sets_an_attacks_mode(
    text: str, mode: str, acled: tuple[str, str]
) -> None:
    _, events = events_of(text)
    event = only(events, "ASSAULT")
    assert event.mode == mode and (event.acled_type, event.acled_subtype) == acled


def test_acled_views_of_fighting_and_territory() -> None:
    _, events = events_of("Government forces clashed with rebels near Kidal.")
    assert only(events, "ASSAULT").acled_subtype == "Armed clash"
    _, events = events_of("The army recaptured the town of Kidal on Sunday.")
    assert only(events, "COERCE").acled_subtype == "Government regains territory"
    _, events = events_of("Rebels overran the town of Kidal on Sunday.")
    assert only(events, "COERCE").acled_subtype == "Non-state actor overtakes territory"


def test_more_implicit_targets() -> None:
    records, event = main_event("Pakistan rejected a fresh offer from Afghanistan for talks.")
    assert {a.country for a in records.actors if a.id in event.target} == {"AFG"}
    records, event = main_event(
        "Iran threatened to launch a new offensive unless Iraq accepted its conditions."
    )
    assert event.type == "THREATEN"
    assert {a.country for a in records.actors if a.id in event.target} == {"IRQ"}
    records, event = main_event("Algerian landowners began a hunger strike outside Parliament.")
    assert event.type == "PROTEST"
    target = [a for a in records.actors if a.id in event.target]
    assert [(a.country, a.evidence.rule) for a in target] == [("DZA", "events.domestic_target")]


def test_ordering_an_act_is_doing_it() -> None:
    _, event = main_event("The governor ordered the arrest of the opposition leader.")
    assert (event.type, event.mode, event.trigger.text) == ("COERCE", "arrest", "ordered")


def test_a_request_for_a_possible_state_is_a_proposal_even_through_a_pronoun() -> None:
    records, events = events_of(
        "Lawmakers in Ankara suggest that the Turkish troops sent to Libya could stay there "
        "indefinitely to reinforce the Libyan army. The head of the Nationalist Movement Party, "
        "Devlet Bahceli, has openly requested it."
    )
    request = only(events, "REQUEST")
    assert names(records, request.source) == {"Devlet Bahçeli"}  # the KB's spelling
    assert "proposed" in request.modality
    # "to reinforce" is the purpose of the possible stay: as unreal as it is; the troops
    # were sent, though
    acts = {e.trigger.text: set(e.modality) for e in events if e.type == "MOBILIZE"}
    assert acts == {"sent": set(), "reinforce": {"hypothetical", "proposed"}}
    _, plain = events_of("Devlet Bahceli has openly requested new elections in Turkey.")
    assert "proposed" not in only(plain, "REQUEST").modality


# The reference article's `events` musts met so far, by the rules (all 9) and with the
# learned review (8: it drops Tokayev's claim-based ACCUSE of an attempted coup): floors
# that must not fall.
REFERENCE_EVENT_MUSTS = {"rules": 9, "combined": 8}


@pytest.mark.parametrize("arm", ["rules", "combined"])
def test_reference_article_events_checklist(
    shared: Path, tmp_path: Path, arm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTSCOPE_EVENTS", arm)
    records, found, out = reference_checklist(shared, tmp_path, "events")
    assert found >= REFERENCE_EVENT_MUSTS[arm], out
    # A future or hypothetical statement is never coded as a realised event.
    text = records.article.text
    for event in records.events:
        before = text[event.evidence.sentence.start : event.trigger.start].split()
        if before and before[-1].lower() in ("will", "would", "could", "might", "may"):
            assert event.modality, event
