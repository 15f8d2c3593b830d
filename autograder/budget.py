"""A submission's time budget: however its file misbehaves, grading ends in bounded time, the same
file always gets the same report, and a function that loops costs that function's checks only.

Each call's own limit is CPU time (load-independent), with a wall-clock backstop for code that sleeps
or blocks. On top of that, checks stop running once their unit has had ``MAX_TIMEOUTS`` timeouts: a
unit is the function a check tests (its name starts with it: ``xavier_normal_: ...``, and the hidden
``deep_mlp(4, 96, ...)``), else its section of the handout. So a file whose ``xavier_normal_`` loops loses the
``xavier_normal_`` checks (two time out, the rest are not run) while Kaiming and ``init_weights`` are
graded as usual. An assignment stops altogether after ``MAX_ASSIGNMENT_TIMEOUTS`` timeouts: the
bound on one file's grading time is that many check timeouts per assignment (about a minute), plus
the import's.

The rules are decided in check order, so they do not depend on which check a parallel job happened
to finish first: a check is skipped exactly when enough checks *before it* timed out. Checks already
known to be skipped do not run at all; the few that ran in parallel before that was known are
overruled afterwards, the same way.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from typing import Collection

from autograder.registry import Check

MAX_TIMEOUTS = 2
MAX_ASSIGNMENT_TIMEOUTS = 6

_LEADING_NAME = re.compile(r"^\s*([A-Za-z_]\w*)")


def unit_of(check: Check, api: Collection[str]) -> str:
    """What a timeout of ``check`` is charged to: the function its name starts with, when the
    assignment defines it (``xavier_normal_: ...``, ``deep_mlp(4, 96, ...)``), else its section."""
    match = _LEADING_NAME.match(check.name)
    return match[1] if match and match[1] in api else f"section {check.number.split('.')[0]}"


class TimeBudget:
    """Which checks of one submission timed out, by assignment, unit and position in check order."""

    def __init__(self, max_timeouts: int = MAX_TIMEOUTS, max_assignment_timeouts: int = MAX_ASSIGNMENT_TIMEOUTS) -> None:
        self.max_timeouts, self.max_assignment_timeouts = max_timeouts, max_assignment_timeouts
        self._lock = threading.Lock()
        self._timed_out: dict[str, list[tuple[int, str]]] = defaultdict(list)

    def record(self, assignment: str, unit: str, position: int, timed_out: bool) -> None:
        if timed_out:
            with self._lock:
                self._timed_out[assignment].append((position, unit))

    def exhausted_before(self, assignment: str, unit: str, position: int) -> str | None:
        """Why the check at ``position`` is not run (enough earlier timeouts), or None: it runs."""
        with self._lock:
            earlier = [u for p, u in self._timed_out[assignment] if p < position]
        if sum(u == unit for u in earlier) >= self.max_timeouts:
            return (f"Not run: {self.max_timeouts} earlier checks of {unit} timed out, so the grader stopped "
                    f"running your code for {unit} (its time budget). Fix what makes those checks time out and "
                    "the rest will run; the other functions' checks ran as usual.")
        if len(earlier) >= self.max_assignment_timeouts:
            return (f"Not run: {self.max_assignment_timeouts} earlier checks of {assignment} timed out, so the "
                    "grader stopped running your code for this assignment (its time budget). Fix what makes those "
                    "checks time out and the rest will run.")
        return None
