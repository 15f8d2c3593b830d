"""Faults of the grader, not of the student: verified before any check runs, reported to the instructor.

A corrupt dataset once made the *reference* lose points and the student was told "Your code raised
RuntimeError". Whatever the machine lacks (the verified dataset, a module the grading environment
promises) stops grading with an :class:`InfrastructureError` before any check runs, and a grader
fault during a check (:class:`GraderFault`, e.g. the reference solution failing) is recorded as the
grader's, so the command exits non-zero and Gradescope's output says the grader failed.
"""

from __future__ import annotations

import importlib.util

from autograder.course import Assignment

#: Modules the grading environment promises (pyproject's dependencies, by import name): student code
#: may import any of them, so a missing one would be charged to students.
REQUIRED_MODULES = ("torch", "torchvision", "numpy", "torchsummary", "matplotlib", "tqdm", "yaml")


class InfrastructureError(RuntimeError):
    """The grader cannot grade on this machine (data, dependencies); no student is charged for it."""


class GraderFault(RuntimeError):
    """A check could not be judged because of the grader (its reference failed, its own code raised)."""


def missing_modules(names: tuple[str, ...] | None = None) -> list[str]:
    """The required modules that cannot be found (found, not imported: importing torchvision takes seconds)."""
    missing = []
    for name in REQUIRED_MODULES if names is None else names:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def verify(assignment: Assignment) -> None:
    """Raise :class:`InfrastructureError` unless this machine can grade ``assignment``."""
    missing = missing_modules()
    if missing:
        raise InfrastructureError(f"missing dependencies: {', '.join(missing)} (pip install the grader's "
                                  "requirements; students' code may import them)")
    if assignment.needs_data:
        from autograder import data

        try:
            data.load()  # verifies every file's MD5 (cached by the files' size and mtime)
        except data.DataError as exc:
            raise InfrastructureError(f"Fashion-MNIST is not usable: {exc}") from None
