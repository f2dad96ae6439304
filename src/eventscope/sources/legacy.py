"""UTF-8 text with paragraphs in a legacy single-byte encoding (a paste from an old page).

Decoding the whole file in the legacy code page garbles its UTF-8 part ("Café" becomes
"CafĂ©"), and the legacy part is often too short for charset detection ("Привет
Алматы" in cp1251 is detected as cp949). So the paragraphs that are not UTF-8 are
decoded in the first common single-byte code page that gives plausible text: letters of
one script per word, cased as words are, few symbols. When none does, or a paragraph
is damaged UTF-8 rather than a legacy encoding, the input is rejected (W003).
"""

from __future__ import annotations

import re
import unicodedata

from eventscope.errors import W003, InputRejected

# Tried in this order: the code pages news text comes in, most common first.
CANDIDATES = (
    "cp1252", "cp1251", "cp1250", "koi8_r", "cp1253", "cp1254", "cp1257", "cp1256", "cp1255",
)  # fmt: skip
_PARAGRAPH_BREAK = re.compile(rb"((?:\r?\n[ \t]*){2,})")
_WORD = re.compile(r"\w+")
_SAMPLE = 65536
_SYMBOLS_OK = set("°©®™€£¥§¶№")


def damaged_utf8(data: bytes) -> bool:
    """True when the bytes are as much valid UTF-8 as invalid.

    Such input is damaged UTF-8 (a truncated download, a bad concatenation), not a legacy
    8-bit encoding, and guessing another encoding would garble the valid part. Legacy
    encodings (cp1251 Russian, latin-1) fail UTF-8 on most of their non-ASCII bytes.
    """
    text = data.decode("utf-8", "replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 127) - invalid
    # Legacy text makes valid UTF-8 sequences only by chance, a few among many invalid.
    return valid >= max(1, invalid)


def decode_mixed(data: bytes) -> tuple[str, str] | None:
    """(text, "utf-8+<code page>") for UTF-8 text with some legacy paragraphs; None when
    no paragraph is UTF-8 beyond ASCII (then the input is legacy, or damaged, as a whole).
    Raises InputRejected (W003) when the other paragraphs cannot be decoded safely."""
    parts = _PARAGRAPH_BREAK.split(data)
    texts: list[str | None] = []
    has_utf8 = False
    for part in parts:
        try:
            text = part.decode("utf-8")
        except UnicodeDecodeError:
            texts.append(None)
            continue
        has_utf8 = has_utf8 or not text.isascii()
        texts.append(text)
    if not has_utf8:
        return None
    bad = [part for part, text in zip(parts, texts, strict=True) if text is None]
    offset = data.find(bad[0])
    if any(damaged_utf8(part) for part in bad):
        raise InputRejected(W003, f"invalid UTF-8 at byte {offset:,} in otherwise UTF-8 text")
    encoding = _legacy_encoding(bad)
    if encoding is None:
        raise InputRejected(
            W003,
            f"UTF-8 text with {len(bad)} paragraph(s) from byte {offset:,} in an encoding "
            "that cannot be told; convert the file to UTF-8",
        )
    decoded = (
        t if t is not None else p.decode(encoding) for p, t in zip(parts, texts, strict=True)
    )
    return "".join(decoded), f"utf-8+{encoding}"


def _legacy_encoding(paragraphs: list[bytes]) -> str | None:
    """The first candidate code page in which every paragraph decodes, plausibly."""
    sample = b"\n\n".join(p[:_SAMPLE] for p in paragraphs)[: _SAMPLE * 2]
    for encoding in CANDIDATES:
        try:
            for paragraph in paragraphs:
                paragraph.decode(encoding)
        except UnicodeDecodeError:
            continue
        if is_plausible(sample.decode(encoding, "replace")):
            return encoding
    return None


def is_plausible(text: str) -> bool:
    """True when the non-ASCII part of `text` reads as words of some language.

    Mis-decoded bytes mix scripts or cases inside a word ("CafГ", "рТЙЧЕФ"), give
    symbols ("├", "¸"), or, read as Latin, give words made mostly of accented letters
    ("Ïðèâåò" for cp1251 "Привет").
    """
    odd = sum(1 for ch in text if ord(ch) > 127 and not _is_text_char(ch))
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    latin = accented = 0
    wrong = 0
    for word in words:
        letters = [ch for ch in word if ch.isalpha()]
        scripts = {_script(ch) for ch in letters}
        if len(scripts) > 1 or not _is_cased_as_a_word(word):
            wrong += 1
        if scripts == {"LATIN"}:
            latin += len(letters)
            accented += sum(1 for ch in letters if ord(ch) > 127)
    units = len(words) + odd
    if not units or accented * 2 > latin:
        return False
    return (wrong + odd) * 20 <= units


def _is_text_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNPZM" or ch in _SYMBOLS_OK


def _script(ch: str) -> str:
    return "LATIN" if ch.isascii() else unicodedata.name(ch, "?").split(" ")[0]


def _is_cased_as_a_word(word: str) -> bool:
    if word.islower() or word.isupper() or word.istitle():
        return True
    return not any(ch.isupper() or ch.islower() for ch in word)  # a script without case
