"""The Gradescope autograder zip, run in an emulated /autograder tree."""

from __future__ import annotations

import stat
import textwrap
import zipfile
from pathlib import Path

import pytest

import autograder.gradescope
from autograder.authoring.corpus import mutant_of, write_submission
from autograder.course import SOLUTIONS_DIR, STUDENT_DIR
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import GradescopeConfig
from tests.support.gradescope_emulator import run_gradescope
from tests.support.gradescope_schema import validate_results


@pytest.fixture(scope="module")
def a1_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    build_autograder_zip(out, GradescopeConfig(["a1_init"], visibility="after_published", jobs=2))
    return out


def test_zip_layout_follows_the_gradescope_spec(a1_zip):
    with zipfile.ZipFile(a1_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "gradescope.json", "constraints.txt"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert "solutions/a1_init/initializers.py" in names and not any(n.startswith("solutions/a2") for n in names)
    assert "autograder/course/a1_init/hidden.py" in names and "autograder/course/a2_split/hidden.py" not in names
    setup = (SOLUTIONS_DIR.parent / "autograder" / "gradescope" / "setup.sh").read_text()
    assert "download.pytorch.org/whl/cpu" in setup and "autograder data --install" in setup


def test_reference_gets_full_marks(a1_zip, tmp_path):
    run = run_gradescope(a1_zip, SOLUTIONS_DIR / "a1_init", tmp_path)
    validate_results(run.results)
    assert run.results["score"] == sum(t["max_score"] for t in run.results["tests"]) == 55
    assert run.results["visibility"] == "after_published"
    # Gradescope's "hidden" is never shown to students: hidden checks appear once grades are published
    assert {t["visibility"] for t in run.results["tests"]} == {"visible", "after_published"}


def test_stub_gets_zero_with_not_implemented(a1_zip, tmp_path):
    run = run_gradescope(a1_zip, STUDENT_DIR / "a1_init", tmp_path)
    validate_results(run.results)
    assert run.results["score"] == 0
    assert all(t["output"].startswith('<div style="white-space: pre-wrap">Not implemented yet') for t in run.results["tests"])


def test_mutant_loses_exactly_its_points(a1_zip, tmp_path):
    mutant = mutant_of("a1_init", "fans_accept_1d")
    run = run_gradescope(a1_zip, write_submission(tmp_path / "sub", "a1_init", mutant.source), tmp_path)
    validate_results(run.results)
    lost = [t["number"] for t in run.results["tests"] if t["status"] == "failed"]
    assert lost == ["1.3"] and run.results["score"] == 54


@pytest.mark.parametrize("body, within_s", [
    ("import os\nos._exit(0)\n", 60),
    ("while True:\n    pass\n", 90),
    ("import sys\nsys.exit(1)\n", 60),
])
def test_hostile_import_still_yields_valid_results_in_time(a1_zip, tmp_path, body, within_s):
    submission = write_submission(tmp_path / "sub", "a1_init", textwrap.dedent(body))
    run = run_gradescope(a1_zip, submission, tmp_path, timeout_s=within_s)
    validate_results(run.results)
    assert run.results["score"] == 0 and len(run.results["tests"]) == 25
    assert run.seconds < within_s


def test_broken_python_still_writes_results(a1_zip, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    run = run_gradescope(a1_zip, SOLUTIONS_DIR / "a1_init", tmp_path)
    validate_results(run.results)
    assert run.results["score"] == 0 and "failed to start" in run.results["output"]


def test_hidden_checks_are_unreadable_to_others_after_run(a1_zip, tmp_path):
    run = run_gradescope(a1_zip, SOLUTIONS_DIR / "a1_init", tmp_path)
    mode = (run.root / "source").stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)


def test_a3_reference_trains_within_gradescope_memory_cap(tmp_path):
    """run_autograder caps each call at 256 MB above what it shares; the 2-epoch training fits."""
    out = tmp_path / "a3.zip"
    build_autograder_zip(out, GradescopeConfig(["a3_train"]))
    run = run_gradescope(out, SOLUTIONS_DIR / "a3_train", tmp_path)
    validate_results(run.results)
    assert run.results["score"] == 40, [t["output"] for t in run.results["tests"] if t["status"] == "failed"]


def test_hidden_visibility_is_the_instructors_choice(tmp_path):
    out = tmp_path / "hidden.zip"
    build_autograder_zip(out, GradescopeConfig(["a1_init"], hidden_visibility="hidden"))
    run = run_gradescope(out, SOLUTIONS_DIR / "a1_init", tmp_path)
    validate_results(run.results)
    hidden = [t for t in run.results["tests"] if t["number"].startswith("8.")]
    assert hidden and {t["visibility"] for t in hidden} == {"hidden"}
    with pytest.raises(ValueError, match="hidden_visibility"):
        GradescopeConfig(["a1_init"], hidden_visibility="visible")


def test_test_numbers_are_unique_across_assignments(grader):
    """Several assignments in one zip: numbers get the assignment's position (1.1.1, 2.1.1, ...)."""
    report = grader.grade(SOLUTIONS_DIR, ["a1_init", "a2_split"], only={"1.1", "1.2"})
    numbers = [t["number"] for t in report.to_gradescope()["tests"]]
    assert numbers == ["1.1.1", "1.1.2", "2.1.1", "2.1.2"]
    assert [t["number"] for t in grader.grade(SOLUTIONS_DIR, ["a1_init"], only={"1.1"}).to_gradescope()["tests"]] == ["1.1"]


def test_setup_installs_every_module_the_grader_requires():
    """setup.sh builds the Gradescope image: a module the preflight requires but the image lacks would
    make every submission fail with "the grading machine is not ready"."""
    from autograder.preflight import REQUIRED_MODULES

    setup = (Path(autograder.gradescope.__file__).parent / "setup.sh").read_text()
    installed = {word for line in setup.splitlines() if '"$PIP" install' in line for word in line.split()}
    pip_names = {"yaml": "pyyaml"}
    missing = [m for m in REQUIRED_MODULES if pip_names.get(m, m) not in installed]
    assert not missing, f"setup.sh does not install {missing}"
