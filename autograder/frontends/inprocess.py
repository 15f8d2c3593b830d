"""A submission run in the current process, for front-ends that cannot sandbox (Otter-Grader, and
pytest with --no-sandbox). Same API, seeds and plain-data results as the sandboxed Submission; no
isolation, no timeout."""

from __future__ import annotations

import base64
import importlib.util
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import torch

from autograder.sandbox import wire
from autograder.course import SOLUTIONS_DIR, Assignment, get_assignment
from autograder.discovery import find_student_file
from autograder.sandbox.server import classify, reset_torch_state
from autograder.sandbox import Request, SubmissionError, probe_name
from autograder.registry import checks_for
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
        module = import_file(find_student_file(SOLUTIONS_DIR, spec), spec.module_name)
        recorded[name] = {}
        for check in (c for c in checks_for(name, include_hidden) if c.uses_reference):
            reference = InProcessSubmission(spec, module, check.id)
            reference.recording = recorded[name]
            judge(check, InProcessSubmission(spec, module, check.id, reference=reference), spec.filename)
    return recorded
