"""The time one article's extraction stages may take.

The stages were made linear in the length of any text (`nlp/bounds.py` caps runs and
sentences; the stages look things up by bisection instead of scanning), but a bound
must hold for what nobody has tried yet: past its budget an article is rejected with
W019 and the batch goes on.

On the main thread the budget is a real-time alarm (SIGALRM) whose handler raises
`OverBudget` in whatever Python code is running; it repeats every half second until
the article is given up, because an exception raised inside some C extension code is
swallowed. Elsewhere (a thread, a platform without `setitimer`, or a caller that
keeps its own alarm, such as pytest-timeout) it is checked between stages.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType, TracebackType

DEFAULT_SECONDS = 30.0  # a 200,000-character article takes about 5 s of stages
_REPEAT = 0.5


class OverBudget(Exception):
    """An article's extraction ran past its budget."""

    def __init__(self, seconds: float, stage: str | None) -> None:
        self.seconds, self.stage = seconds, stage
        where = f" in stage {stage}" if stage else ""
        super().__init__(f"extraction took over {seconds:g} s{where}")


class Budget:
    """`with Budget(seconds):` around one article's stages; `stage` names the one
    running, for the rejection's reason; `check()` between stages. None or 0: no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds or None
        self.stage: str | None = None
        self._deadline = 0.0
        self._alarm = False
        self._previous: object = None

    def __enter__(self) -> Budget:
        if self.seconds is None:
            return self
        self._deadline = time.monotonic() + self.seconds
        self._alarm = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nobody else's alarm
        )
        if self._alarm:
            self._previous = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, _REPEAT)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]
            self._alarm = False

    def check(self) -> None:
        """Raise OverBudget if the deadline has passed."""
        if self.seconds is not None and time.monotonic() > self._deadline:
            raise OverBudget(self.seconds, self.stage)

    def _ring(self, signum: int, frame: FrameType | None) -> None:
        raise OverBudget(self.seconds or 0.0, self.stage)


__all__ = ["DEFAULT_SECONDS", "Budget", "OverBudget"]
