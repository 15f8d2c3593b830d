"""Mutants and variants: wrong and correct-but-different student files, built and graded by the tests.

A mutant is ``tests/mutants/<assignment>/<name>.py`` holding ``MUST_FAIL`` (check numbers it must
lose points on) and ``REPLACE`` (pairs of text: each ``old`` occurs exactly once in the reference
solution and becomes ``new``), so each mutant states only the mistake it makes. A variant is a
complete, independently written student file under ``tests/variants/<assignment>/``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.assignments import SOLUTIONS_DIR, get_assignment

TESTS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Mutant:
    assignment: str
    name: str
    must_fail: tuple[str, ...]
    source: str


def _literal(tree: ast.Module, name: str, path: Path):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError(f"{path} does not define {name}")


def load_mutant(path: Path) -> Mutant:
    assignment = get_assignment(path.parent.name)
    tree = ast.parse(path.read_text())
    must_fail = tuple(_literal(tree, "MUST_FAIL", path))
    source = (SOLUTIONS_DIR / assignment.name / assignment.filename).read_text()
    for old, new in _literal(tree, "REPLACE", path):
        count = source.count(old)
        if count != 1:
            raise ValueError(f"{path}: {old!r} occurs {count} times in the reference, not once")
        source = source.replace(old, new)
    return Mutant(assignment.name, path.stem, must_fail, source)


def mutant_paths(assignment: str) -> list[Path]:
    return sorted((TESTS_DIR / "mutants" / assignment).glob("*.py"))


def variant_paths(assignment: str) -> list[Path]:
    return sorted((TESTS_DIR / "variants" / assignment).glob("*.py"))


def write_submission(folder: Path, assignment: str, source: str) -> Path:
    """A submission folder holding ``source`` as the assignment's student file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / get_assignment(assignment).filename).write_text(source)
    return folder
