"""Why an event was coded so: its trigger and rule, each argument with the words it came
from, its date and place with where they were taken, modality and views. Works on the
JSON contract (`Store.records`, `ArticleRecords.to_dict()`), so every interface shares it."""

from __future__ import annotations

from typing import Any

from eventscope.errors import E004, NotFoundError

JSON = dict[str, Any]


def _by_id(items: list[JSON]) -> dict[str, JSON]:
    return {str(item["id"]): item for item in items}


def _actor_line(actor: JSON | None, sentence: JSON | None) -> str:
    if actor is None:
        return "(unknown actor)"
    codes = "/".join(c for c in (actor.get("country"), actor.get("sector")) if c) or "uncoded"
    said = [
        m["text"]
        for m in actor.get("mentions", [])
        if sentence and sentence["start"] <= m["start"] < sentence["end"]
    ]
    where = f" as '{said[0]}' in the sentence" if said else ""
    return f"{actor['name']} ({actor.get('type') or '?'}, {codes}){where}"


def explain_event(records: JSON, event_id: str) -> list[str]:
    """Lines that explain one event of an article's records."""
    events = _by_id(records.get("events", []))
    if event_id not in events:
        known = ", ".join(events) or "none"
        raise NotFoundError(E004, f"no event {event_id} in this article (events: {known})")
    event = events[event_id]
    actors = _by_id(records.get("actors", []))
    places = _by_id(records.get("places", []))
    sentence = event.get("sentence")
    trigger = event["trigger"]
    lines = [
        f"{event['id']}: {event['type']}"
        + (f" ({event['mode']})" if event.get("mode") else "")
        + f", CAMEO {event.get('cameo') or '-'}, quad class {event.get('quad_class') or '-'}, "
        f"intensity {event.get('intensity')}",
        f"trigger '{trigger['text']}' at {trigger['start']}-{trigger['end']}, rule "
        f"{event['rule']}, confidence {event['confidence']}",
    ]
    if sentence:
        lines.append(f"sentence: {sentence['text'].strip()}")
    for role in ("source", "target"):
        ids = event.get(role) or []
        named = "; ".join(_actor_line(actors.get(i), sentence) for i in ids) or "none found"
        lines.append(f"{role}: {named}")
    precision = event.get("date_precision")
    how = "the article's date" if precision == "article" else "a date expression of the event"
    lines.append(f"date: {event.get('date') or '-'} ({how}, precision {precision})")
    place = places.get(str(event.get("place"))) if event.get("place") else None
    if place:
        lines.append(f"place: {place['name']} ({place.get('country') or '-'}): {place['reason']}")
    else:
        lines.append("place: none")
    modality = ", ".join(event.get("modality") or []) or "factual (no cue)"
    lines.append(f"modality: {modality}")
    return lines
