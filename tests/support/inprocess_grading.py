"""Grade a student file in this process (the in-process front-end): fast, for tests and calibration.

Student code runs here, unsandboxed: only for files the project wrote itself (mutants, variants,
generated correct implementations).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Collection

from autograder.course import get_assignment
from autograder.frontends.inprocess import InProcessSubmission
from autograder.grading import judge
from autograder.registry import checks_for


def load_module(folder: Path, assignment: str, source: str) -> ModuleType:
    """Write ``source`` as the assignment's student file in ``folder`` and import it."""
    spec_of = get_assignment(assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / spec_of.filename
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(spec_of.module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def grade_module(assignment: str, module: ModuleType,
                 only: Collection[str] | None = None) -> dict[str, tuple[float, str]]:
    """Check number -> (fraction of the points earned, feedback), every check in-process."""
    spec_of = get_assignment(assignment)
    results = {}
    for check in checks_for(assignment):
        if only is None or check.number in only:
            sub = InProcessSubmission(spec_of, module, check.id)
            results[check.number] = judge(check, sub, spec_of.filename)
    return results
