"""Charge each mistake once: a check that repeats others with other inputs (a hidden repeat of the same
function) does not take points again for a mistake those checks already charged.

A failed repeat gets its points back when one of the checks it repeats lost points and another of
them passed: the function is right in part, and the repeat cannot tell its mistake from the one
already charged. A function that fails every check it is tested by is charged in full: a stub, a
crash everywhere, a forged or a constant answer earns nothing here (a failure that looks the same in
every check is no evidence of a single mistake: a broken function fails the same way everywhere).
Decided after every check has run, from the results alone, so it is the same for any ``--jobs``.
Lenient by design: a second mistake that only the repeat could see is not charged while the first
one stands.
"""

from __future__ import annotations

from autograder.registry import checks_for
from autograder.results import CheckResult


def charge_once(results: list[CheckResult]) -> None:
    """Give back the points of a repeat whose mistake a repeated check already charged (in place)."""
    by_key = {(r.assignment, r.number): r for r in results}
    repeats = {(c.assignment, c.number): c.repeats for a in {r.assignment for r in results} for c in checks_for(a)}
    for result in results:
        if result.score >= result.max_score:
            continue
        repeated = [by_key[(result.assignment, n)] for n in repeats.get((result.assignment, result.number), ())
                    if (result.assignment, n) in by_key]
        failed = [r for r in repeated if r.score < r.max_score]
        if failed and len(failed) < len(repeated):
            result.score = result.max_score
            result.output = (f"Not charged again: check {', '.join(r.number for r in failed)} already took points "
                             "for this function, which passes its other checks; once it passes, this check tests "
                             f"it again. What this check saw:\n\n{result.output}")
