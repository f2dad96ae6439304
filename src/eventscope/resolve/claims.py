"""Claims: who said what about a resolved event (its cause, who is responsible, a denial).

A claim is an attributed statement of a story's report, linked to the resolved event of
the event mention it is about (`Quote.events`), or to the story when it names none but
accuses, denies or confirms. Its stance comes from the cue and the statement's words:
`denies` (deny, reject, dismiss, "not responsible"), `accuses` (accuse, blame, allege,
"responsible for"), `confirms` (confirm, acknowledge, admit) or `claims` (any other cue).
Opposing stances on one event sit side by side in the story view.
"""

from __future__ import annotations

import re

from eventscope.model import JSON

_STANCES = (  # tried in order over the cue, then the statement
    ("denies", re.compile(r"\b(?:den(?:y|ies|ied|ial)|reject|dismiss|refut|rebuff|"
                          r"not (?:responsible|involved|behind)|false|baseless|fabricat)", re.I)),
    ("accuses", re.compile(r"\b(?:accus|blam|alleg|charg|responsible for|behind the|"
                           r"terroris|bandit|orchestrat|instigat)", re.I)),
    ("confirms", re.compile(r"\b(?:confirm|acknowledg|admi(?:t|ss)|verif)", re.I)),
)  # fmt: skip


def stance(quote: JSON) -> str:
    """The stance of an attributed statement."""
    cue = ((quote.get("cue") or {}).get("text") or "").lower()
    content = (quote.get("content") or {}).get("text") or ""
    for name, pattern in _STANCES:
        if pattern.search(cue):
            return name
    for name, pattern in _STANCES:
        if pattern.search(content):
            return name
    return "claims"


def claims_of(records: JSON, resolved: dict[str, str], registry: dict[str, int]) -> list[JSON]:
    """The claims of one article (`resolved`: mention id -> resolved id)."""
    article = records["article"]
    names = {a["id"]: a["name"] for a in records.get("actors") or ()}
    found = []
    for seq, quote in enumerate(records.get("quotes") or ()):
        about = [resolved[r] for e in quote.get("events") or ()
                 if (r := f"{article['id']}:{e}") in resolved]  # fmt: skip
        how = stance(quote)
        if not about and how == "claims":
            continue
        speaker = quote.get("speaker")
        found.append({
            "article_id": article["id"], "quote_seq": seq,
            "published": article.get("published"), "source": article.get("source"),
            "resolved_id": about[0] if about else None,
            "speaker": names.get(speaker or "") or (quote.get("speaker_span") or {}).get("text"),
            "registry_id": registry.get(speaker or ""),
            "stance": how, "kind": quote.get("kind"),
            "cue": (quote.get("cue") or {}).get("text"),
            "content": (quote.get("content") or {}).get("text"),
        })  # fmt: skip
    return found


__all__ = ["claims_of", "stance"]
