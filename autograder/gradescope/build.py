"""Build the Gradescope autograder zip: setup.sh and run_autograder at its root, the grader with its
hidden checks and the reference solutions of the chosen assignments, and its settings."""

from __future__ import annotations

from pathlib import Path

from autograder.course import ASSIGNMENTS, PROJECT_ROOT, SOLUTIONS_DIR, hidden_paths
from autograder.gradescope.config import CONFIG_NAME, GradescopeConfig
from autograder.packaging import RECORDED_REFERENCE, package_files, relative_entries, write_zip

HERE = Path(__file__).resolve().parent


def build_autograder_zip(out: Path, config: GradescopeConfig) -> list[str]:
    """Write the zip; returns its entry names."""
    names = config.assignments or list(ASSIGNMENTS)
    entries: dict[str, Path | str] = {
        "setup.sh": HERE / "setup.sh",
        "run_autograder": HERE / "run_autograder",
        "constraints.txt": PROJECT_ROOT / "constraints.txt",
        CONFIG_NAME: config.dumps(),
    }
    others = [name for name in ASSIGNMENTS if name not in names]   # their hidden checks stay out of this zip
    entries.update(relative_entries(package_files(exclude=[RECORDED_REFERENCE, *hidden_paths(others)])))
    for name in names:
        folder = SOLUTIONS_DIR / name
        entries.update({f"solutions/{name}/{p.relative_to(folder).as_posix()}": p
                        for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts})
    return write_zip(out, entries, executable={"setup.sh", "run_autograder"})
