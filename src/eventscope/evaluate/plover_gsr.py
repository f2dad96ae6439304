"""events-plover: the PLOVER gold-standard records (GSR), a JSON array of coded sentences.

Each sentence's main event is scored against the main predicted event of that sentence
(the most confident one; the first on ties): its PLOVER type and mode, the country and
sector codes of its source and target actors, the dead and injured counts and the event
location. The GSR uses PLOVER 0.5 names for four types; they are scored under their 2021
names (`kb/plover_legacy_types.yaml`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.kb.load import load_yaml
from eventscope.kb.names import fold
from eventscope.model import Actor, ArticleRecords, Event, Figure, Place

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import accuracy, macro_f1, set_prf

log = logging.getLogger(__name__)

NAME = "events-plover"
FOLDER = "plover_gsr"
PATTERNS = ("*.json", "*.json.gz")
NO_TYPE = "NONE"  # the type of a sentence without a predicted event: never a gold type
TEXT_WINDOW = 400  # characters of a sentence shown with a miss


@dataclass(frozen=True, slots=True)
class Coding:
    """The main event of one sentence in the GSR's terms, gold or predicted.

    Country codes are upper-case (ISO 3166 alpha-3 or CAMEO codes such as IGO); sectors
    are their first three letters, upper-case ("CVLkur" -> "CVL"); place names are folded.
    """

    type: str | None
    mode: str | None = None
    source_countries: tuple[str, ...] = ()
    source_sectors: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    target_sectors: tuple[str, ...] = ()
    dead: float | None = None
    injured: float | None = None
    places: tuple[str, ...] = ()  # names the event location goes by


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One GSR record: its sentence, the label as written and the coding under 2021 names."""

    id: str
    text: str
    published: date | None
    label: str
    coding: Coding


def load(path: Path) -> list[GoldSentence]:
    """The coded sentences of a GSR JSON file (DOCUMENT header records left out)."""
    with open_maybe_gz(path) as raw:
        data = json.load(raw)
    records = data if isinstance(data, list) else [data]
    return [gold_sentence(r) for r in records if _is_sentence(r)]


def _is_sentence(record: Any) -> bool:
    if not isinstance(record, dict):
        return False
    label = str(record.get("event") or "").strip().upper()
    return bool(label) and label != "DOCUMENT" and bool(str(record.get("text") or "").strip())


def gold_sentence(record: Mapping[str, Any]) -> GoldSentence:
    """A GSR record as a GoldSentence, its 0.5 type renamed and its mode filled in."""
    table = load_yaml("plover_legacy_types.yaml")
    renamed: Mapping[str, Mapping[str, str]] = table["legacy_types"]
    label = str(record["event"]).strip().upper()
    new = renamed.get(label, {})
    # The record's own mode wins; the map's mode stands in for a type that became a mode.
    mode = _clean(record.get("mode")) or new.get("mode")
    sources, targets = _gold_actors(record.get("source")), _gold_actors(record.get("target"))
    location = record.get("eventLoc")
    place = _clean(location.get("name")) if isinstance(location, dict) else None
    coding = Coding(
        type=new.get("type", label),
        mode=mode.lower() if mode else None,
        source_countries=_present(_country(a.get("code")) for a in sources),
        source_sectors=_present(_sector(a.get("sector")) for a in sources),
        target_countries=_present(_country(a.get("code")) for a in targets),
        target_sectors=_present(_sector(a.get("sector")) for a in targets),
        dead=_count(record.get("dead")),
        injured=_count(record.get("injured")),
        places=(fold(place),) if place else (),
    )
    text = str(record["text"])
    return GoldSentence(str(record.get("id", "")), text, _day(record.get("date")), label, coding)


def _clean(value: Any) -> str | None:
    text = str(value).strip() if isinstance(value, str | int | float) else ""
    return text or None


