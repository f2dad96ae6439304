"""Groups of PLOVER/CAMEO sector codes that rules and exports share (language-neutral)."""

from __future__ import annotations

# The state and its forces, for ACLED's actor type 1 "State Forces" (export's inter codes).
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# The state's executive and armed forces: when they gain ground, the government regains
# territory (ACLED), extract/events_build.py. Courts and parliaments take no territory.
STATE_FORCES = STATE_SECTORS - {"JUD", "LEG"}
# Rebels and insurgents, ACLED's actor type 2.
REBEL_SECTORS = frozenset({"REB", "INS"})
