"""The actor registry key: one actor across articles, whatever spelling each report used.

Within an article the actors stage has already merged mentions and coded the actor;
across articles an actor is the same when its type, country and transliteration key of
its canonical name agree (a country actor is its ISO code).
"""

from __future__ import annotations

from eventscope.kb.names import translit_key
from eventscope.model import Actor


def registry_key(actor: Actor) -> str:
    """The key under which this actor is one entry of the store's registry."""
    if actor.type == "country" and actor.country:
        return f"country:{actor.country}"
    return f"{actor.type or '?'}:{actor.country or '?'}:{translit_key(actor.name)}"


def aliases_of(actor: Actor) -> list[str]:
    """Every form of the actor's name in this article, canonical name first."""
    forms = [actor.name, *actor.aliases, *(m.span.text for m in actor.mentions)]
    return list(dict.fromkeys(" ".join(f.split()) for f in forms if f.strip()))
