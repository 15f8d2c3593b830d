"""One sandboxed call as the parent describes it (:class:`Request`, :class:`Limits`) and what it learns
from it (:class:`Outcome`, :class:`SubmissionError`): the vocabulary shared by the pool, the server and
the checks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


def _child_memory_mb() -> int:
    """AUTOGRADER_CHILD_MEMORY_MB, else 2048; run_autograder lowers it to fit Gradescope's 768 MB."""
    return int(os.environ.get("AUTOGRADER_CHILD_MEMORY_MB", "2048"))


@dataclass(frozen=True)
class Limits:
    """Resources of one sandboxed call."""

    timeout_s: float = 10.0  # CPU seconds
    memory_mb: int = field(default_factory=_child_memory_mb)   # address space above what the child maps at fork
    nproc: int = 16         # processes and threads of the private uid (root only)
    file_mb: int = 16       # largest file the child may write


class SubmissionError(Exception):
    """The student's code failed in a way the grader can explain.

    ``kind`` is one of: not_implemented, missing, import, exception, exit, memory, timeout,
    crashed, exited, bad_result, internal.
    """

    def __init__(self, kind: str, message: str, traceback: str = "", output: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.traceback, self.output = kind, message, traceback, output


@dataclass
class Outcome:
    """What the parent learned from one child: a value or an error, and what it printed."""

    value: Any = None
    error: SubmissionError | None = None
    output: str = ""
    seconds: float = 0.0
    maxrss_kb: int = 0
    isolation: dict[str, bool] = field(default_factory=dict)
    imported: bool = False   # the student's module was imported (this call ran past the import)


@dataclass(frozen=True)
class Request:
    """One sandboxed call: run ``probe(student_module, *args, **kwargs)`` with a fixed seed."""

    probe: str                     # "module:function" of a trusted probe
    student_file: Path | None
    module_name: str
    seed: int
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    limits: Limits = Limits()


def probe_name(probe: Callable) -> str:
    return f"{probe.__module__}:{probe.__qualname__}"
