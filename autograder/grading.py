"""Grade a submission: run every check of every assignment, and always produce a report."""

from __future__ import annotations

import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection

import torch

from autograder import discovery, feedback, preflight
from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, Assignment, get_assignment
from autograder.budget import TimeBudget
from autograder.charges import charge_once
from autograder.expect import CheckFailed, Partial
from autograder.sandbox import probes as common
from autograder.packaging import RECORDED_REFERENCE
from autograder.registry import Check, checks_for
from autograder.results import CheckResult, Report
from autograder.sandbox import ServerHandle, Limits, Outcome, Request, SandboxPool, SubmissionError, probe_name
from autograder.submission import FirstCalls, OutcomeCache, Submission

IMPORT_TIMEOUT_S = 10.0



class Grader:
    """Grades submissions with one pool of sandboxes; reference results are shared across submissions."""

    def __init__(self, jobs: int = 1, include_hidden: bool = True, reference_dir: Path | None = SOLUTIONS_DIR,
                 drop_privileges: bool = True, pool: SandboxPool | None = None,
                 assignments: Collection[str] | None = None) -> None:
        """``pool``: fork servers already started (the CLI starts them before it imports torch), else
        started now, warmed up for ``assignments`` (None: all)."""
        torch.set_num_threads(1)  # the parent's own judging arithmetic is deterministic too
        self.pool = pool or SandboxPool(jobs, drop_privileges=drop_privileges, assignments=assignments)
        self.jobs = self.pool.jobs
        self.include_hidden = include_hidden
        self.reference_dir = reference_dir
        self.reference_cache = OutcomeCache(RECORDED_REFERENCE)
        self._isolation: dict[str, bool] = {}
        self._reference_files: dict[str, Path | None] = {}
        self._verified: set[str] = set()

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def grade(self, submission: Path, assignments: list[str] | None = None,
              only: Collection[str] | None = None,
              on_result: Callable[[CheckResult, int], None] | None = None) -> Report:
        """Grade ``submission`` (a folder, or a single student file) on the named assignments.

        ``only`` restricts grading to these check numbers (e.g. {"2.1", "6.3"}). A single file with one
        named assignment is graded as that assignment whatever its name. ``on_result(result, total)`` is
        told of each check as it ends (a progress line). Raises
        :class:`preflight.InfrastructureError` before any check runs when the grader cannot grade
        (dataset missing or corrupt, a dependency missing): that is never the student's fault.
        """
        started = time.monotonic()
        report = Report(submission=str(submission))
        chosen = [get_assignment(a) for a in assignments] if assignments else list(ASSIGNMENTS.values())
        self.verify(chosen)
        explicit = assignments is not None and len(chosen) == 1 and Path(submission).is_file()
        located = {a.name: discovery.locate(Path(submission), a, explicit) for a in chosen}
        tasks = []
        for assignment in chosen:
            found = located[assignment.name]
            report.notes += found.notes
            if found.problem:
                report.notes.append(f"{found.problem} {assignment.name} scores 0.")
                report.attention.append(f"not found ({assignment.name})")
            checks = [c for c in checks_for(assignment.name, self.include_hidden)
                      if only is None or c.number in only]
            tasks += [(assignment, found.path, c, position) for position, c in enumerate(checks)]
        budget = TimeBudget()
        shared = {assignment: FirstCalls() for assignment in chosen}  # per student file, for this grading
        imports: dict[Assignment, Outcome | None] = {}
        progress = (lambda result: on_result(result, len(tasks))) if on_result else None
        with ThreadPoolExecutor(self.jobs) as executor:
            # each assignment's first check also imports the file: when that fails, no other check runs it
            firsts = [t for t in tasks if t[3] == 0]
            results = dict(zip(map(id, firsts), executor.map(
                lambda t: self._first_check(*t[:3], budget, imports, progress, shared[t[0]]), firsts)))
            gates = {a: _import_feedback(outcome, a) for a, outcome in imports.items()}
            rest = [t for t in tasks if t[3] != 0]
            results.update(zip(map(id, rest), executor.map(
                lambda t: self.run_check(*t[:3], gates.get(t[0]), budget=budget, position=t[3],
                                         on_result=progress, first_calls=shared[t[0]]), rest)))
        report.results = [results[id(t)] for t in tasks]
        charge_once(report.results)
        for (assignment, _, _, position), result in zip(tasks, report.results):
            if budget.exhausted_before(assignment.name, position):  # decided in check order: deterministic
                result.score, result.output = 0.0, budget.message(assignment.name)
        _triage(report, imports)
        isolation = self._isolation_note()
        if isolation:
            report.warnings.append(isolation)
        report.seconds = time.monotonic() - started
        return report

    def verify(self, assignments: list[Assignment]) -> None:
        """What the checks need from the machine (data, modules), verified once per grader."""
        for assignment in assignments:
            if assignment.name not in self._verified:
                preflight.verify(assignment)
                self._verified.add(assignment.name)

    def _reference_for(self, assignment: Assignment, check: Check, server: ServerHandle) -> Submission:
        """The reference solution; where it is absent, outcomes recorded from it are replayed.

        Its failures are the grader's, never the student's: they raise :class:`preflight.GraderFault`.
        """
        if assignment.name not in self._reference_files:
            self._reference_files[assignment.name] = (
                discovery.locate(self.reference_dir, assignment).path if self.reference_dir else None)
        return ReferenceSubmission(assignment, self._reference_files[assignment.name], server, check.id,
                                   check.timeout_s, cache=self.reference_cache)

    def import_error(self, submission: Path, assignment: Assignment) -> str | None:
        """Feedback when the student file cannot even be imported (then no check of it runs).

        A file that loops, exits or crashes at import would otherwise cost every check its timeout.
        """
        student_file = discovery.locate(Path(submission), assignment).path
        if student_file is None:
            return not_found_line(assignment)
        return _import_feedback(self._import_outcome(student_file, assignment), assignment)

    def _first_check(self, assignment: Assignment, student_file: Path | None, check: Check, budget: TimeBudget,
                     imports: dict[Assignment, Outcome | None],
                     on_result: Callable[[CheckResult], None] | None, first_calls: FirstCalls) -> CheckResult:
        """The assignment's first check, which is also its import gate: its first call imports the
        file (a separate import runs only when the check never called the student's code)."""
        result, sub = self._run_check(assignment, student_file, check, None, budget, 0, on_result, first_calls)
        outcome = sub.import_outcome if sub is not None else None
        if outcome is None:
            outcome = self._import_outcome(student_file, assignment)
        imports[assignment] = None if outcome is not None and outcome.imported else outcome  # None: nothing to say
        return result

    def _import_outcome(self, student_file: Path | None, assignment: Assignment) -> Outcome | None:
        """The student's module imported alone in a sandbox (None: there is no file to import)."""
        if student_file is None:
            return None
        request = Request(probe_name(common.nothing), student_file, assignment.module_name, 0,
                          limits=Limits(timeout_s=IMPORT_TIMEOUT_S))
        return self.pool.run(request)

    def run_check(self, assignment: Assignment, student_file: Path | None, check: Check,
                  import_error: str | None = None, budget: TimeBudget | None = None,
                  position: int = 0, on_result: Callable[[CheckResult], None] | None = None,
                  first_calls: FirstCalls | None = None) -> CheckResult:
        """Run one check on one student file (``import_error``: the file's import already failed;
        ``budget``: the submission's, which may already rule this check out; ``first_calls``: the
        file's first calls shared by its checks in this grading)."""
        return self._run_check(assignment, student_file, check, import_error, budget, position, on_result,
                               first_calls)[0]

    def _run_check(self, assignment: Assignment, student_file: Path | None, check: Check,
                   import_error: str | None, budget: TimeBudget | None, position: int,
                   on_result: Callable[[CheckResult], None] | None,
                   first_calls: FirstCalls | None = None) -> tuple[CheckResult, Submission | None]:
        result = CheckResult(assignment.name, check.number, check.name, check.points, 0.0, "",
                             check.visibility)
        sub = None
        if student_file is None or import_error is not None:
            result.output = feedback.clean(import_error or not_found_line(assignment))
        elif budget is not None and budget.exhausted_before(assignment.name, position):
            result.output = budget.message(assignment.name)
        else:
            with self.pool.lease() as server:  # one child for the student's calls, one for the reference's
                sub = Submission(assignment, student_file, server, check.id, check.timeout_s,
                                 reference=self._reference_for(assignment, check, server), first_calls=first_calls)
                self._judge(assignment, check, sub, result, budget, position)
        if on_result is not None:
            on_result(result)
        return result, sub

    def _judge(self, assignment: Assignment, check: Check, sub: Submission, result: CheckResult,
               budget: TimeBudget | None, position: int) -> None:
        started = time.monotonic()
        verdict = judge_verdict(check, sub, assignment.filename)
        result.output, result.grader_error = verdict.message, verdict.grader_error
        result.score = round(check.points * verdict.fraction, 4)
        result.timed_out = any(o.error is not None and o.error.kind == "timeout" for o in sub.outcomes)
        shown = feedback.printed(sub.outputs)
        if shown:
            result.output = f"{result.output}\n\n{shown}"
        result.output = feedback.capped(feedback.clean(result.output))
        result.seconds = time.monotonic() - started
        for outcome in sub.outcomes:
            self._isolation = outcome.isolation or self._isolation
        if budget is not None:
            budget.record(assignment.name, position, result.timed_out)

    def _isolation_note(self) -> str:
        if not self._isolation.get("dropped"):
            return ""
        missing = [what for what in ("network", "hidden") if not self._isolation.get(what)]
        return f"sandbox: could not isolate {' and '.join(missing)} (no namespaces here)" if missing else ""


