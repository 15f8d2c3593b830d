"""Charge each mistake once: a check that repeats others with other inputs (a hidden repeat of the same
function) does not take points again for a mistake those checks already charged.

A failed repeat gets its points back when one of the checks it repeats lost points and another of
them passed: the function is right in part, and the repeat cannot tell its mistake from the one
already charged. A function that fails every check it is tested by is charged in full: a stub, a
crash everywhere, a forged or a constant answer earns nothing here (a failure that looks the same in
every check is no evidence of a single mistake: a broken function fails the same way everywhere).
Decided from the results as judged alone, so it is the same for any ``--jobs`` and for every door:
:meth:`Grader.grade` applies it to a report (:func:`charge_once`), the pytest plugin reads that report,
and the in-process doors (Otter, ``pytest --no-sandbox``) call :func:`charged_once` per check.
Lenient by design: a second mistake that only the repeat could see is not charged while the first
one stands.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from autograder.registry import checks_for
from autograder.results import CheckResult


def charged_once(result: CheckResult, repeated: Sequence[CheckResult]) -> CheckResult:
    """``result`` as charged, given the results (as judged) of the checks it repeats: a copy with its
    points given back when one of them lost points and another passed, else ``result`` itself."""
    failed = [r for r in repeated if r.score < r.max_score]
    if result.score >= result.max_score or not failed or len(failed) == len(repeated):
        return result
    return replace(result, score=result.max_score, output=(
        f"Not charged again: check {', '.join(r.number for r in failed)} already took points for this "
        "function, which passes its other checks; once it passes, this check tests it again. What this "
        f"check saw:\n\n{result.output}"))


def charge_once(results: list[CheckResult]) -> None:
    """Give back the points of a repeat whose mistake a repeated check already charged (in place)."""
    judged = {(r.assignment, r.number): r for r in results}
    repeats = {(c.assignment, c.number): c.repeats for a in {r.assignment for r in results} for c in checks_for(a)}
    results[:] = [charged_once(r, [judged[(r.assignment, n)] for n in repeats.get((r.assignment, r.number), ())
                                   if (r.assignment, n) in judged])
                  for r in results]
