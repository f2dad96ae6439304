"""Every E and W code of errors.py is defined once and documented in docs/errors.md with
its meaning and what to do; every rejection code has its short reason."""

from __future__ import annotations

import re
from pathlib import Path

from eventscope import errors

REPO = Path(__file__).resolve().parents[1]
SOURCE = (REPO / "src" / "eventscope" / "errors.py").read_text(encoding="utf-8")
DOC = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")

# `E001 = "E001"  # ...` at the start of a line: the definitions, as written
DEFINED = re.findall(r'^([EW]\d{3}) = "([EW]\d{3})"', SOURCE, re.M)
# `| E001 | meaning | what to do |`: the documented rows
ROWS = re.findall(r"^\| ([EW]\d{3}) \| ([^|]*\S[^|]*) \| ([^|]*\S[^|]*) \|$", DOC, re.M)


def test_codes_are_defined_once_as_their_own_names() -> None:
    names = [name for name, _ in DEFINED]
    assert len(names) >= 20 and any(n.startswith("E") for n in names)
    assert len(set(names)) == len(names), "a code name is defined twice"
    values = [value for _, value in DEFINED]
    assert len(set(values)) == len(values), "two names share one code"
    assert all(name == value for name, value in DEFINED)
    assert all(getattr(errors, name) == name for name in names)


def test_every_code_is_documented_once_with_what_to_do() -> None:
    documented = [code for code, _, _ in ROWS]
    assert len(set(documented)) == len(documented), "a code is documented twice"
    assert set(documented) == {name for name, _ in DEFINED}


def test_every_rejection_has_a_reason() -> None:
    warnings = {name for name, _ in DEFINED if name.startswith("W")}
    assert warnings and set(errors.REASONS) == warnings
