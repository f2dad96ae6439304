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


def _label(kind: str, *parts: Any) -> str:
    return f"{kind}: " + ", ".join(str(p) for p in parts if p not in (None, "", []))


def article_spans(records: JSON) -> list[JSON]:
    """Every extracted span of an article, for highlighting: start, end, kind (actor,
    place, date, event, figure, quote, cue, speaker), the record it belongs to (`ref`)
    and a one-line explanation (`label`), sorted by position then length (longest
    first, so a highlighter can nest them)."""
    spans: list[JSON] = []

    def add(kind: str, span: JSON | None, ref: str, label: str, rule: Any = None) -> None:
        if span and span.get("end", 0) > span.get("start", 0):
            spans.append({"start": span["start"], "end": span["end"], "kind": kind,
                          "ref": ref, "label": label, "rule": rule})  # fmt: skip

    for a in records.get("actors", []):
        codes = "/".join(c for c in (a.get("country"), a.get("sector")) if c) or None
        for m in a.get("mentions", []):
            add("actor", m, a["id"], _label("actor", a["name"], a.get("type"), codes),
                m.get("rule"))  # fmt: skip
    for p in records.get("places", []):
        where = ", ".join(x for x in (p.get("admin1"), p.get("country")) if x) or None
        for m in p.get("mentions", []):
            add("place", m, p["id"], _label("place", p["name"], where,
                                            p.get("geonameid") and f"GeoNames {p['geonameid']}"),
                m.get("rule"))  # fmt: skip
    for i, d in enumerate(records.get("dates", [])):
        span = d.get("span") or d
        add("date", span, f"d{i}", _label("date", d.get("value"), d.get("precision")),
            d.get("rule"))  # fmt: skip
    for e in records.get("events", []):
        add("event", e.get("trigger"), e["id"],
            _label("event", e["type"], e.get("mode"), e.get("cameo") and f"CAMEO {e['cameo']}",
                   e.get("date"), e.get("modality") and "/".join(e["modality"])),
            e.get("rule"))  # fmt: skip
    actors = _by_id(records.get("actors", []))
    for i, f in enumerate(records.get("figures", [])):
        source = actors.get(str(f.get("reported_by")))
        low, high = f.get("low"), f.get("high")
        ranged = low is not None and high is not None and low != high
        value = f"{low}-{high}" if ranged else f["value"]
        add("figure", f.get("span"), f"f{i}",
            _label("figure", f["kind"], value, f.get("qualifier"),
                   f.get("as_of") and f"as of {f['as_of']}",
                   source and f"according to {source['name']}"),
            f.get("rule"))  # fmt: skip
    for i, q in enumerate(records.get("quotes", [])):
        speaker = actors.get(str(q.get("speaker")))
        who = speaker["name"] if speaker else None
        add(
            "quote",
            q.get("content"),
            f"q{i}",
            _label("quote", q.get("kind"), who and f"said by {who}"),
            q.get("rule"),
        )
        add("cue", q.get("cue"), f"q{i}", _label("cue", who and f"of {who}"), q.get("rule"))
        add("speaker", q.get("speaker_span"), f"q{i}", _label("speaker", who), q.get("rule"))
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    return spans
