"""Events across the store: filters by type, mode, date, actor, actor country and modality."""

from __future__ import annotations

from datetime import date

from eventscope.pipeline import extract
from eventscope.store import Store

# Sentences written here about the January 2022 events in Kazakhstan.
REPORTS = [
    ("Kazakh police arrested 40 protesters in Almaty on Saturday.", date(2022, 1, 10)),
    ("Russia sent 2,000 paratroopers to Kazakhstan on January 6.", date(2022, 1, 7)),
    ("Tokayev said the troops will withdraw soon.", date(2022, 1, 11)),
]


def _fill(store: Store) -> None:
    store.write_batch([extract(text, published=day) for text, day in REPORTS])


def test_filters_by_type_mode_date_and_country(store: Store) -> None:
    _fill(store)
    arrests = store.events(type="coerce", mode="arrest")
    assert [(e["type"], e["date"], e["place"]) for e in arrests] == [
        ("COERCE", "2022-01-08", "Almaty")
    ]
    assert arrests[0]["target"] == ["protesters"] and arrests[0]["ref"].endswith(":e1")
    assert {e["type"] for e in store.events(since=date(2022, 1, 6), until=date(2022, 1, 6))} == {
        "MOBILIZE"
    }
    russian = {e["type"] for e in store.events(actor_country="RUS")}
    assert "MOBILIZE" in russian and "COERCE" not in russian
    assert not store.events(type="ASSAULT")


def test_filters_by_actor_role_and_modality(store: Store) -> None:
    _fill(store)
    everything = store.events(limit=100)
    withdrawals = [e for e in everything if e["type"] == "RETREAT"]
    assert withdrawals and "future" in withdrawals[0]["modality"]
    factual = store.events(modality="factual", limit=100)
    assert factual and all(not e["modality"] for e in factual)
    assert len(factual) < len(everything)
    russia = store.events(actor="russia", role="source")
    assert russia and all("Russia" in e["source"] for e in russia)
    assert not store.events(actor="russia", role="target")
    assert store.events(limit=1, offset=1)[0] == everything[1]
