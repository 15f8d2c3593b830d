"""Charge each mistake once: a check that repeats another with other inputs (a hidden repeat of the same
function) does not take points again for a function that already lost points.

Decided after every check has run, from the scores alone, so it is the same for any ``--jobs``. It is
lenient by design: a second mistake that only the repeat could see is not charged while the first one
stands; once the first is fixed, the repeat tests the function again.
"""

from __future__ import annotations

from autograder.registry import checks_for
from autograder.results import CheckResult


def charge_once(results: list[CheckResult]) -> None:
    """Give back the points of a repeat whose repeated check already lost points (in place)."""
    by_key = {(r.assignment, r.number): r for r in results}
    repeats = {(c.assignment, c.number): c.repeats for a in {r.assignment for r in results} for c in checks_for(a)}
    for result in results:
        if result.score >= result.max_score:
            continue
        charged = [n for n in repeats.get((result.assignment, result.number), ())
                   if (result.assignment, n) in by_key and by_key[(result.assignment, n)].score
                   < by_key[(result.assignment, n)].max_score]
        if charged:
            result.score = result.max_score
            result.output = (f"Not charged again: check {', '.join(charged)} already took points for this function; "
                             f"once it passes, this check tests the function again. What this check saw:\n\n"
                             f"{result.output}")
