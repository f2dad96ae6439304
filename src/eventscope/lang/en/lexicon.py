"""The English lexicons: YAML files under `kb/en/`, each read once per process.

Rules take their words from here at import time (`words("quotes", "speaking_words")`),
so no lexicon is read per article or per token.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from eventscope.kb.load import load_yaml

LANG = "en"


@functools.cache
def lexicon(name: str) -> Mapping[str, Any]:
    """The lexicon file `kb/en/<name>.yaml` as a mapping (cached)."""
    data = load_yaml(f"{LANG}/{name}.yaml")
    if not isinstance(data, dict):
        raise ValueError(f"kb/{LANG}/{name}.yaml: not a mapping of named lists")
    return data


def _strings(name: str, key: str, items: Any) -> list[str]:
    # YAML reads a bare on, no or yes as a boolean: such a word must be quoted.
    if not isinstance(items, list | dict) or not all(isinstance(w, str) for w in items):
        raise ValueError(f"kb/{LANG}/{name}.yaml: {key} must list strings (quote on, no, yes)")
    return list(items)


@functools.cache
def words(name: str, key: str) -> frozenset[str]:
    """The word list `key` of `kb/en/<name>.yaml` as written (case kept: the rule that
    reads it says whether it compares lower case)."""
    return frozenset(_strings(name, key, lexicon(name)[key]))


@functools.cache
def word_list(name: str, key: str) -> tuple[str, ...]:
    """The word list `key` of `kb/en/<name>.yaml` in its order (for suffixes, ranked
    lists)."""
    return tuple(_strings(name, key, lexicon(name)[key]))


@functools.cache
def word_map(name: str, key: str) -> Mapping[str, str]:
    """The word mapping `key` of `kb/en/<name>.yaml` ("him" -> "he")."""
    table = lexicon(name)[key]
    _strings(name, key, [*table, *table.values()])
    return dict(table)
