"""Language of an article (lingua), limited to the languages eventscope handles."""

from __future__ import annotations

import functools
from typing import Any

# ISO 639-1 codes of the languages eventscope processes.
LANGUAGES = ("en", "ru", "es")
_ALIASES = {"eng": "en", "english": "en", "rus": "ru", "russian": "ru", "spa": "es",
            "spanish": "es", "español": "es", "русский": "ru"}  # fmt: skip


@functools.cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_minimum_relative_distance(0.05)
        .build()
    )


def normalise_language(value: str | None) -> str | None:
    """'EN', 'en-US', 'English' -> 'en'; None or '' -> None."""
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    return _ALIASES.get(value, value.split("-")[0][:3] or None)


def detect_language(text: str) -> str | None:
    """The article's language code among LANGUAGES, or None when no language is clear."""
    found = _detector().detect_language_of(text[:2000])
    return None if found is None else str(found.iso_code_639_1.name).lower()
