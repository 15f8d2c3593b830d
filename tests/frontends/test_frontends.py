"""The Otter-Grader and pytest front-ends run the very same checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.course import SOLUTIONS_DIR
from autograder.frontends.otter import export
from autograder.registry import checks_for

BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.fixture(scope="module")
def otter_zip(tmp_path_factory):
    """`autograder otter export` + `otter generate` for a1_init and a3_train (hidden checks included)."""
    pytest.importorskip("otter")
    folder = tmp_path_factory.mktemp("otter")
    export(folder, ["a1_init", "a3_train"])
    done = _run([str(BIN / "otter"), "generate", "-t", "tests", "-o", "autograder.zip",
                 "--no-requirements", "--no-environment"], folder)
    assert done.returncode == 0, done.stderr
    return folder / "autograder.zip"


def _otter_run(zip_path: Path, student_file: Path, workdir: Path) -> dict[str, float]:
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / student_file.name
    shutil.copy(student_file, target)
    done = _run([str(BIN / "otter"), "run", "-a", str(zip_path), str(target), "-o", str(workdir), "--no-logo"], workdir)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((workdir / "results.json").read_text())
    return {t["name"]: t["score"] for t in results["tests"] if "max_score" in t}


def test_generated_files_are_thin_wrappers(tmp_path):
    written = export(tmp_path, ["a1_init"])
    text = written[0].read_text()
    assert "OK_FORMAT = False" in text and "@test_case(" in text and "hidden=True" in text
    assert text.count("run_check(env,") == text.count("@test_case(")
    assert "assert" not in text.split("REFERENCE =")[1]  # no hand-written check logic


def test_otter_run_reference_full_marks(otter_zip, tmp_path):
    scores = _otter_run(otter_zip, SOLUTIONS_DIR / "a1_init" / "initializers.py", tmp_path)
    assert scores["a1_init"] == 55
    scores = _otter_run(otter_zip, SOLUTIONS_DIR / "a3_train" / "fashion.py", tmp_path / "a3")
    assert scores["a3_train"] == 40  # differential checks replay the recorded reference outcomes


def test_otter_run_mutant_loses_the_right_points(otter_zip, tmp_path):
    mutant = mutant_of("a1_init", "fans_accept_1d")
    folder = write_submission(tmp_path / "m", "a1_init", mutant.source)
    scores = _otter_run(otter_zip, folder / "initializers.py", tmp_path / "run")
    assert scores["a1_init"] == 54  # check 1.3 (1 point) fails, nothing else


def test_otter_check_for_students(tmp_path):
    pytest.importorskip("otter")
    export(tmp_path, ["a1_init"], include_hidden=False)
    shutil.copy(SOLUTIONS_DIR / "a1_init" / "initializers.py", tmp_path)
    done = _run([str(BIN / "otter"), "check", "initializers.py", "-t", "tests", "-q", "a1_init"], tmp_path)
    assert "All tests passed" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], tmp_path)


def test_pytest_plugin_passes_on_the_reference(tmp_path):
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "-q")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "autograder: 55 / 55 points in 25 checks" in done.stdout


def test_pytest_plugin_fails_a_mutant_with_the_feedback(tmp_path):
    mutant = mutant_of("a1_init", "xavier_fan_in_only")
    folder = write_submission(tmp_path / "m", "a1_init", mutant.source)
    done = _pytest(tmp_path, "--submission", str(folder), "-q", "-k", "xavier_normal_")
    assert done.returncode == 1
    assert "did you use fan_in alone instead of fan_in + fan_out?" in done.stdout
    assert "deselected" in done.stdout


def test_pytest_plugin_header_counts_and_node_ids(tmp_path):
    """The header counts the checks it collected and selected; node ids read a1_init::<number> <name>."""
    total = len(checks_for("a1_init"))
    selected = [c for c in checks_for("a1_init") if "xavier_normal_" in c.name]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "-k", "xavier_normal_")
    assert (f"collected {total} items / {total - len(selected)} deselected / {len(selected)} selected"
            in done.stdout), done.stdout[:800]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "-q")
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert len(ids) == total and all(line.startswith("a1_init::") for line in ids), done.stdout[:500]


def test_pytest_plugin_without_sandbox_matches(tmp_path):
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a2_split"), "--no-sandbox", "-q")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "autograder: 32 / 32 points" in done.stdout
