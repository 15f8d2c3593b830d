"""``autograder new`` and ``autograder validate`` as an instructor uses them: a throwaway assignment is
scaffolded in a copy of the project, validated, graded through ``grade`` and the Gradescope emulator, and
removed, and nothing else of the project changed on the way."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.authoring.scaffold import ScaffoldError, new_assignment
from autograder.course import PROJECT_ROOT
from tests.support.gradescope_emulator import run_gradescope

NAME = "a9_demo"
#: What the project is made of, copied for the throwaway assignment (caches left out).
PROJECT_PARTS = ("autograder", "solutions", "assignments", "tests/corpus", "pyproject.toml", "constraints.txt")
#: The only places an assignment lives (the stub folder is generated from the solution).
ASSIGNMENT_PLACES = (f"autograder/course/{NAME}", f"solutions/{NAME}", f"tests/corpus/{NAME}", f"assignments/{NAME}")


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _autograder(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m autograder ARGS`` run from the copy, importing the copy's package."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    env.pop("AUTOGRADER_SOLUTIONS", None)
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__", "*.zip"))
        else:
            shutil.copy2(source, root / part)
    return root


def test_a_new_assignment_grades_end_to_end_and_leaves_the_rest_untouched(project, tmp_path):
    before = _snapshot(project)
    made = _autograder(project, "new", NAME, "--title", "A demo assignment")
    assert made.returncode == 0, made.stderr
    after = _snapshot(project)
    assert not [p for p in before if after.get(p) != before[p]], "an existing file was changed or removed"
    added = sorted(set(after) - set(before))
    assert added and all(any(p.startswith(place + "/") for place in ASSIGNMENT_PLACES) for p in added), added
    assert {p.split("/")[-1] for p in added} >= {"__init__.py", "probes.py", "checks.py", "hidden.py", "judge.py",
                                                 "demo.py", "README.md", "corpus.toml"}

    validated = _autograder(project, "validate", NAME, "--jobs", "1")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    rows = {line.split()[2]: line.split()[0] for line in validated.stdout.splitlines() if line[2:6] in ("ok  ", "FAIL")}
    assert rows == {f"tests/corpus/{NAME}": "ok", f"solutions/{NAME}": "ok", f"assignments/{NAME}": "ok",
                    "absolute_value": "ok", "changes_input": "ok", "where": "ok"}, validated.stdout
    assert "6 of 6 rows as expected" in validated.stdout, validated.stdout

    graded = _autograder(project, "grade", "solutions", "--assignment", NAME, "--out", str(tmp_path / "results.json"))
    assert graded.returncode == 0, graded.stdout + graded.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 4 and len(results["tests"]) == 3

    stubs = _autograder(project, "stubs", "--check")
    assert stubs.returncode == 0, stubs.stderr

    zipped = _autograder(project, "gradescope", "--assignment", NAME, "--out", str(tmp_path / "demo.zip"))
    assert zipped.returncode == 0, zipped.stderr
    run = run_gradescope(tmp_path / "demo.zip", project / "solutions" / NAME, tmp_path / "gradescope")
    assert run.results["score"] == 4, run.stdout
    assert [t["max_score"] for t in run.results["tests"]] == [2, 1, 1]

    for place in ASSIGNMENT_PLACES:
        shutil.rmtree(project / place)
    assert _snapshot(project) == before


def test_new_refuses_a_bad_name_and_an_existing_assignment(tmp_path):
    with pytest.raises(ScaffoldError, match="aN_topic"):
        new_assignment("Demo", "x", root=tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        new_assignment("a1_init", "x", root=PROJECT_ROOT)
    assert not (tmp_path / "solutions").exists()
