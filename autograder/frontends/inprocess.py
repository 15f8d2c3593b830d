"""A submission run in the current process, for front-ends that cannot sandbox (Otter-Grader, and
pytest with --no-sandbox). Same API, seeds and plain-data results as the sandboxed Submission; no
isolation, no timeout. :class:`InProcessGrading` gives those doors the verdicts of ``grade``: each
check judged once per student module, and charged once (:mod:`autograder.charges`)."""

from __future__ import annotations

import base64
import importlib.util
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import torch

from autograder.charges import charged_once
from autograder.sandbox import wire
from autograder.course import SOLUTIONS_DIR, Assignment, get_assignment
from autograder.discovery import find_student_file
from autograder.packaging import RECORDED_REFERENCE
from autograder.sandbox.server import classify, reset_torch_state
from autograder.sandbox import Request, SubmissionError, probe_name
from autograder.registry import Check, checks_for
from autograder.results import CheckResult
from autograder.submission import OutcomeCache, ProbeTarget


class InProcessSubmission(ProbeTarget):
    """The student's already-imported module, probed directly (or recorded reference outcomes replayed)."""

    def __init__(self, assignment: Assignment, module: ModuleType | None, check_id: str,
                 reference: "InProcessSubmission | None" = None, recorded: dict[str, Any] | None = None) -> None:
        super().__init__(assignment, check_id, reference)
        self.module, self._recorded = module, recorded
        #: Where a reference's outcomes are written as they are computed (see :func:`record_reference`).
        self.recording: dict[str, Any] | None = None

    def run(self, probe: Callable, *args: Any, sandbox_seed: int | None = None,
            sandbox_timeout_s: float | None = None, **kwargs: Any) -> Any:
        seed = self.next_seed(sandbox_seed)
        key = OutcomeCache.key(Request(probe_name(probe), None, self.assignment.module_name, seed, args, kwargs))
        if self._recorded is not None:
            if key not in self._recorded:
                raise SubmissionError("internal", "the reference outcome for this check was not recorded")
            return self._recorded[key]
        value = self._execute(probe, seed, args, kwargs)
        if self.recording is not None:
            self.recording[key] = value
        return value

    def _execute(self, probe: Callable, seed: int, args: tuple, kwargs: dict) -> Any:
        args, kwargs = wire.decode(wire.encode((tuple(args), dict(kwargs))))  # fresh copies, as in a child
        reset_torch_state(seed)
        path = getattr(self.module, "__file__", "") or ""
        try:
            value = probe(self.module, *args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 -- classified like the sandbox does
            error = classify(exc, path, during_import=False)
            raise SubmissionError(error["kind"], error["message"], error["traceback"]) from None
        return wire.decode(wire.encode(wire.to_plain(value)))


def encode_recorded(outcomes: dict[str, Any]) -> str:
    """Recorded reference values as text that can live inside a generated test file."""
    return base64.b64encode(zlib.compress(wire.encode(outcomes), 9)).decode()


def decode_recorded(text: str) -> dict[str, Any]:
    return wire.decode(zlib.decompress(base64.b64decode(text)))


def import_file(path: Path, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class InProcessGrading:
    """The checks of one student module judged in this process, each at most once, then charged once
    as :meth:`Grader.grade` charges them: a failed repeat judges the checks it repeats to decide.

    ``student`` gives the module a check runs on (a fresh import, or Otter's one environment);
    ``reference`` the reference a check compares with (see :func:`reference_for`).
    """

    def __init__(self, assignment: Assignment, student: Callable[[], ModuleType],
                 reference: Callable[[str], "InProcessSubmission | None"]) -> None:
        self.assignment, self._student, self._reference = assignment, student, reference
        self._checks = {c.number: c for c in checks_for(assignment.name)}
        self._judged: dict[str, CheckResult] = {}

    def result(self, number: str) -> CheckResult:
        """Check ``number``'s result as ``grade`` gives it (before the time budget, which needs timeouts)."""
        check = self._checks[number]
        result = self._judge(check)
        if result.score >= result.max_score:
            return result
        return charged_once(result, [self._judge(self._checks[n]) for n in check.repeats if n in self._checks])

    def _judge(self, check: Check) -> CheckResult:
        from autograder.grading import judge

        if check.number not in self._judged:
            sub = InProcessSubmission(self.assignment, self._student(), check.id, reference=self._reference(check.id))
            fraction, message = judge(check, sub, self.assignment.filename)
            self._judged[check.number] = CheckResult(self.assignment.name, check.number, check.name, check.points,
                                                     round(check.points * fraction, 4), message, check.visibility)
        return self._judged[check.number]


class ReferenceUnavailable(Exception):
    """Neither the reference solution nor outcomes recorded from it are here: checks that compare
    with it cannot be exported."""


def reference_file(assignment: Assignment) -> Path | None:
    """The reference solution's file, where it is installed (the student kit has none)."""
    return find_student_file(SOLUTIONS_DIR, assignment)


def shipped_reference() -> dict[str, Any] | None:
    """The reference outcomes the student kit ships (:data:`RECORDED_REFERENCE`), None where absent."""
    return wire.decode(RECORDED_REFERENCE.read_bytes()) if RECORDED_REFERENCE.is_file() else None


def reference_for(assignment: Assignment) -> Callable[[str], InProcessSubmission | None]:
    """How an in-process check reaches the reference: the installed solution, imported for each check,
    else the outcomes the kit ships, replayed; else nowhere (None)."""
    path = reference_file(assignment)
    if path is not None:
        return lambda check_id: InProcessSubmission(assignment, import_file(path, assignment.module_name), check_id)
    shipped = shipped_reference()
    if shipped is not None:
        return lambda check_id: InProcessSubmission(assignment, None, check_id, recorded=shipped)
    return lambda check_id: None


def reference_outcomes(assignments: list[str], include_hidden: bool) -> dict[str, dict[str, Any]]:
    """Assignment -> the reference outcomes its checks need: recorded now from its solution where that
    is installed, else all those the student kit ships (their keys do not say which assignment they
    belong to). Raises :class:`ReferenceUnavailable` when a check needs the reference and neither exists."""
    installed = [n for n in assignments if reference_file(get_assignment(n)) is not None]
    needing = [n for n in assignments
               if n not in installed and any(c.uses_reference for c in checks_for(n, include_hidden))]
    shipped = shipped_reference() if needing else None
    if needing and shipped is None:
        raise ReferenceUnavailable(f"the checks of {', '.join(needing)} compare with the reference solution, which "
                                   f"is not installed here ({SOLUTIONS_DIR}), and no outcomes recorded from it were "
                                   f"found ({RECORDED_REFERENCE})")
    recorded = record_reference(installed, include_hidden)
    return {n: recorded[n] if n in installed else shipped if n in needing else {} for n in assignments}


def record_reference(assignments: list[str], include_hidden: bool) -> dict[str, dict[str, Any]]:
    """Assignment -> the reference solution's outcomes for its checks (keyed as the sandbox's cache is),
    computed here, in-process: the reference is the grader's own trusted code, so it needs no sandbox,
    and nothing is computed twice (the student side of each check is the recording reference too).
    Only the checks that declare ``uses_reference`` run."""
    from autograder.grading import judge

    torch.set_num_threads(1)  # as in a child: the same bits
    recorded = {}
    for name in assignments:
        spec = get_assignment(name)
        module = import_file(reference_file(spec), spec.module_name)
        recorded[name] = {}
        for check in (c for c in checks_for(name, include_hidden) if c.uses_reference):
            reference = InProcessSubmission(spec, module, check.id)
            reference.recording = recorded[name]
            judge(check, InProcessSubmission(spec, module, check.id, reference=reference), spec.filename)
    return recorded
