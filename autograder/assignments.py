"""The assignments this package grades: one student file each."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Assignment:
    """One assignment: the folder name students see and the one file they hand in."""

    name: str
    filename: str
    title: str
    needs_data: bool = False

    @property
    def module_name(self) -> str:
        return Path(self.filename).stem


ASSIGNMENTS: dict[str, Assignment] = {
    a.name: a
    for a in (
        Assignment("a1_init", "initializers.py", "Xavier and Kaiming initialization"),
        Assignment("a2_split", "split.py", "Train/validation/test split and shuffling"),
        Assignment("a3_train", "fashion.py", "Training a network on Fashion-MNIST", needs_data=True),
        Assignment("a5_approx", "approx.py", "Universal approximation, by hand and by training"),
    )
}

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The reference solutions; AUTOGRADER_SOLUTIONS points elsewhere (the Gradescope image keeps them
#: in /autograder/source/solutions, the student kit has none).
SOLUTIONS_DIR = Path(os.environ.get("AUTOGRADER_SOLUTIONS", PROJECT_ROOT / "solutions"))
STUDENT_DIR = PROJECT_ROOT / "assignments"


def get_assignment(name: str) -> Assignment:
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        known = ", ".join(ASSIGNMENTS)
        raise ValueError(f"unknown assignment {name!r}; known assignments: {known}") from None


def find_student_file(submission: Path, assignment: Assignment) -> Path | None:
    """Where a submission keeps the assignment's file.

    Accepts the file itself, ``SUB/<filename>``, ``SUB/<assignment>/<filename>`` or a single match
    anywhere below SUB (Gradescope uploads and zip exports nest folders unpredictably).
    """
    submission = Path(submission)
    if submission.is_file():
        return submission if submission.name == assignment.filename else None
    for candidate in (submission / assignment.filename, submission / assignment.name / assignment.filename):
        if candidate.is_file():
            return candidate
    matches = sorted(
        p for p in submission.rglob(assignment.filename)
        if p.is_file() and "__MACOSX" not in p.parts and not p.is_symlink()
    )
    return matches[0] if len(matches) == 1 else None
