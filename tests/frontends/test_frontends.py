"""The Otter-Grader and pytest front-ends run the very same checks, and charge each mistake once as
``autograder grade`` does (issue 24: the file below scored 45 / 55 in grade, 42 / 55 through both)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.charges import charge_once, charged_once
from autograder.course import SOLUTIONS_DIR
from autograder.frontends.inprocess import import_file
from autograder.frontends.otter import export, run_check
from autograder.registry import checks_for
from autograder.results import CheckResult

BIN = Path(sys.executable).parent
#: a1's kaiming initializers use the wrong fan: checks 4.1, 4.2, 5.1 and 5.2 lose their 10 points, and the
#: hidden repeat 8.3 (which also repeats 1.2, passed) does not charge the mistake again: 45 / 55.
SWAPPED = "kaiming_fans_swapped"


@pytest.fixture(scope="module")
def swapped(tmp_path_factory) -> Path:
    return write_submission(tmp_path_factory.mktemp("swapped"), "a1_init", mutant_of("a1_init", SWAPPED).source)


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


def test_otter_run_charges_a_mistake_once_as_grade_does(otter_zip, swapped, grader, tmp_path):
    """Each test case is judged alone, but a failed repeat reads the verdicts of the checks it repeats."""
    assert grader.grade(swapped, ["a1_init"]).score == 45
    assert _otter_run(otter_zip, swapped / "initializers.py", tmp_path)["a1_init"] == 45


def test_otter_checks_write_to_the_students_environment(tmp_path):
    """a2's loaders probe replaces split_indices in the module to record the calls make_loaders makes:
    under Otter that must reach the globals make_loaders reads, or an unseeded split_indices (charged in
    2.2 alone) fails make_loaders' check 5.1 as well."""
    folder = write_submission(tmp_path, "a2_split", mutant_of("a2_split", "global_rng").source)
    env = vars(import_file(folder / "split.py", "split"))
    run_check(env, "a2_split", "5.1")
    with pytest.raises(AssertionError, match="seed"):
        run_check(env, "a2_split", "2.2")


def _result(number: str, score: float, points: float = 2.0) -> CheckResult:
    return CheckResult("a1_init", number, "", points, score, "what it saw")


def test_charged_once_is_one_pure_rule():
    """A failed repeat gets its points back when a check it repeats lost points and another passed."""
    repeat = _result("8.3", 0.0, 3.0)
    given = charged_once(repeat, [_result("4.1", 0.0), _result("4.3", 2.0)])
    assert given.score == 3.0 and repeat.score == 0.0
    assert given.output.startswith("Not charged again: check 4.1 already took points") and "what it saw" in given.output
    assert charged_once(repeat, [_result("4.1", 0.0), _result("4.3", 1.0)]) is repeat  # fails everywhere: charged
    assert charged_once(repeat, [_result("4.1", 2.0)]) is repeat  # a mistake of its own
    results = [_result("4.1", 0.0), _result("4.2", 2.0), repeat]  # a1's 8.3 repeats 4.1 and 4.2 (and others)
    charge_once(results)
    assert [r.score for r in results] == [0.0, 2.0, 3.0]


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


def test_pytest_plugin_named_with_p_is_the_installed_one(tmp_path):
    """``-p autograder.frontends.pytest_plugin`` (how a checkout without the package installed loads it)
    must not clash with the installed entry point."""
    done = _pytest(tmp_path, "-p", "autograder.frontends.pytest_plugin", "--submission",
                   str(SOLUTIONS_DIR / "a1_init"), "-q", "-k", "1.1")
    assert done.returncode == 0 and "autograder: 2 / 2 points in 1 checks" in done.stdout, done.stdout[-2000:]


def test_pytest_plugin_says_a_machine_problem_once(tmp_path):
    """A grader that cannot grade here (a missing dependency) stops the run with one line, exit 3, as
    ``autograder grade`` does, instead of one error per check."""
    script = textwrap.dedent(f"""
        import pytest
        from autograder import preflight
        preflight.REQUIRED_MODULES += ("no_such_module_here",)
        raise SystemExit(pytest.main(["-p", "no:cacheprovider", "-q", "--submission",
                                      {str(SOLUTIONS_DIR / "a1_init")!r}]))
    """)
    done = _run([sys.executable, "-c", script], tmp_path)
    assert done.returncode == 3, done.stdout[-2000:] + done.stderr[-2000:]
    said = done.stdout + done.stderr
    assert said.count("missing dependencies: no_such_module_here") == 1 and "Traceback" not in said, said[-2000:]


def test_pytest_plugin_fails_a_mutant_with_the_feedback(tmp_path):
    mutant = mutant_of("a1_init", "xavier_fan_in_only")
    folder = write_submission(tmp_path / "m", "a1_init", mutant.source)
    done = _pytest(tmp_path, "--submission", str(folder), "-q", "-k", "xavier_normal_")
    assert done.returncode == 1
    assert "did you use fan_in alone instead of fan_in + fan_out?" in done.stdout
    assert "deselected" in done.stdout


