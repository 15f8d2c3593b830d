"""What a check holds: a student file that can only be called through the sandbox."""

from __future__ import annotations

import hashlib
import threading
import zlib
from pathlib import Path
from typing import Any, Callable

from autograder import wire
from autograder.assignments import Assignment
from autograder.probes import common
from autograder.discovery import SubmissionFileError, read_regular
from autograder.sandbox import ForkServer, Limits, Outcome, Request, SandboxPool, SubmissionError, probe_name


class ProbeTarget:
    """What a check talks to: ``call`` and ``run`` a student's code, and its ``reference``.

    Seeds come from the check id and the call's position in the check, so a check observes the same
    thing on every run and for every ``--jobs``. Subclasses decide where a probe runs.
    """

    def __init__(self, assignment: Assignment, check_id: str, reference: "ProbeTarget | None") -> None:
        self.assignment, self.check_id, self._reference = assignment, check_id, reference
        self._calls = 0
        self.outputs: list[str] = []

    @property
    def reference(self) -> "ProbeTarget":
        """The reference solution, probed the same way (results cached or recorded)."""
        if self._reference is None:
            raise RuntimeError("this check has no reference solution available")
        return self._reference

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        """Call the student's ``function(*args, **kwargs)``; return its result as plain data."""
        return self.run(common.call, function, *args, **kwargs)

    def next_seed(self, explicit: int | None) -> int:
        self._calls += 1
        return explicit if explicit is not None else zlib.crc32(f"{self.check_id}#{self._calls}".encode())

    def run(self, probe: Callable, *args: Any, sandbox_seed: int | None = None,
            sandbox_timeout_s: float | None = None, **kwargs: Any) -> Any:
        raise NotImplementedError


class Submission(ProbeTarget):
    """One student file seen by one check, called only through the sandbox.

    ``sandbox``: a fork server leased for the check, whose one child serves all the check's calls, or a
    pool, which gives each call a child of its own. Once the file has failed to import, later calls
    fail the same way without running it again (a file that hangs at import costs one timeout).
    """

    def __init__(self, assignment: Assignment, student_file: Path | None, sandbox: "SandboxPool | ForkServer",
                 check_id: str, timeout_s: float, reference: "Submission | None" = None,
                 cache: "OutcomeCache | None" = None) -> None:
        super().__init__(assignment, check_id, reference)
        self.student_file, self.sandbox, self.timeout_s, self._cache = student_file, sandbox, timeout_s, cache
        self.outcomes: list[Outcome] = []
        self.import_outcome: Outcome | None = None  # the call that imported the file first, or failed to

    def run(self, probe: Callable, *args: Any, sandbox_seed: int | None = None,
            sandbox_timeout_s: float | None = None, **kwargs: Any) -> Any:
        """Run the trusted ``probe(student_module, *args, **kwargs)`` in the check's child.

        ``sandbox_seed`` and ``sandbox_timeout_s`` override the call's seed (derived from the check
        id) and time limit; every other keyword goes to the probe. Raises :class:`SubmissionError`
        when the student's code fails; returns plain data.
        """
        seed = self.next_seed(sandbox_seed)
        request = Request(probe_name(probe), self.student_file, self.assignment.module_name, seed,
                          args, kwargs, Limits(timeout_s=sandbox_timeout_s or self.timeout_s))
        if self.import_outcome is not None and not self.import_outcome.imported:
            raise self.import_outcome.error
        outcome = self._cache.run(self.sandbox, self, request) if self._cache else self.sandbox.call(self, request)
        if self.import_outcome is None and (outcome.imported or _failed_at_import(outcome)):
            self.import_outcome = outcome
        self.outcomes.append(outcome)
        if outcome.output.strip():
            self.outputs.append(outcome.output)
        if outcome.error is not None:
            raise outcome.error
        return outcome.value


def _failed_at_import(outcome: Outcome) -> bool:
    """The student's file did not import (a grader fault, or a replayed outcome, says nothing of it)."""
    return outcome.error is not None and not outcome.imported and outcome.error.kind != "internal"


def student_source(sub: ProbeTarget) -> str | None:
    """The student's file as text, for a static reading in the parent (never executed): the sandboxed
    Submission's file (read without following links), or the in-process front-end's module file."""
    path = getattr(sub, "student_file", None) or getattr(getattr(sub, "module", None), "__file__", None)
    if not path:
        return None
    try:
        return read_regular(Path(path)).decode("utf-8", errors="replace")
    except SubmissionFileError:
        return None


class OutcomeCache:
    """Memoizes outcomes of the reference solution: computed once per grading run, shared by all.

    Keys name the assignment, probe, seed and arguments (not a file path), so outcomes recorded
    from the reference can be replayed where the solution itself is absent (the student kit).
    """

    def __init__(self, recorded: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, threading.Event] = {}
        self._outcomes: dict[str, Outcome] = {}
        self._modules: dict[str, str] = {}
        if recorded is not None and recorded.is_file():
            for key, value in wire.decode(recorded.read_bytes()).items():
                self._outcomes[key] = Outcome(value=value)
                self._events[key] = _done()

    @staticmethod
    def key(request: Request) -> str:
        digest = hashlib.sha256()
        for part in (request.module_name, request.probe, str(request.seed)):
            digest.update(part.encode() + b"\0")
        digest.update(wire.encode((tuple(request.args), dict(request.kwargs))))
        return digest.hexdigest()

    def run(self, sandbox: "SandboxPool | ForkServer", owner: object, request: Request) -> Outcome:
        key = self.key(request)
        self._modules[key] = request.module_name
        with self._lock:
            event = self._events.get(key)
            owner = event is None
            if owner:
                event = self._events[key] = threading.Event()
        if owner:
            outcome = Outcome(error=SubmissionError("crashed", "the reference run raised in the grader"))
            try:
                outcome = (sandbox.call(owner, request) if request.student_file is not None else Outcome(
                    error=SubmissionError("internal", "this check needs the reference solution, which is not "
                                          "installed here; it runs when your instructor grades")))
            finally:
                self._outcomes[key] = outcome
                if outcome.error is not None and request.student_file is not None:
                    with self._lock:  # a failure is never cached: the next check runs the reference again
                        del self._events[key]
                event.set()
            return outcome
        event.wait()
        return self._outcomes[key]

    def values(self, module_name: str | None = None) -> dict[str, object]:
        """Key -> value of every successful outcome (of one student module's name, if given)."""
        return {k: o.value for k, o in self._outcomes.items()
                if o.error is None and module_name in (None, self._modules.get(k))}

    def save(self, path: Path) -> int:
        """Write the successful outcomes as plain data; returns how many."""
        values = self.values()
        path.write_bytes(wire.encode(values))
        return len(values)


def _done() -> threading.Event:
    event = threading.Event()
    event.set()
    return event
