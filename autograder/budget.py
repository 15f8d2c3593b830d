"""A submission's time budget: however its file misbehaves, grading ends in bounded time, and the
same file always gets the same report.

Each call's own limit is CPU time (load-independent), with a wall-clock backstop for code that sleeps
or blocks. On top of that, an assignment stops running checks after ``MAX_TIMEOUTS`` of them have
timed out: a file that imports fine once and then sleeps in every later call costs two timeouts per
assignment, not one per check. The rule is decided in check order, so it does not depend on which
check a parallel job happened to finish first: a check counts as skipped exactly when at least
``MAX_TIMEOUTS`` checks *before it* timed out. Checks already known to be skipped do not run at all;
the few that ran in parallel before that was known are overruled afterwards, the same way.
"""

from __future__ import annotations

import threading
from collections import defaultdict

MAX_TIMEOUTS = 2


class TimeBudget:
    """Which checks of one submission timed out, by assignment and position in check order."""

    def __init__(self, max_timeouts: int = MAX_TIMEOUTS) -> None:
        self.max_timeouts = max_timeouts
        self._lock = threading.Lock()
        self._timed_out: dict[str, set[int]] = defaultdict(set)

    def record(self, assignment: str, position: int, timed_out: bool) -> None:
        if timed_out:
            with self._lock:
                self._timed_out[assignment].add(position)

    def exhausted_before(self, assignment: str, position: int) -> bool:
        """True when at least ``max_timeouts`` checks before ``position`` timed out."""
        with self._lock:
            return sum(p < position for p in self._timed_out[assignment]) >= self.max_timeouts

    def message(self, assignment: str) -> str:
        return (f"Not run: {self.max_timeouts} earlier checks of {assignment} timed out, so the grader "
                "stopped running your code for this assignment (its time budget). Fix what makes those "
                "checks time out and the rest will run.")