def test_pytest_plugin_header_counts_and_node_ids(tmp_path):
    """The header counts the checks it collected and selected; node ids read a1_init::<number> <name>,
    and as arguments they select checks (a whole assignment, a number, or a full id)."""
    total = len(checks_for("a1_init"))
    selected = [c for c in checks_for("a1_init") if "xavier_normal_" in c.name]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "-k", "xavier_normal_")
    assert (f"collected {total} items / {total - len(selected)} deselected / {len(selected)} selected"
            in done.stdout), done.stdout[:800]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "-q")
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert len(ids) == total and all(line.startswith("a1_init::") for line in ids), done.stdout[:500]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "a1_init::1.3", ids[3])
    assert "collected 2 items" in done.stdout and "<CheckItem 1.3 " in done.stdout, done.stdout[:800]
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a1_init"), "--collect-only", "a1_init")
    assert f"collected {total} items" in done.stdout, done.stdout[:800]


@pytest.mark.parametrize("args, says", [
    (["--submission", "nope.py"], "--submission nope.py: no such file or folder"),
    (["--submission", str(SOLUTIONS_DIR / "a1_init"), "--assignment", "a9_none"], "unknown assignment 'a9_none'"),
    (["--submission", "."], "no assignment's file found (expected one of initializers.py"),
    (["--submission", str(SOLUTIONS_DIR / "a1_init"), "a1_init::9.9"], "not found: a1_init::9.9"),
], ids=["missing path", "unknown assignment", "no student file", "unknown node id"])
def test_pytest_plugin_usage_errors_are_one_line(tmp_path, args, says):
    (tmp_path / "notes.txt").write_text("not a submission")
    done = _pytest(tmp_path, *args)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], done.stderr


def test_pytest_plugin_grades_a_zip_as_grade_does_and_a_bad_zip_is_a_usage_error(tmp_path):
    with zipfile.ZipFile(tmp_path / "upload.zip", "w") as archive:
        archive.write(SOLUTIONS_DIR / "a1_init" / "initializers.py", "hw/initializers.py")
    done = _pytest(tmp_path, "--submission", "upload.zip", "-q", "-k", "1.")
    assert done.returncode == 0 and "autograder: 5 / 5 points in 3 checks" in done.stdout, done.stdout[-2000:]
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    done = _pytest(tmp_path, "--submission", "bad.zip")
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == pytest.ExitCode.USAGE_ERROR and len(lines) == 1, done.stderr
    assert "bad.zip is not a zip that can be unpacked" in lines[0]


def test_pytest_plugin_without_sandbox_charges_a_mistake_once_as_grade_does(swapped, grader, tmp_path):
    """Sandboxed, the items read grade's own report (test_agreement.py); in-process, the same rule decides."""
    assert grader.grade(swapped, ["a1_init"]).score == 45
    done = _pytest(tmp_path, "--submission", str(swapped), "-q", "--no-sandbox")
    assert "autograder: 45 / 55 points in 25 checks" in done.stdout, done.stdout[-3000:]


def test_pytest_plugin_grades_what_a_selected_repeat_repeats(tmp_path):
    """With -k 8.3 alone, the checks 8.3 repeats are graded too (not reported), so it is charged once;
    -rP shows a passed check's feedback, and the report's notes close the run."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "hw1_initializers.py").write_text(mutant_of("a1_init", SWAPPED).source)
    done = _pytest(tmp_path, "--submission", str(tmp_path / "m"), "-q", "-k", "8.3", "-rP")
    assert "1 passed, 24 deselected" in done.stdout, done.stdout[-3000:]
    assert "Not charged again: check 4.1, 4.2, 5.1, 5.2 already took points" in done.stdout
    assert "autograder: hw1_initializers.py was graded as initializers.py." in done.stdout
    assert "autograder: 3 / 3 points in 1 checks" in done.stdout


def test_pytest_plugin_keeps_its_grader_between_runs_in_one_process(tmp_path):
    """pytest run again in one process (an IDE, the agreement test's driver) reuses the fork servers."""
    script = textwrap.dedent(f"""
        import pytest
        from autograder.frontends import pytest_plugin
        kept = []
        for _ in range(2):
            args = ["-p", "no:cacheprovider", "-q", "--submission", {str(SOLUTIONS_DIR / "a1_init")!r}, "a1_init::1.1"]
            assert pytest.main(args) == 0
            kept += pytest_plugin._kept.values()
        assert len(kept) == 2 and kept[0] is kept[1], kept
        print("kept")
    """)
    done = _run([sys.executable, "-c", script], tmp_path)
    assert done.stdout.strip().endswith("kept"), done.stdout[-2000:] + done.stderr[-2000:]


def test_pytest_plugin_without_sandbox_matches(tmp_path):
    done = _pytest(tmp_path, "--submission", str(SOLUTIONS_DIR / "a2_split"), "--no-sandbox", "-q")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "autograder: 32 / 32 points" in done.stdout