def _gold_actors(value: Any) -> list[Mapping[str, Any]]:
    # "source"/"target" is a list of actor objects, or "" / null when there is none.
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def _country(code: Any) -> str | None:
    text = _clean(code)
    return text.upper() if text else None


def _sector(code: Any) -> str | None:
    # CAMEO sectors may carry an ethnic or religious suffix ("CVLkur", "REBMOS"); "***"
    # means unknown.
    text = (_clean(code) or "")[:3]
    return text.upper() if len(text) == 3 and text.isalpha() else None


def _present(codes: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(c for c in codes if c)


def _count(value: Any) -> float | None:
    # Counts are strings ("23"); words ("scores") cannot be matched exactly: not scored.
    text = (_clean(value) or "").replace(",", "")
    return float(text) if text.isdigit() else None


def _day(value: Any) -> date | None:
    # The pipeline rejects dates before 1900 or in the future: those fall back to the
    # placeholder date, as do unreadable ones.
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
    return day if day.year >= 1900 and day <= datetime.now(UTC).date() else None


def predictions_from(records: ArticleRecords | None) -> Coding:
    """The sentence's main predicted event as a Coding (type None when there is none)."""
    if records is None:
        return Coding(type=None)
    main = max(records.events, key=lambda e: e.evidence.confidence) if records.events else None
    dead = _figure(records.figures, "killed", main)
    injured = _figure(records.figures, "injured", main)
    if main is None:
        return Coding(type=None, dead=dead, injured=injured)
    actors = {a.id: a for a in records.actors}
    sources = [actors[i] for i in main.source if i in actors]
    targets = [actors[i] for i in main.target if i in actors]
    place = next((p for p in records.places if main.place and p.id == main.place), None)
    return Coding(
        type=main.type,
        mode=main.mode.lower() if main.mode else None,
        source_countries=_present(_actor_country(a) for a in sources),
        source_sectors=_present(_sector(a.sector) for a in sources),
        target_countries=_present(_actor_country(a) for a in targets),
        target_sectors=_present(_sector(a.sector) for a in targets),
        dead=dead,
        injured=injured,
        places=_place_names(place),
    )


def _actor_country(actor: Actor) -> str | None:
    # CAMEO and the GSR put "IGO" in the country slot of an intergovernmental body (the
    # UN, the IAEA) and of the people acting for one (the Arab League's secretary-general):
    # eventscope codes them as sector IGO, with no country or the person's nationality.
    is_igo = str(actor.sector or "").upper().startswith("IGO")
    return "IGO" if is_igo else _country(actor.country)


def _figure(figures: Sequence[Figure], kind: str, main: Event | None) -> float | None:
    """The most confident figure of a kind, preferring those tied to the main event."""
    found = [f for f in figures if f.kind == kind]
    tied = [f for f in found if main is not None and f.event == main.id]
    best = max(tied or found, key=lambda f: f.evidence.confidence, default=None)
    return best.value if best else None


def _place_names(place: Place | None) -> tuple[str, ...]:
    # The gold name is as written ("Khatmandu"); the gazetteer name may differ, so the
    # place's mentions in the sentence count too.
    if place is None:
        return ()
    names = [place.name, *(m.span.text for m in place.mentions)]
    return tuple(dict.fromkeys(fold(n) for n in names if n.strip()))


def score(gold: Sequence[Coding], predicted: Sequence[Coding]) -> dict[str, float | None]:
    """Scores of predicted main events against gold, sentence by sentence.

    Type accuracy and macro-F1 over all sentences (no prediction is wrong); mode over
    sentences with a gold mode; actor codes as micro-F1 over each sentence's multiset of
    codes; dead, injured and location over the sentences where gold gives them. A metric
    with no gold item is None.
    """
    pairs = list(zip(gold, predicted, strict=True))
    types = [(g.type or NO_TYPE, p.type or NO_TYPE) for g, p in pairs]
    located = [(True, bool(set(g.places) & set(p.places))) for g, p in pairs if g.places]
    return {
        "type_accuracy": accuracy(types) if types else None,
        "type_macro_f1": macro_f1(types) if types else None,
        "mode_accuracy": _share([(g.mode, p.mode) for g, p in pairs if g.mode]),
        "source_country_f1": _codes_f1(pairs, lambda c: c.source_countries),
        "source_sector_f1": _codes_f1(pairs, lambda c: c.source_sectors),
        "target_country_f1": _codes_f1(pairs, lambda c: c.target_countries),
        "target_sector_f1": _codes_f1(pairs, lambda c: c.target_sectors),
        "dead_exact": _share([(g.dead, p.dead) for g, p in pairs if g.dead is not None]),
        "injured_exact": _share(
            [(g.injured, p.injured) for g, p in pairs if g.injured is not None]
        ),
        "location_match": _share(located),
    }


def _share(pairs: Sequence[tuple[object, object]]) -> float | None:
    return accuracy(pairs) if pairs else None


def _codes_f1(
    pairs: Sequence[tuple[Coding, Coding]], codes: Callable[[Coding], tuple[str, ...]]
) -> float | None:
    # Codes are tagged with their sentence so that a code matches only in its own sentence.
    gold = [(i, c) for i, (g, _) in enumerate(pairs) for c in codes(g)]
    if not gold:
        return None
    predicted = [(i, c) for i, (_, p) in enumerate(pairs) for c in codes(p)]
    return set_prf(gold, predicted)["f1"]


def _brief(coding: Coding) -> dict[str, Any] | None:
    """The filled fields of a coding, for the list of misses."""
    if coding.type is None and coding.dead is None and coding.injured is None:
        return None
    values = {f.name: getattr(coding, f.name) for f in fields(coding)}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items() if v}


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    report = TaskReport(NAME, str(path))
    sentences: list[GoldSentence] = []
    for found in find_files(path, FOLDER, PATTERNS):
        try:
            sentences.extend(load(found))
        except (ValueError, OSError) as exc:  # another JSON format, or a damaged file
            log.warning("skipped %s: %s", found, exc)
    sentences = list(limited(sentences, limit))
    if not sentences:
        return report
    # Keys by position: ids may repeat across files.
    results = dict(predict(((str(i), s.text, s.published) for i, s in enumerate(sentences)), kb=kb))
    predicted = [predictions_from(results.get(str(i))) for i in range(len(sentences))]
    gold = [s.coding for s in sentences]
    report.metrics = score(gold, predicted)
    report.counts = {
        "sentences": len(sentences),
        "with_prediction": sum(1 for p in predicted if p.type is not None),
        "rejected": sum(1 for i in range(len(sentences)) if results.get(str(i)) is None),
        "renamed_types": sum(1 for s in sentences if s.label != s.coding.type),
        "with_mode": sum(1 for g in gold if g.mode),
        "with_dead": sum(1 for g in gold if g.dead is not None),
        "with_injured": sum(1 for g in gold if g.injured is not None),
        "with_location": sum(1 for g in gold if g.places),
    }
    report.notes.append(
        "Main predicted event (most confident) vs the GSR's main event, scored under PLOVER "
        "2021 names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT renamed by "
        "kb/plover_legacy_types.yaml); actor sectors on their first three letters; context "
        "and size are not scored."
    )
    if not report.counts["with_prediction"]:
        report.notes.append("The pipeline predicted no event on these sentences.")
    for s, p in zip(sentences, predicted, strict=True):
        if len(report.errors) >= errors:
            break
        if s.coding.type != p.type:
            report.errors.append(
                {
                    "id": s.id,
                    "text": s.text[:TEXT_WINDOW],
                    "gold": _brief(s.coding),
                    "predicted": _brief(p),
                }
            )
    return report


TASK = Task(NAME, "PLOVER GSR: event type, mode, actor codes, casualties, location", run)
