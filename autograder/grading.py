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
from autograder.budget import TimeBudget, unit_of
from autograder.charges import charge_once
from autograder.expect import CheckFailed, Partial
from autograder.origin import Origin
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

        ``only`` restricts grading to these check numbers (e.g. {"2.1", "6.3"}). With one named
        assignment, a single file (or a folder's only Python file) is graded as it whatever its name. ``on_result(result, total)`` is
        told of each check as it ends (a progress line). Raises
        :class:`preflight.InfrastructureError` before any check runs when the grader cannot grade
        (dataset missing or corrupt, a dependency missing): that is never the student's fault.
        """
        started = time.monotonic()
        report = Report(submission=str(submission))
        chosen = [get_assignment(a) for a in assignments] if assignments else list(ASSIGNMENTS.values())
        self.verify(chosen)
        sole = assignments is not None and len(chosen) == 1
        located = {a.name: discovery.locate(Path(submission), a, sole) for a in chosen}
        tasks = []
        for assignment in chosen:
            found = located[assignment.name]
            report.notes += found.notes
            if found.problem:
                report.notes.append(f"{found.problem} {assignment.name} scores 0.")
                report.attention.append(f"not found ({assignment.name})")
            checks = [c for c in checks_for(assignment.name, self.include_hidden)
                      if only is None or c.number in only]
            tasks += [Task(assignment, found, c, position, _unit(assignment, c)) for position, c in enumerate(checks)]
        budget = TimeBudget()
        shared = {assignment: FirstCalls() for assignment in chosen}  # per student file, for this grading
        imports: dict[Assignment, Outcome | None] = {}
        progress = (lambda result: on_result(result, len(tasks))) if on_result else None
        with ThreadPoolExecutor(self.jobs) as executor:
            # each assignment's first check also imports the file: when that fails, no other check runs it
            firsts = [t for t in tasks if t.position == 0]
            results = dict(zip(map(id, firsts), executor.map(
                lambda t: self._first_check(t, budget, imports, progress, shared[t.assignment]), firsts)))
            gates = {}
            for assignment, outcome in imports.items():
                if outcome is not None:  # said once, with its cause; each check then says one line
                    found = located[assignment.name]
                    gates[assignment] = _not_imported_line(found)
                    report.notes.append(f"{found.source.name} could not be imported, so no check of "
                                        f"{assignment.name} ran (each scores 0):\n\n{_import_feedback(outcome, found)}")
            rest = [t for t in tasks if t.position != 0]
            results.update(zip(map(id, rest), executor.map(
                lambda t: self._run_check(t, gates.get(t.assignment), budget, progress, shared[t.assignment])[0],
                rest)))
        report.results = [results[id(t)] for t in tasks]
        for task, result in zip(tasks, report.results):
            if task.assignment in gates and task.position == 0:
                result.score, result.output = 0.0, gates[task.assignment]
        charge_once(report.results)
        for task, result in zip(tasks, report.results):
            skipped = budget.exhausted_before(task.assignment.name, task.unit, task.position)
            if skipped:  # decided in check order: deterministic
                result.score, result.output = 0.0, skipped
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

    def _first_check(self, task: "Task", budget: TimeBudget, imports: dict[Assignment, Outcome | None],
                     on_result: Callable[[CheckResult], None] | None, first_calls: FirstCalls) -> CheckResult:
        """The assignment's first check, which is also its import gate: its first call imports the
        file (a separate import runs only when the check never called the student's code). ``imports``
        gets the failed import's outcome (None: imported, or no file)."""
        result, sub = self._run_check(task, None, budget, on_result, first_calls)
        outcome = sub.import_outcome if sub is not None else None
        if outcome is None:
            outcome = self._import_outcome(task.found.path, task.assignment)
        failed = outcome is not None and not outcome.imported and outcome.error is not None \
            and outcome.error.kind != "internal"
        imports[task.assignment] = outcome if failed else None
        return result

    def _import_outcome(self, student_file: Path | None, assignment: Assignment) -> Outcome | None:
        """The student's module imported alone in a sandbox (None: there is no file to import)."""
        if student_file is None:
            return None
        request = Request(probe_name(common.nothing), student_file, assignment.module_name, 0,
                          limits=Limits(timeout_s=IMPORT_TIMEOUT_S))
        return self.pool.run(request)

    def _run_check(self, task: "Task", import_error: str | None, budget: TimeBudget | None,
                   on_result: Callable[[CheckResult], None] | None,
                   first_calls: FirstCalls | None) -> tuple[CheckResult, Submission | None]:
        """``budget``: the submission's, which may already rule this check out; ``first_calls``: the
        file's first calls shared by its checks in this grading."""
        assignment, check = task.assignment, task.check
        result = CheckResult(assignment.name, check.number, check.name, check.points, 0.0, "",
                             check.visibility)
        sub = None
        skipped = budget.exhausted_before(assignment.name, task.unit, task.position) if budget else None
        if task.found.path is None or import_error is not None:
            result.output = feedback.clean(import_error or not_found_line(assignment))
        elif skipped:
            result.output = skipped
        else:
            with self.pool.lease() as server:  # one child for the student's calls, one for the reference's
                sub = Submission(assignment, task.found.path, server, check.id, check.timeout_s,
                                 reference=self._reference_for(assignment, check, server), first_calls=first_calls)
                self._judge(task, sub, result)
            if budget is not None:
                budget.record(assignment.name, task.unit, task.position, result.timed_out)
        if on_result is not None:
            on_result(result)
        return result, sub

    def _judge(self, task: "Task", sub: Submission, result: CheckResult) -> None:
        started = time.monotonic()
        verdict = judge_verdict(task.check, sub, task.found.source or task.assignment.filename)
        result.output, result.grader_error = verdict.message, verdict.grader_error
        result.score = round(task.check.points * verdict.fraction, 4)
        result.timed_out = any(o.error is not None and o.error.kind == "timeout" for o in sub.outcomes)
        shown = feedback.printed(sub.outputs)
        if shown:
            result.output = f"{result.output}\n\n{shown}"
        result.output = feedback.capped(feedback.clean(result.output))
        result.seconds = time.monotonic() - started
        for outcome in sub.outcomes:
            self._isolation = outcome.isolation or self._isolation

    def _isolation_note(self) -> str:
        if not self._isolation.get("dropped"):
            return ""
        missing = [what for what in ("network", "hidden") if not self._isolation.get(what)]
        return f"sandbox: could not isolate {' and '.join(missing)} (no namespaces here)" if missing else ""


@dataclass(frozen=True)
class Task:
    """One check to run on one assignment's file: where the file is, the check's position in check
    order and its unit of the time budget."""

    assignment: Assignment
    found: discovery.Located
    check: Check
    position: int
    unit: str


def _unit(assignment: Assignment, check: Check) -> str:
    return unit_of(check, discovery.api_names(assignment))


def _triage(report: Report, imports: dict[Assignment, Outcome | None]) -> None:
    """Flag what staff should look at (import errors, timeouts) and the grader's own faults."""
    for assignment, outcome in imports.items():
        if outcome is not None and outcome.error is not None:
            kind = "timeout" if outcome.error.kind == "timeout" else "import error"
            report.attention.append(f"{kind} ({assignment.name})")
    timeouts = sorted({r.assignment for r in report.results if r.timed_out})
    report.attention += [f"timeout ({name})" for name in timeouts if f"timeout ({name})" not in report.attention]
    report.errors += [f"{r.assignment} {r.number}: {r.grader_error}" for r in report.results if r.grader_error]


def _import_feedback(outcome: Outcome | None, found: discovery.Located) -> str | None:
    """Why the import failed, said once (None: it did not, or there was no file)."""
    if outcome is None or outcome.error is None:
        return None
    return "\n\n".join(part for part in (feedback.explain(outcome.error, found.source, at_import=True),
                                          feedback.printed([outcome.output])) if part)


def _not_imported_line(found: discovery.Located) -> str:
    """What each check of a file that could not be imported says: one line; the note says why."""
    return f"Not run: {found.source.name} could not be imported (see the note at the top of the report)."


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


def judge_verdict(check: Check, sub, source: Origin | str) -> Verdict:
    """Run a check's function on a submission (sandboxed or in-process) and judge it; ``source``: the
    student's file as feedback names it."""
    try:
        verdict = check.func(sub)
    except CheckFailed as exc:
        return Verdict(0.0, str(exc))
    except SubmissionError as exc:
        fault = f"internal: {exc.message}" if exc.kind == "internal" else ""  # the probe itself failed
        return Verdict(0.0, feedback.explain(exc, source), fault)
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


def judge(check: Check, sub, source: Origin | str) -> tuple[float, str]:
    """The fraction of a check's points earned and the feedback. Shared by the grader and the Otter and
    pytest front-ends."""
    verdict = judge_verdict(check, sub, source)
    return verdict.fraction, verdict.message
