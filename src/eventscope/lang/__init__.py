"""Language packs, laid out as spaCy's `spacy/lang/<code>/`: each language's grammar
helpers (`lang/<code>/grammar.py`: dependency labels, tags, entity labels, functions over
a token's children) and lexicons (YAML under `kb/<code>/`, read by
`lang/<code>/lexicon.py`). Language-neutral data (countries, actors, PLOVER/CAMEO maps)
stays in `kb/`. A new language is a new pack registered in `_PACKS`, not a branch on
the language code in the rules.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from eventscope.errors import E003, InputError

# code -> the package of its pack
_PACKS = {"en": "eventscope.lang.en"}


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """A language's grammar module and the loaders of its lexicons."""

    code: str
    grammar: ModuleType
    lexicon: Callable[[str], Mapping[str, Any]]  # "events" -> kb/<code>/events.yaml
    words: Callable[[str, str], frozenset[str]]  # ("quotes", "speaking_words") -> the set


def languages() -> tuple[str, ...]:
    """The codes of the languages that have a pack."""
    return tuple(_PACKS)


@functools.cache
def pack(lang: str) -> LanguagePack:
    """The pack of a language code ("en"); an InputError (E003) for one without a pack."""
    if lang not in _PACKS:
        raise InputError(
            E003,
            f"no language pack for {lang!r}",
            hint=f"eventscope has packs for: {', '.join(_PACKS)}",
        )
    package = _PACKS[lang]
    grammar = importlib.import_module(f"{package}.grammar")
    lexicon = importlib.import_module(f"{package}.lexicon")
    return LanguagePack(lang, grammar, lexicon.lexicon, lexicon.words)


__all__ = ["LanguagePack", "languages", "pack"]
