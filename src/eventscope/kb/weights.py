"""The rules' scoring weights (`weights.yaml`), by section, read once."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from .load import load_yaml


@functools.cache
def weights(section: str) -> Mapping[str, float]:
    """The named weights of one section of `weights.yaml` ("events", "quotes", ...)."""
    table = load_yaml("weights.yaml")[section]
    return {str(name): float(value) for name, value in table.items()}
