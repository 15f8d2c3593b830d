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
    needs_data: bool = False   # its checks read Fashion-MNIST
    trains: bool = False       # its checks run optimizers (their first use costs a second: paid once, in the fork server)
    plots: bool = False        # its checks render figures (matplotlib's fonts: paid once, in the fork server)

    @property
    def module_name(self) -> str:
        return Path(self.filename).stem


ASSIGNMENTS: dict[str, Assignment] = {
    a.name: a
    for a in (
        Assignment("a1_init", "initializers.py", "Xavier and Kaiming initialization"),
        Assignment("a2_split", "split.py", "Train/validation/test split and shuffling"),
        Assignment("a3_train", "fashion.py", "Training a network on Fashion-MNIST", needs_data=True, trains=True),
        Assignment("a4_vanishing", "vanishing.py", "Vanishing gradients, activations and initializers compared",
                   needs_data=True, trains=True, plots=True),
        Assignment("a5_approx", "approx.py", "Universal approximation, by hand and by training", trains=True),
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


def find_student_file(submission: Path, assignment: Assignment, explicit: bool = False) -> Path | None:
    """The module to grade for ``assignment`` in ``submission``, staged for the sandbox, or None.

    Accepts the file itself, ``SUB/<filename>``, ``SUB/<assignment>/<filename>``, a single match anywhere
    below SUB, near-miss names and notebooks (see :mod:`autograder.discovery`, which also says why a
    file was not found). The path returned is a private staged copy: a notebook arrives converted.
    """
    from autograder.discovery import locate

    return locate(Path(submission), assignment, explicit).path
