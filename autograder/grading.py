"""Grade a submission: run every check of every assignment, and always produce a report."""

from __future__ import annotations

import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Collection

import torch

from autograder import feedback
from autograder.budget import TimeBudget
from autograder.assignments import ASSIGNMENTS, SOLUTIONS_DIR, Assignment, find_student_file, get_assignment
from autograder.expect import CheckFailed, Partial
from autograder.probes import common
from autograder.registry import Check, checks_for
from autograder.results import CheckResult, Report
from autograder.sandbox import Limits, Request, SandboxPool, SubmissionError, probe_name
from autograder.submission import OutcomeCache, Submission

IMPORT_TIMEOUT_S = 10.0

#: Reference outcomes recorded for the visible checks (shipped in the student kit, which has no solutions).
RECORDED_REFERENCE = Path(__file__).resolve().parent / "reference_outcomes.pt"


class Grader:
    """Grades submissions with one pool of sandboxes; reference results are shared across submissions."""

    def __init__(self, jobs: int = 1, include_hidden: bool = True, reference_dir: Path | None = SOLUTIONS_DIR,
                 drop_privileges: bool = True, pool: SandboxPool | None = None) -> None:
        """``pool``: fork servers already started (the CLI starts them before it imports torch), else started now."""
        torch.set_num_threads(1)  # the parent's own judging arithmetic is deterministic too
        self.pool = pool or SandboxPool(jobs, drop_privileges=drop_privileges)
        self.jobs = self.pool.jobs
        self.include_hidden = include_hidden
        self.reference_dir = reference_dir
        self.reference_cache = OutcomeCache(RECORDED_REFERENCE)
        self._isolation: dict[str, bool] = {}

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def grade(self, submission: Path, assignments: list[str] | None = None,
              only: Collection[str] | None = None) -> Report:
        """Grade ``submission`` (a folder, or a single student file) on the named assignments.

        ``only`` restricts grading to these check numbers (e.g. {"2.1", "6.3"}).
        """
        started = time.monotonic()
        report = Report(submission=str(submission))
        chosen = [get_assignment(a) for a in assignments] if assignments else list(ASSIGNMENTS.values())
        tasks = []
        for assignment in chosen:
            student_file = find_student_file(Path(submission), assignment)
            checks = [c for c in checks_for(assignment.name, self.include_hidden)
                      if only is None or c.number in only]
            if student_file is None:
                report.notes.append(f"{assignment.filename} was not found in the submission: "
                                    f"{assignment.name} scores 0.")
            tasks += [(assignment, student_file, c, position) for position, c in enumerate(checks)]
        budget = TimeBudget()
        with ThreadPoolExecutor(self.jobs) as executor:
            import_errors = dict(zip(chosen, executor.map(lambda a: self.import_error(Path(submission), a), chosen)))
            report.results = list(executor.map(
                lambda t: self.run_check(*t[:3], import_errors[t[0]], budget=budget, position=t[3]), tasks))
        for (assignment, _, _, position), result in zip(tasks, report.results):
            if budget.exhausted_before(assignment.name, position):  # decided in check order: deterministic
                result.score, result.output = 0.0, budget.message(assignment.name)
        isolation = self._isolation_note()
        if isolation:
            report.warnings.append(isolation)
        report.seconds = time.monotonic() - started
        return report

    def _reference_for(self, assignment: Assignment, check: Check) -> Submission:
        """The reference solution; where it is absent, outcomes recorded from it are replayed."""
        reference_file = find_student_file(self.reference_dir, assignment) if self.reference_dir else None
        return Submission(assignment, reference_file, self.pool, check.id, check.timeout_s,
                          cache=self.reference_cache)

    def import_error(self, submission: Path, assignment: Assignment) -> str | None:
        """Feedback when the student file cannot even be imported (then no check of it runs).

        A file that loops, exits or crashes at import would otherwise cost every check its timeout.
        """
        student_file = find_student_file(submission, assignment)
        if student_file is None:
            return f"{assignment.filename} was not found in your submission."
        request = Request(probe_name(common.nothing), student_file, assignment.module_name, 0,
                          limits=Limits(timeout_s=IMPORT_TIMEOUT_S))
        outcome = self.pool.run(request)
        if outcome.error is None:
            return None
        return "\n\n".join(part for part in (feedback.explain(outcome.error, assignment.filename),
                                              feedback.printed([outcome.output])) if part)

    def run_check(self, assignment: Assignment, student_file: Path | None, check: Check,
                  import_error: str | None = None, budget: TimeBudget | None = None,
                  position: int = 0) -> CheckResult:
        """Run one check on one student file (``import_error``: the file's import already failed;
        ``budget``: the submission's, which may already rule this check out)."""
        started = time.monotonic()
        result = CheckResult(assignment.name, check.number, check.name, check.points, 0.0, "",
                             check.visibility)
        if student_file is None or import_error is not None:
            result.output = feedback.clean(import_error or f"{assignment.filename} was not found in your submission.")
            return result
        if budget is not None and budget.exhausted_before(assignment.name, position):
            result.output = budget.message(assignment.name)
            return result
        sub = Submission(assignment, student_file, self.pool, check.id, check.timeout_s,
                         reference=self._reference_for(assignment, check))
        fraction, result.output = judge(check, sub, assignment.filename)
        result.score = round(check.points * fraction, 4)
        shown = feedback.printed(sub.outputs)
        if shown:
            result.output = f"{result.output}\n\n{shown}"
        result.output = feedback.clean(result.output)
        result.seconds = time.monotonic() - started
        for outcome in sub.outcomes:
            self._isolation = outcome.isolation or self._isolation
        if budget is not None:
            budget.record(assignment.name, position,
                          any(o.error is not None and o.error.kind == "timeout" for o in sub.outcomes))
        return result

    def _isolation_note(self) -> str:
        if not self._isolation.get("dropped"):
            return ""
        missing = [what for what in ("network", "hidden") if not self._isolation.get(what)]
        return f"sandbox: could not isolate {' and '.join(missing)} (no namespaces here)" if missing else ""


def judge(check: Check, sub, filename: str) -> tuple[float, str]:
    """Run a check's function on a submission (sandboxed or in-process); the fraction of its points
    earned and the feedback. Shared by the grader and the Otter and pytest front-ends."""
    try:
        verdict = check.func(sub)
    except CheckFailed as exc:
        return 0.0, str(exc)
    except SubmissionError as exc:
        return 0.0, feedback.explain(exc, filename)
    except Exception as exc:  # noqa: BLE001 -- a grader bug must not sink the other checks
        traceback.print_exc(file=sys.stderr)
        return 0.0, f"The grader failed on this check ({type(exc).__name__}: {exc}); please tell your instructor."
    if isinstance(verdict, Partial):
        return min(1.0, max(0.0, verdict.fraction)), verdict.message
    return 1.0, verdict or "Passed."

