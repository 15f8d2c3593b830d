"""The Gradescope autograder zip, run in an emulated /autograder tree."""

from __future__ import annotations

import contextlib
import io
import json
import re
import stat
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import autograder.gradescope
from autograder.authoring.corpus import mutant_of, write_submission
from autograder.cli import main
from autograder.course import ASSIGNMENTS, PROJECT_ROOT, SOLUTIONS_DIR, STUDENT_DIR
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import ONE_ZIP_MEMORY, GradescopeConfig
from autograder.results import Report
from tests.support.gradescope_emulator import EmulatedRun, run_gradescope
from tests.support.gradescope_schema import validate_results

A1_REFERENCE = SOLUTIONS_DIR / "a1_init" / "initializers.py"


@dataclass
class Command:
    status: int
    stdout: str
    stderr: str


def _autograder(*argv: str) -> Command:
    """``autograder ARGV`` in this process, its output captured (module-scoped fixtures cannot use capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exit
            status = exc.code
    return Command(status, out.getvalue(), err.getvalue())


def _secrets_of(names: list[str]) -> set[str]:
    """The assignments whose hidden checks or reference solutions a zip holds."""
    return {name for name in ASSIGNMENTS for entry in names
            if entry == f"autograder/course/{name}/hidden.py" or entry.startswith(f"solutions/{name}/")}


@pytest.fixture(scope="module")
def tried(tmp_path_factory) -> tuple[Path, Command]:
    """`autograder gradescope --try` on the a1 reference file; its zip is the one the other tests run."""
    out = tmp_path_factory.mktemp("zip") / "a1.zip"
    return out, _autograder("gradescope", "--assignment", "a1_init", "--visibility", "after_published", "--jobs", "2",
                            "--out", str(out), "--try", str(A1_REFERENCE))


@pytest.fixture(scope="module")
def a1_zip(tried) -> Path:
    return tried[0]


def test_zip_layout_follows_the_gradescope_spec(a1_zip):
    with zipfile.ZipFile(a1_zip) as archive:
        names = archive.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "gradescope.json", "constraints.txt"} <= set(names)
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert {"solutions/a1_init/initializers.py", "autograder/course/a1_init/hidden.py"} <= set(names)
    assert _secrets_of(names) == {"a1_init"}, "another assignment's hidden checks or solution is in the a1 zip"
    setup = (SOLUTIONS_DIR.parent / "autograder" / "gradescope" / "setup.sh").read_text()
    assert "download.pytorch.org/whl/cpu" in setup and "autograder data --install" in setup


def test_try_on_the_reference_file_gives_full_marks(tried):
    out, command = tried
    assert command.status == 0, command.stdout + command.stderr
    assert re.search(r"PASS +a1_init +8\.4 ", command.stdout), command.stdout   # the per-check table
    kept = out.with_suffix(".results.json")
    assert f"results.json: {kept} (score 55 / 55" in command.stdout
    results = json.loads(kept.read_text())
    validate_results(results)
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) == 55
    assert results["visibility"] == "after_published"
    # Gradescope's "hidden" is never shown to students: hidden checks appear once grades are published
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}


def test_all_builds_one_zip_per_assignment_with_only_its_own_secrets(tmp_path):
    command = _autograder("gradescope", "--assignment", "all", "--out", str(tmp_path / "autograder.zip"))
    assert command.status == 0, command.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"autograder-{name}.zip" for name in ASSIGNMENTS)
    for name in ASSIGNMENTS:
        with zipfile.ZipFile(tmp_path / f"autograder-{name}.zip") as archive:
            names = archive.namelist()
            assert json.loads(archive.read("gradescope.json"))["assignments"] == [name]
        assert _secrets_of(names) == {name}, name


def test_gradescope_without_assignment_says_why_in_one_line():
    command = _autograder("gradescope")
    assert command.status == 2 and not command.stdout
    assert command.stderr.count("\n") == 1 and "--assignment" in command.stderr and ONE_ZIP_MEMORY in command.stderr
    readme = (PROJECT_ROOT / "README.md").read_text()
    figures = re.findall(r"[\d-]+ MB", ONE_ZIP_MEMORY)
    assert figures and all(figure in readme for figure in figures), "the README says another figure"


@pytest.mark.parametrize("argv, said", [
    (["--assignment", "all", "--try", str(A1_REFERENCE)], "instead of 'all'"),
    (["--assignment", "a1_init", "--try", "/nonexistent/initializers.py"], "no such submission"),
    (["--assignment", "a1_init", "--try", "UPLOAD/not-a.zip"], "not a zip"),
])
def test_try_refuses_what_it_cannot_run_in_one_line(tmp_path, argv, said):
    (tmp_path / "not-a.zip").write_text("print('a zip this is not')\n")
    argv = [a.replace("UPLOAD", str(tmp_path)) for a in argv]
    command = _autograder("gradescope", "--out", str(tmp_path / "a1.zip"), *argv)
    assert command.status == 2 and said in command.stderr and command.stderr.count("\n") == 1, command.stderr


def test_try_exits_3_when_the_autograder_cannot_start(tmp_path, monkeypatch):
    """run_autograder's fallback results.json is kept, but the autograder failed: not the student's score."""
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    command = _autograder("gradescope", "--assignment", "a1_init", "--out", str(tmp_path / "a1.zip"),
                          "--try", str(A1_REFERENCE))
    assert command.status == 3 and "the autograder failed" in command.stderr, command.stderr
    validate_results(json.loads((tmp_path / "a1.results.json").read_text()))


def test_results_of_a_grader_fault_are_the_autograders_failure_not_a_score():
    failed = Report("sub", errors=["a1_init 9.9: KeyError: 'layers'"]).to_gradescope()
    said_by_the_student = Report("sub", notes=["The autograder failed, says my file"]).to_gradescope()
    assert EmulatedRun(failed, 0.0, "", Path()).grader_failed
    assert not EmulatedRun(said_by_the_student, 0.0, "", Path()).grader_failed


def test_try_exits_3_past_the_timeout(tmp_path):
    command = _autograder("gradescope", "--assignment", "a1_init", "--out", str(tmp_path / "a1.zip"),
                          "--try", str(A1_REFERENCE), "--timeout", "1")
    assert command.status == 3 and "did not finish within 1 s" in command.stderr, command.stderr


def test_stub_zip_gets_zero_with_not_implemented(a1_zip, tmp_path):
    """An uploaded zip is unpacked with its folders, as Gradescope stores it."""
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.write(STUDENT_DIR / "a1_init" / "initializers.py", "a1_init/initializers.py")
    run = run_gradescope(a1_zip, upload, tmp_path)
    assert (run.root / "submission" / "a1_init" / "initializers.py").is_file()
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
