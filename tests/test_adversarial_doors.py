"""Issue 25's attacks through the other doors: a class graded by `grade-all --jobs 2` and a Gradescope
upload run in the emulated /autograder tree. Each must come out as it does through `grade`
(tests/test_adversarial.py): the checks the attack must fail are failed, nothing is a grader fault,
and results.json is valid."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from autograder.authoring.corpus import write_submission
from autograder.batch import grade_all
from autograder.course import PROJECT_ROOT
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import GradescopeConfig
from tests.support.gradescope_emulator import run_gradescope
from tests.support.gradescope_schema import validate_results
from tests.test_adversarial import ADVERSARIAL_DIR, ATTACKS, _source, load_attack

#: One student per attack, each with the checks it must lose.
STUDENTS = ["untrained_comparison", "closed_form_fit", "forged_internal_error", "dead_start_comparison"]


def _attack(name: str):
    return load_attack(ADVERSARIAL_DIR / f"{name}.py")


def _must_lose(name: str) -> set[str]:
    attack = _attack(name)
    return set(attack.expect_fail) | (set(attack.only) if attack.expect_max == 0 else set())


def _write(folder: Path, name: str) -> Path:
    attack = _attack(name)
    return write_submission(folder, attack.assignment, _source(attack, {}))


def test_grade_all_with_two_jobs_charges_every_attack(tmp_path):
    for name in STUDENTS:
        _write(tmp_path / "class" / name, name)
    batch = grade_all(tmp_path / "class", jobs=2, assignments=sorted({_attack(n).assignment for n in STUDENTS}),
                      progress=False)
    reports = {r.submission: r for r in batch.reports}
    for name in STUDENTS:
        report, attack = reports[name], _attack(name)
        assert not report.errors, f"{name}: {report.errors}"
        lost = {r.number for r in report.results if r.assignment == attack.assignment and r.score < r.max_score}
        assert _must_lose(name) <= lost, f"{name} kept {sorted(_must_lose(name) - lost)}"


@pytest.mark.parametrize("names", [["untrained_comparison", "closed_form_fit"]], ids=["a4-a5"])
def test_the_gradescope_upload_charges_every_attack(tmp_path, names):
    archive = tmp_path / "autograder.zip"
    build_autograder_zip(archive, GradescopeConfig(["a4_vanishing", "a5_approx"], jobs=2))
    upload = tmp_path / "upload"
    for name in names:
        _write(upload, name)
    run = run_gradescope(archive, upload, tmp_path / "run")
    validate_results(run.results)
    assert "autograder failed" not in run.results["output"].lower()
    lost = {t["number"] for t in run.results["tests"] if t["score"] < t["max_score"]}
    positions = {"a4_vanishing": 4, "a5_approx": 5}  # several assignments: numbers carry the position
    for name in names:
        attack = _attack(name)
        wanted = {f"{positions[attack.assignment]}.{number}" for number in _must_lose(name)}
        assert wanted <= lost, f"{name} kept {sorted(wanted - lost)}"


@pytest.mark.slow
def test_grade_all_with_two_jobs_holds_against_every_attack(tmp_path):
    """Every attack of tests/adversarial/ as one student of a class graded by `grade-all --jobs 2` (all
    checks of its assignment, where `grade` runs the attack's own): a valid report, no grader fault, no
    escape sequence, the checks it must lose lost, and no more than its ceiling on the checks it names."""
    attacks = [load_attack(path) for path in ATTACKS]
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        for attack in attacks:
            scratch = tmp_path / "scratch" / attack.name
            (scratch / "markers").mkdir(parents=True)
            fill = {"RESULTS": str(scratch / "results.json"), "PROJECT": str(PROJECT_ROOT),
                    "SUBMISSION": str(tmp_path / "class" / attack.name), "MARKERS": str(scratch / "markers"),
                    "PORT": str(listener.getsockname()[1]),
                    "SECRET_FILES": repr([f.replace("@PROJECT@", str(PROJECT_ROOT)) for f in attack.secret_files])}
            write_submission(tmp_path / "class" / attack.name, attack.assignment, _source(attack, fill))
        batch = grade_all(tmp_path / "class", jobs=2, assignments=sorted({a.assignment for a in attacks}),
                          progress=False)
    reports = {r.submission: r for r in batch.reports}
    for attack in attacks:
        report = reports[attack.name]
        validate_results(report.to_gradescope())
        assert not report.errors, f"{attack.name}: {report.errors}"
        assert "\x1b" not in report.to_table(), f"{attack.name} reached the terminal with an escape sequence"
        own = [r for r in report.results if r.assignment == attack.assignment]
        lost = {r.number for r in own if r.score < r.max_score}
        assert _must_lose(attack.name) <= lost, f"{attack.name} kept {sorted(_must_lose(attack.name) - lost)}"
        if attack.expect_max is not None:
            named = sum(r.score for r in own if r.number in attack.only)
            assert named <= attack.expect_max, f"{attack.name} gained {named} on {attack.only}"
