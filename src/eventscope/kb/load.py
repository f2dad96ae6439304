"""Loaders of the knowledge-base data files, cached: each file is read once per process."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


@functools.cache
def load_yaml(name: str) -> Any:
    """A YAML file shipped in `eventscope/kb/` (e.g. "case2021_classes.yaml", or a
    language's lexicon "en/quotes.yaml")."""
    text = resources.files("eventscope.kb").joinpath(*name.split("/")).read_text(encoding="utf-8")
    # libyaml's loader is about ten times faster on the large KB files.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
