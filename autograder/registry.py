"""The ``@check`` decorator and the per-assignment registry of checks."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from autograder import course

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")

_REGISTRY: dict[str, list["Check"]] = {}


@dataclass(frozen=True)
class Check:
    """One graded property of a submission."""

    assignment: str
    number: str
    name: str
    points: float
    visibility: str
    timeout_s: float
    func: Callable
    repeats: tuple[str, ...] = ()   # checks of the same function whose failure this one does not charge again
    uses_reference: bool = False    # compares with the reference solution's outcomes (recorded for the kit)

    @property
    def id(self) -> str:
        return f"{self.assignment}/{self.number}"

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.number.split("."))


def check(number: str, name: str, points: float, *, visibility: str = "visible",
          timeout_s: float = 10.0, repeats: tuple[str, ...] = (),
          uses_reference: bool = False) -> Callable[[Callable], Callable]:
    """Register ``func(sub)`` as check ``number`` of the assignment whose ``checks.py`` or ``hidden.py``
    defines it.

    ``func`` raises :class:`autograder.expect.CheckFailed` to fail, returns an
    :class:`autograder.expect.Partial` for part of the points, or returns None / a note to pass.
    ``repeats``: the checks this one tests again with other inputs (a hidden repeat); when one of them
    already lost points, this check does not charge the same function again (see
    :func:`autograder.charges.charge_once`). ``uses_reference``: the check calls ``sub.reference``;
    only these checks run when the reference's outcomes are recorded for the student kit and Otter.
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}, not {visibility!r}")

    def register(func: Callable) -> Callable:
        assignment = _assignment_of(func.__module__)
        entry = Check(assignment, number, name, float(points), visibility, timeout_s, func, tuple(repeats),
                      uses_reference)
        checks = _REGISTRY.setdefault(assignment, [])
        if any(c.number == number for c in checks):
            raise ValueError(f"check number {number} is used twice in {assignment}")
        checks.append(entry)
        return func

    return register


def _assignment_of(module: str) -> str:
    """``autograder.course.NAME.checks`` (or ``.hidden``) -> ``NAME``."""
    package, _, role = module.rpartition(".")
    parent, _, name = package.rpartition(".")
    if parent != course.__name__ or role not in (course.CHECKS, course.HIDDEN):
        raise ValueError(f"checks belong in an assignment's {course.CHECKS}.py or {course.HIDDEN}.py, not in {module}")
    return name


def checks_for(assignment: str, include_hidden: bool = True) -> list[Check]:
    """The assignment's checks in number order; hidden ones only where they are installed."""
    spec = course.get_assignment(assignment)
    importlib.import_module(spec.part(course.CHECKS))
    if include_hidden:
        try:
            importlib.import_module(spec.part(course.HIDDEN))
        except ModuleNotFoundError as exc:  # the student kit ships without hidden checks
            if exc.name != spec.part(course.HIDDEN):
                raise
    found = _REGISTRY.get(assignment, [])
    if not include_hidden:
        found = [c for c in found if c.visibility == "visible"]
    return sorted(found, key=lambda c: c.sort_key)
