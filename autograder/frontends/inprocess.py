"""A submission run in the current process, for front-ends that cannot sandbox (Otter-Grader, and
pytest with --no-sandbox). Same API, seeds and plain-data results as the sandboxed Submission; no
isolation, no timeout."""

from __future__ import annotations

import base64
import zlib
from types import ModuleType
from typing import Any, Callable

from autograder import wire
from autograder.assignments import Assignment
from autograder.forkserver import classify, reset_torch_state
from autograder.sandbox import Request, SubmissionError, probe_name
from autograder.submission import OutcomeCache, ProbeTarget


class InProcessSubmission(ProbeTarget):
    """The student's already-imported module, probed directly (or recorded reference outcomes replayed)."""

    def __init__(self, assignment: Assignment, module: ModuleType | None, check_id: str,
                 reference: "InProcessSubmission | None" = None, recorded: dict[str, Any] | None = None) -> None:
        super().__init__(assignment, check_id, reference)
        self.module, self._recorded = module, recorded

    def run(self, probe: Callable, *args: Any, sandbox_seed: int | None = None,
            sandbox_timeout_s: float | None = None, **kwargs: Any) -> Any:
        seed = self.next_seed(sandbox_seed)
        if self._recorded is not None:
            key = OutcomeCache.key(Request(probe_name(probe), None, self.assignment.module_name, seed, args, kwargs))
            if key not in self._recorded:
                raise SubmissionError("internal", "the reference outcome for this check was not recorded")
            return self._recorded[key]
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
