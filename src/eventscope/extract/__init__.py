"""Extraction stages: one module per record kind, registered by name in `registry`."""

from .registry import STAGES, Stage, register, stages_for

__all__ = ["STAGES", "Stage", "register", "stages_for"]
