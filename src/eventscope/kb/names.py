"""Name keys for matching: case and accents folded, and transliteration variants joined.

News spells the same Cyrillic or Kazakh name many ways: Tokayev / Tokaev / Tokáyev,
Kassym-Jomart / Kasim-Zhomart, Khabar / Jabar (Spanish), Zhaparov / Japarov, Sergey /
Sergei. `fold` is for exact matching that ignores case and accents; `translit_key` also
joins such variants. No library covers these reverse transliteration variants (the
unidecode family maps to Latin, not between Latin spellings), hence these few rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "‐": "-", "–": "-"})


@functools.lru_cache(maxsize=1 << 16)  # the same names recur across a corpus
def fold(text: str) -> str:
    """Lower case, accents removed, hyphens as spaces, spaces collapsed: "Tokáyev" -> "tokayev"."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("-", " ").replace("'s ", " ")
    text = re.sub(r"'s$", "", text)
    return " ".join(text.replace("'", "").replace(".", " ").split())


# Applied in order to a folded name with spaces removed.
_TRANSLIT = (
    (re.compile(r"dzh|zh|kh|j"), "J"),  # Zh/J/Kh and Spanish J (Jabar = Khabar)
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), ""),  # Tokayev -> Tokaev
    (re.compile(r"^ye"), "e"),  # Yerlan -> Erlan
    (re.compile(r"y"), "i"),  # Kassym -> Kassim, Sergey -> Sergei, Almaty -> Almati
    (re.compile(r"ks|x"), "ks"),
    (re.compile(r"([b-df-hk-np-tv-z])\1"), r"\1"),  # Kassim -> Kasim
    (re.compile(r"ou"), "u"),  # French-style Oulianov
)


@functools.lru_cache(maxsize=1 << 16)
def translit_key(text: str) -> str:
    """A key equal for transliteration variants of one name ("Kasim-Zhomart" and
    "Kassym-Jomart" -> "kasimJomart"); spaces and hyphens do not count."""
    key = fold(text).replace(" ", "")
    for pattern, replacement in _TRANSLIT:
        key = pattern.sub(replacement, key)
    return key
