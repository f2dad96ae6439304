"""The entity layer: KB matches and general fixes of spaCy's small-model entities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventscope.extract.context import ArticleContext
from eventscope.extract.entities import EVIDENCE, extract_entities
from eventscope.kb.actors import load_actor_kb, name_key, plural, title_key
from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import Article, ArticleRecords
from eventscope.nlp.parse import ParsedArticle, english_components, load_nlp

# A small KB written for these tests (facts: names, offices and dates of office).
KB_YAML = """
people:
  - name: Kassym-Jomart Tokayev
    aliases: [Kassym-Zhomart Tokayev]
    country: KAZ
    roles:
      - {title: President, sector: GOV, from: 2019-03-20, to: null}
  - name: Nursultan Nazarbayev
    country: KAZ
    roles:
      - {title: President, sector: GOV, from: 1991-12-16, to: 2019-03-19}
  - name: Vladimir Putin
    country: RUS
    roles:
      - {title: President, sector: GOV, from: 2012-05-07, to: null}
organizations:
  - name: Collective Security Treaty Organization
    aliases: [CSTO, ODKB]
    type: organization
    country: null
    sector: IGO
  - name: National Security Committee
    aliases: [KNB]
    type: organization
    country: KAZ
    sector: SPY
"""


def write_kb(folder: Path) -> Path:
    """The test KB as a user KB file."""
    path = folder / "kb.yaml"
    path.write_text(KB_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kb_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("kb"))


_KB: dict[str, KnowledgeBase] = {}  # the KB `parse` passes to the stage


@pytest.fixture(autouse=True)
def with_kb(kb_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_KB, "test", KnowledgeBase.of([kb_file]))


def entities(text: str) -> list[tuple[str, str, str]]:
    """(text, label, kb_id) of the corrected name entities of `text`."""
    doc = parse(text)
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents if e.label_ in
            ("PERSON", "ORG", "GPE", "LOC", "NORP")]  # fmt: skip


def parse(text: str) -> Any:
    nlp = load_nlp("en", english_components(("tagger", "parser", "ner")))
    doc = nlp(text)
    article = Article("t", text, None, language="en")
    extract_entities(
        ArticleContext(ParsedArticle(article, doc), _KB["test"]), ArticleRecords(article)
    )
    return doc


def test_transliterated_kb_person_and_demonym() -> None:
    found = entities("Kazakh leader Kasym-Zhomart Tokaev met Uzbek officials in Tashkent.")
    assert ("Kasym-Zhomart Tokaev", "PERSON", "person:Kassym-Jomart Tokayev") in found
    assert ("Kazakh", "NORP", "demonym:KAZ") in found


def test_country_tagged_norp_becomes_gpe() -> None:
    found = entities("Troops from Tajikistan and Kyrgyzstan arrived on Friday.")
    assert ("Tajikistan", "GPE", "country:TJK") in found


def test_ministry_joined_with_its_of_phrase() -> None:
    found = entities("The Kyrgyz Ministry of the Interior said that 12 people were detained.")
    assert [(text, label) for text, label, _ in found] == [
        ("The Kyrgyz Ministry of the Interior", "ORG")
    ]


def test_capitalised_common_noun_is_not_an_entity() -> None:
    assert entities("Groups of armed men blocked the road near the airport.") == []


def test_demonym_tagged_gpe_becomes_norp() -> None:
    found = entities("A Kyrgyz citizen, Aibek Toktogulov, was detained.")
    assert ("Kyrgyz", "NORP", "demonym:KGZ") in found
    assert ("Aibek Toktogulov", "PERSON", "") in found


def test_name_after_locative_preposition_is_a_place() -> None:
    found = entities("Police confirmed an arrest in Almatí, and officials in Almatí said so.")
    assert [label for text, label, _ in found if text == "Almatí"] == ["GPE", "GPE"]


def test_acting_name_stays_an_organisation() -> None:
    found = entities("Workers in Boeing plants went on strike. Boeing said talks would go on.")
    assert [label for text, label, _ in found if text == "Boeing"] == ["ORG", "ORG"]


def test_name_after_a_kind_of_body() -> None:
    found = entities("According to the Kyrgyz channel Aprel-24, the clashes continued.")
    assert ("Aprel-24", "ORG", "") in found


def test_kb_acronyms_and_bracketed_acronyms() -> None:
    found = entities(
        "A colonel of the National Security Committee (KNB) was arrested. The ODKB sent "
        "troops, and the Eurasian Transit Council (ETC) met. ETC members agreed."
    )
    knb = "org:KAZ:National Security Committee"
    assert ("the National Security Committee", "ORG", knb) in found
    assert ("KNB", "ORG", knb) in found
    assert ("ODKB", "ORG", "org::Collective Security Treaty Organization") in found
    assert [t for t, label, _ in found if t == "ETC" and label == "ORG"] == ["ETC", "ETC"]


def test_kb_surname_alone_after_the_full_name() -> None:
    doc = parse("Vladimir Putin spoke first. Later Putin said the troops would leave.")
    putin = [e for e in doc.ents if e.text == "Putin"]
    assert putin and putin[0].kb_id_ == "person:Vladimir Putin"
    rule, confidence = doc.user_data[EVIDENCE][(putin[0].start_char, putin[0].end_char)]
    assert rule == "entities.kb.surname" and confidence > 0.5


def test_coordinated_name_spacy_missed() -> None:
    found = entities("He removed two deputies, Marat Osipov and Daulet Ergozhin.")
    assert ("Daulet Ergozhin", "PERSON", "") in found


def test_name_keys_join_transliterations() -> None:
    assert name_key("Jabar-24") == name_key("Khabar 24")
    assert name_key("Kasim-Zhomart Tokáyev") == name_key("Kassym-Jomart Tokayev")
    assert title_key("Co-President") == ("co", "president")
    assert plural("head of state") == "heads of state"
    assert plural("policeman") == "policemen"


def test_extra_kb_overrides_and_adds(tmp_path: Path) -> None:
    first = write_kb(tmp_path)
    second = tmp_path / "more.yaml"
    second.write_text(
        "people:\n  - {name: Vladimir Putin, country: RUS, aliases: [V. V. Putin]}\n"
        "titles:\n  - {words: [akim], sector: GOV, type: person}\n",
        encoding="utf-8",
    )
    kb = load_actor_kb((first, second))
    putin = kb.entry("person:Vladimir Putin")
    assert putin is not None and getattr(putin, "roles", None) == ()
    assert kb.entry("person:Nursultan Nazarbayev") is not None
    assert kb.titles[("akims",)].type == "group"


def test_gazetteer_city_of_a_named_country_is_a_place() -> None:
    from eventscope.extract.entities_spacy import _gazetteer

    if _gazetteer() is None:
        pytest.skip("the gazetteer cannot be built here")
    found = entities("Protests began in Kazakhstan on Sunday. By evening Aktobe followed.")
    assert ("Aktobe", "GPE", "") in found
