"""The course: one package per assignment, discovered from this folder, never listed by hand.

An assignment ``NAME`` is the package ``autograder/course/NAME/`` (its ``ASSIGNMENT`` metadata in
``__init__.py``; ``probes.py``, the only part that runs inside the sandbox; ``checks.py`` and
``hidden.py``, its public and hidden checks; ``judge.py``, what they judge with, in the parent), its
reference solution ``solutions/NAME/`` and its test corpus ``tests/corpus/NAME/``.
``autograder new NAME`` writes all three from a template.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass
from pathlib import Path

#: The parts of an assignment's package, by role. Only PROBES (and ``__init__``) run inside the sandbox,
#: and a sandboxed child sees no other part; HIDDEN is never shipped in the student kit.
PROBES, CHECKS, HIDDEN, JUDGE = "probes", "checks", "hidden", "judge"
PARTS = ("__init__", PROBES, CHECKS, HIDDEN, JUDGE)


@dataclass(frozen=True)
class Assignment:
    """One assignment: the folder name students see and the one file they hand in."""

    name: str
    filename: str
    title: str
    needs_data: bool = False   # its checks read Fashion-MNIST
    trains: bool = False       # its checks run optimizers (their first use costs a second: paid once, in the fork server)
    plots: bool = False        # its checks render figures (matplotlib's fonts: paid once, in the fork server)

    @property
    def module_name(self) -> str:
        return Path(self.filename).stem

    @property
    def package(self) -> str:
        """The dotted name of the assignment's grader package."""
        return f"{__name__}.{self.name}"

    def part(self, role: str) -> str:
        """The dotted name of one part of the package (``PROBES``, ``CHECKS``, ``HIDDEN``, ``JUDGE``)."""
        return f"{self.package}.{role}"


COURSE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = COURSE_DIR.parent   # the ``autograder`` package
PROJECT_ROOT = PACKAGE_DIR.parent
#: The reference solutions; AUTOGRADER_SOLUTIONS points elsewhere (the Gradescope image keeps them
#: in /autograder/source/solutions, the student kit has none).
SOLUTIONS_DIR = Path(os.environ.get("AUTOGRADER_SOLUTIONS", PROJECT_ROOT / "solutions"))
STUDENT_DIR = PROJECT_ROOT / "assignments"


def _discover() -> dict[str, Assignment]:
    """Every package in this folder that declares an ``ASSIGNMENT``, by name."""
    found: dict[str, Assignment] = {}
    for info in sorted(pkgutil.iter_modules([str(COURSE_DIR)]), key=lambda i: i.name):
        if not info.ispkg:
            continue
        declared = getattr(importlib.import_module(f"{__name__}.{info.name}"), "ASSIGNMENT", None)
        if isinstance(declared, Assignment):
            if declared.name != info.name:
                raise ValueError(f"{info.name}/__init__.py declares the assignment {declared.name!r}; "
                                 f"the name must be the folder's")
            found[info.name] = declared
    return found


ASSIGNMENTS: dict[str, Assignment] = _discover()


def get_assignment(name: str) -> Assignment:
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        known = ", ".join(ASSIGNMENTS)
        raise ValueError(f"unknown assignment {name!r}; known assignments: {known}") from None


def hidden_paths(names: list[str] | None = None) -> list[Path]:
    """The hidden checks' files (of ``names``, else of every assignment): the student kit leaves them out,
    and a Gradescope zip those of the assignments it does not grade. (A sandboxed child never sees them:
    of the grader's package it sees only the modules its fork server runs.)"""
    return [COURSE_DIR / name / f"{HIDDEN}.py" for name in (names if names is not None else ASSIGNMENTS)]
