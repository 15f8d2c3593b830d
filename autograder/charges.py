"""Charge each mistake once: a check that repeats others with other inputs (a hidden repeat of the same
function) does not take points again for a mistake those checks already charged.

A failed repeat gets its points back when one of the checks it repeats lost points for the same
reason, which shows in one of two ways:
- the function is right in part: another of the checks it repeats passed; or
- the repeat failed the same way as that check: it judged what the student's code returned (the code
  ran: a stub, a crash or a timeout does not count) and its feedback is that check's but for the
  numbers in it.
A function that fails every check it is tested by, each in its own way, is charged in full: a stub,
a forged or a constant answer earns nothing here. Decided after every check has run, from the results
alone, so it is the same for any ``--jobs``. Lenient by design: a second mistake that only the repeat
could see is not charged while the first one stands.
"""

from __future__ import annotations

import re

from autograder.registry import checks_for
from autograder.results import CheckResult

_NUMBER = re.compile(r"[-+]?\d[\d,._]*(?:e[-+]?\d+)?")


def _template(output: str) -> str:
    """The feedback's first line with every number blanked: the shape of a failure."""
    return _NUMBER.sub("#", output.strip().split("\n", 1)[0])


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
        same_way = [r for r in failed if result.judged and r.judged and _template(r.output) == _template(result.output)]
        if failed and (len(failed) < len(repeated) or same_way):
            charged = ", ".join(r.number for r in (same_way or failed))
            result.score = result.max_score
            result.output = (f"Not charged again: check {charged} already took points for this mistake; once it "
                             f"passes, this check tests the function again. What this check saw:\n\n{result.output}")
