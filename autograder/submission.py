"""What a check holds: a student file that can only be called through the sandbox."""

from __future__ import annotations

import hashlib
import threading
import zlib
from pathlib import Path
from typing import Any, Callable

from autograder.sandbox import wire
from autograder.course import Assignment
from autograder.sandbox import probes as common
from autograder.discovery import SubmissionFileError, read_regular
from autograder.sandbox import ServerHandle, Limits, Outcome, Request, SandboxPool, SubmissionError, probe_name


class ProbeTarget:
    """What a check talks to: ``call`` and ``run`` a student's code, and its ``reference``.

    Seeds come from the check id and the call's position in the check, so a check observes the same
    thing on every run and for every ``--jobs``. Subclasses decide where a probe runs.
    """

    def __init__(self, assignment: Assignment, check_id: str, reference: "ProbeTarget | None") -> None:
        self.assignment, self.check_id, self._reference = assignment, check_id, reference
        self._calls = 0
        self.outputs: list[str] = []
        #: What this check has already read of the student's code, for judges whose helpers need the
        #: same run (a second identical call would run the student's code again).
        self.memo: dict[tuple, Any] = {}

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

    def __init__(self, assignment: Assignment, student_file: Path | None, sandbox: "SandboxPool | ServerHandle",
                 check_id: str, timeout_s: float, reference: "Submission | None" = None,
                 cache: "OutcomeCache | None" = None, first_calls: "FirstCalls | None" = None) -> None:
        super().__init__(assignment, check_id, reference)
        self.student_file, self.sandbox, self.timeout_s, self._cache = student_file, sandbox, timeout_s, cache
        self._first_calls = first_calls
        self._unplayed: Request | None = None  # a shared first call this check's child has not run yet
        self.outcomes: list[Outcome] = []
        self.import_outcome: Outcome | None = None  # the call that imported the file first, or failed to

    def run(self, probe: Callable, *args: Any, sandbox_seed: int | None = None,
            sandbox_timeout_s: float | None = None, **kwargs: Any) -> Any:
        """Run the trusted ``probe(student_module, *args, **kwargs)`` in the check's child.

        ``sandbox_seed`` and ``sandbox_timeout_s`` override the call's seed (derived from the check
        id) and time limit; every other keyword goes to the probe. Raises :class:`SubmissionError`
        when the student's code fails; returns plain data.
        """
        first = self._calls == 0
        seed = self.next_seed(sandbox_seed)
        request = Request(probe_name(probe), self.student_file, self.assignment.module_name, seed,
                          args, kwargs, Limits(timeout_s=sandbox_timeout_s or self.timeout_s))
        if self.import_outcome is not None and not self.import_outcome.imported:
            raise self.import_outcome.error
        outcome = self._outcome(request, first)
        if self.import_outcome is None and (outcome.imported or _failed_at_import(outcome)):
            self.import_outcome = outcome
        self.outcomes.append(outcome)
        if outcome.output.strip():
            self.outputs.append(outcome.output)
        if outcome.error is not None:
            raise outcome.error
        return outcome.value

    def _outcome(self, request: Request, first: bool) -> Outcome:
        if self._cache is not None:
            return self._cache.run(self.sandbox, self, request)[0]
        if first and self._first_calls is not None:
            outcome, computed = self._first_calls.run(self.sandbox, self, request)
            if not computed:
                self._unplayed = request
            return outcome
        if self._unplayed is not None:  # bring this check's fresh child to the state its calls expect
            self.sandbox.call(self, self._unplayed)
            self._unplayed = None
        return self.sandbox.call(self, request)


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

    def run(self, sandbox: "SandboxPool | ServerHandle", owner: object, request: Request) -> tuple[Outcome, bool]:
        """The request's outcome, and whether this call computed it (False: another call had, or was)."""
        key = self._key(request)
        self._modules[key] = request.module_name
        with self._lock:
            event = self._events.get(key)
            computing = event is None
            if computing:
                event = self._events[key] = threading.Event()
        if computing:
            outcome = Outcome(error=SubmissionError("internal", "the run raised in the grader"))
            try:
                outcome = (sandbox.call(owner, request) if request.student_file is not None else Outcome(
                    error=SubmissionError("internal", "this check needs the reference solution, which is not "
                                          "installed here; it runs when your instructor grades")))
            finally:
                self._outcomes[key] = outcome
                if outcome.error is not None and not self._keeps(outcome, request):
                    with self._lock:  # not kept: the next check runs it again
                        del self._events[key]
                event.set()
            return outcome, True
        event.wait()
        return self._outcomes[key], False

    def _key(self, request: Request) -> str:
        return self.key(request)

    def _keeps(self, failure: Outcome, request: Request) -> bool:
        """A reference's failure is never kept (it is the grader's fault; the next check tries again),
        unless it is the kit's note that the reference is absent."""
        return request.student_file is None

    def values(self, module_name: str | None = None) -> dict[str, object]:
        """Key -> value of every successful outcome (of one student module's name, if given)."""
        return {k: o.value for k, o in self._outcomes.items()
                if o.error is None and module_name in (None, self._modules.get(k))}

    def save(self, path: Path) -> int:
        """Write the successful outcomes as plain data; returns how many."""
        values = self.values()
        path.write_bytes(wire.encode(values))
        return len(values)


class FirstCalls(OutcomeCache):
    """The first calls of one student file's checks, each computed once per grading.

    A check's first call runs in a fresh child: the child imports the file, reseeds, and runs that one
    call, so its outcome is a function of the file and the request alone. When a later check of the
    same file makes the very same first call (probe, arguments, seed, time limit), the grader gives it
    that outcome instead of computing it again in another fresh child: what the check observes is
    unchanged, only the repeated work goes (a4's three checks of one compare_initializers run, a5's
    four checks of one set of bump networks). Failures are kept too: an exception or a timeout is the
    student's result, and the same call would fail the same way (paying a timeout twice helps nobody).
    Only a grader fault is tried again. A check that goes on calling replays its shared first call in
    its own child before its second call (:meth:`Submission._outcome`), so later calls see the same
    state as without sharing.
    """

    def _key(self, request: Request) -> str:
        return f"{self.key(request)}/{request.limits.timeout_s!r}"  # a timeout depends on the limit

    def _keeps(self, failure: Outcome, request: Request) -> bool:
        return failure.error.kind != "internal"


def _done() -> threading.Event:
    event = threading.Event()
    event.set()
    return event
