"""Bytes to article text: encoding detection, BOMs, newlines and Unicode NFC.

Normalisation happens once, here, before an `Article` exists, so the stored text is the
normalised text and every span offset points into exactly what is stored.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from eventscope.errors import W002, W003, InputRejected

from .legacy import damaged_utf8, decode_mixed

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab and newline, and DEL: never part of news text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAMPLE = 65536


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: many NUL or control bytes early on."""
    head = data[:_SAMPLE]
    if not head:
        return False
    # A stray NUL or two happens in exported text (and costs one CSV row, not the file);
    # binary formats and BOM-less UTF-16 have them everywhere.
    if head.count(b"\x00") > len(head) // 200 + 1:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 100 + 2


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode input bytes; returns (text, encoding). Raises InputRejected (W002, W003).

    Text that is UTF-8 but for some paragraphs (a legacy paste) is decoded per paragraph
    (`decode_mixed`); its encoding reads "utf-8+cp1251". Only text with no valid UTF-8
    paragraph beyond ASCII is decoded whole in a detected legacy encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputRejected(W003, f"invalid {encoding} at byte {exc.start}") from exc
    if looks_binary(data):
        raise InputRejected(W002, "binary data (NUL or control bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mixed = decode_mixed(data)
    if mixed is not None:
        return mixed
    if damaged_utf8(data):
        raise InputRejected(W003, f"invalid UTF-8 at byte {first_bad} in otherwise UTF-8 text")
    from charset_normalizer import from_bytes

    best = from_bytes(data[: _SAMPLE * 4]).best()
    if best is None or best.encoding is None:
        raise InputRejected(W003, "not UTF-8 and no other text encoding fits")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputRejected(W003, f"not valid {best.encoding} either") from exc


def normalise_text(text: str) -> str:
    """NFC, newlines as \\n, no BOM or control characters, no trailing spaces on lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\xa0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