def _triage(report: Report, imports: dict[Assignment, Outcome | None]) -> None:
    """Flag what staff should look at (import errors, timeouts) and the grader's own faults."""
    for assignment, outcome in imports.items():
        if outcome is not None and outcome.error is not None:
            kind = "timeout" if outcome.error.kind == "timeout" else "import error"
            report.attention.append(f"{kind} ({assignment.name})")
    timeouts = sorted({r.assignment for r in report.results if r.timed_out})
    report.attention += [f"timeout ({name})" for name in timeouts if f"timeout ({name})" not in report.attention]
    report.errors += [f"{r.assignment} {r.number}: {r.grader_error}" for r in report.results if r.grader_error]


def _import_feedback(outcome: Outcome | None, assignment: Assignment) -> str | None:
    """What every check says when the import failed (None: it did not, or there was no file)."""
    if outcome is None or outcome.error is None:
        return None
    return "\n\n".join(part for part in (feedback.explain(outcome.error, assignment.filename),
                                          feedback.printed([outcome.output])) if part)


def not_found_line(assignment: Assignment) -> str:
    """What each check of a missing file says: one short line; the report's note says why."""
    return f"Not graded: {assignment.filename} was not found (see the note at the top of the report)."


class ReferenceSubmission(Submission):
    """The reference solution seen by a check: when it fails, the grader is broken, not the student."""

    def run(self, probe, *args, **kwargs):
        try:
            return super().run(probe, *args, **kwargs)
        except SubmissionError as exc:
            raise preflight.GraderFault(f"the reference solution failed ({exc.kind}: {exc.message})") from None


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: the fraction of its points, the feedback, and a grader fault if one occurred."""

    fraction: float
    message: str
    grader_error: str = ""


def judge_verdict(check: Check, sub, filename: str) -> Verdict:
    """Run a check's function on a submission (sandboxed or in-process) and judge it."""
    try:
        verdict = check.func(sub)
    except CheckFailed as exc:
        return Verdict(0.0, str(exc))
    except SubmissionError as exc:
        fault = f"internal: {exc.message}" if exc.kind == "internal" else ""  # the probe itself failed
        return Verdict(0.0, feedback.explain(exc, filename), fault)
    except _UNREADABLE as exc:
        if not _student_answered(sub):
            return _grader_failed(exc)
        # the student's child answered, and judging its answer broke: it did not return what the check
        # reads (a claim of another shape, e.g. forged), not a fault of the grader
        traceback.print_exc(file=sys.stderr)
        return Verdict(0.0, "Your code returned something the grader cannot read "
                            f"({type(exc).__name__}: {str(exc)[:200]}); return what the handout asks for.")
    except Exception as exc:  # noqa: BLE001 -- a grader bug must not sink the other checks
        return _grader_failed(exc)
    if isinstance(verdict, Partial):
        return Verdict(min(1.0, max(0.0, verdict.fraction)), verdict.message)
    return Verdict(1.0, verdict or "Passed.")


#: Errors of reading a child's answer that is not shaped as the probe returns it (ValueError: a claim
#: unpacked into another number of parts).
_UNREADABLE = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def _student_answered(sub) -> bool:
    """Whether a sandboxed call of the student's code in this check returned a value (a claim)."""
    return any(o.error is None for o in getattr(sub, "outcomes", ()))


def _grader_failed(exc: Exception) -> Verdict:
    traceback.print_exc(file=sys.stderr)
    fault = f"{type(exc).__name__}: {exc}"
    return Verdict(0.0, f"The grader failed on this check ({fault}). This is not a fault of your "
                        "submission; your instructor has to fix the grader and regrade.", fault)


def judge(check: Check, sub, filename: str) -> tuple[float, str]:
    """The fraction of a check's points earned and the feedback. Shared by the grader and the Otter and
    pytest front-ends."""
    verdict = judge_verdict(check, sub, filename)
    return verdict.fraction, verdict.message
