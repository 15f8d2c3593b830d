"""Generate the student files in ``assignments/`` from the reference solutions in ``solutions/``.

Every ``# BEGIN SOLUTION <what to do>`` ... ``# END SOLUTION`` block becomes::

    # TODO: <what to do>
    raise NotImplementedError("<what to do>")

at the block's indentation. Other files of a solution folder (the handout README.md) are copied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, STUDENT_DIR

_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*(?P<todo>.*)$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")


class StubError(ValueError):
    """A solution file whose solution markers do not pair up."""


def strip_solutions(source: str, filename: str = "<solution>") -> str:
    """Replace each solution block of ``source`` with a TODO comment and ``raise NotImplementedError``."""
    out: list[str] = []
    begin_line = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        begin = _BEGIN.match(line)
        if begin:
            if begin_line is not None:
                raise StubError(f"{filename}:{number}: BEGIN SOLUTION inside the block opened at line {begin_line}")
            begin_line = number
            indent, todo = begin["indent"], begin["todo"].strip() or "write this part"
            out.append(f"{indent}# TODO: {todo}\n")
            out.append(f"{indent}raise NotImplementedError({todo!r})\n")
        elif _END.match(line):
            if begin_line is None:
                raise StubError(f"{filename}:{number}: END SOLUTION without BEGIN SOLUTION")
            begin_line = None
        elif begin_line is None:
            out.append(line)
    if begin_line is not None:
        raise StubError(f"{filename}:{begin_line}: BEGIN SOLUTION is never closed")
    return "".join(out)


def expected_files(solutions: Path = SOLUTIONS_DIR, names: Iterable[str] = ASSIGNMENTS) -> dict[Path, str]:
    """Relative path -> content of every file ``assignments/`` must hold (for the assignments ``names``)."""
    files: dict[Path, str] = {}
    for name in names:
        folder = solutions / name
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            text = path.read_text()
            relative = path.relative_to(solutions)
            files[relative] = strip_solutions(text, str(relative)) if path.suffix == ".py" else text
    return files


def stale_files(solutions: Path = SOLUTIONS_DIR, target: Path = STUDENT_DIR) -> list[str]:
    """Files of ``target`` that differ from what the generator would write (empty when up to date)."""
    expected = expected_files(solutions)
    stale = [str(rel) for rel, text in expected.items()
             if not (target / rel).is_file() or (target / rel).read_text() != text]
    present = {p.relative_to(target) for p in target.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    stale += [f"{rel} (not generated from solutions/)" for rel in sorted(present - set(expected))]
    return stale


def write_stubs(solutions: Path = SOLUTIONS_DIR, target: Path = STUDENT_DIR,
                names: Iterable[str] = ASSIGNMENTS) -> list[Path]:
    written = []
    for rel, text in expected_files(solutions, names).items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            written.append(path)
    return written
