"""Issue 25's attacks through the other doors: a class graded by `grade-all --jobs 2` and a Gradescope
upload run in the emulated /autograder tree. Each must come out as it does through `grade`
(tests/test_adversarial.py): the checks the attack must fail are failed, nothing is a grader fault,
and results.json is valid."""

from __future__ import annotations

import json
import math
import socket
import time
from pathlib import Path

import pytest

from autograder.authoring.corpus import write_submission
from autograder.batch import grade_all
from autograder.course import PROJECT_ROOT
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import GradescopeConfig
from tests.support.gradescope_emulator import run_gradescope
from tests.support.gradescope_schema import validate_results
from tests.test_adversarial import (ADVERSARIAL_DIR, ATTACKS, Attack, _source, accepted, fill_of, load_attack,
                                    secrets_of)

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
            submission = tmp_path / "class" / attack.name
            fill = fill_of(attack, PROJECT_ROOT, submission, scratch / "results.json", scratch / "markers", listener)
            write_submission(submission, attack.assignment, _source(attack, fill))
        batch = grade_all(tmp_path / "class", jobs=2, assignments=sorted({a.assignment for a in attacks}),
                          progress=False)
    reports = {r.submission: r for r in batch.reports}
    for attack in attacks:
        report = reports[attack.name]
        validate_results(report.to_gradescope())
        assert not report.errors, f"{attack.name}: {report.errors}"
        assert "\x1b" not in report.to_table(), f"{attack.name} reached the terminal with an escape sequence"
        own = [r for r in report.results if r.assignment == attack.assignment]
        _assert_charged(attack, {r.number: r.score for r in own}, {r.number: r.max_score for r in own})


def _assert_charged(attack: Attack, scores: dict[str, float], max_scores: dict[str, float]) -> None:
    """The checks the attack must lose are lost, and it gains no more than its ceiling on those it names."""
    lost = {number for number, score in scores.items() if score < max_scores[number]}
    assert _must_lose(attack.name) <= lost, f"{attack.name} kept {sorted(_must_lose(attack.name) - lost)}"
    if attack.expect_max is not None:
        named = sum(score for number, score in scores.items() if number in attack.only)
        assert named <= attack.expect_max, f"{attack.name} gained {named} on {attack.only}"


@pytest.fixture(scope="module")
def autograder_zips(tmp_path_factory) -> dict[str, Path]:
    """One Gradescope autograder zip per assignment that an attack targets."""
    folder = tmp_path_factory.mktemp("zips")
    zips = {}
    for assignment in sorted({load_attack(path).assignment for path in ATTACKS}):
        zips[assignment] = folder / f"{assignment}.zip"
        build_autograder_zip(zips[assignment], GradescopeConfig([assignment], jobs=2))
    return zips


@pytest.mark.slow
@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem)
def test_the_gradescope_upload_holds_against_every_attack(autograder_zips, tmp_path, path):
    """Every attack of tests/adversarial/ uploaded alone to its assignment's autograder, run as Gradescope
    runs it (the emulated /autograder tree, run_autograder for real, as root where the tests run as root):
    a valid results.json that the attack did not replace, no "autograder failed", no escape sequence in
    the output or the log, the checks it must lose lost, its ceiling kept, no marker of an escape, no
    connection to a listener on 127.0.0.1, and none of the grader's own files it reads in the feedback."""
    attack = load_attack(path)
    root = tmp_path / "run" / "autograder"          # where run_gradescope lays the tree out
    markers = tmp_path / "markers"
    markers.mkdir()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        fill = fill_of(attack, root / "source", root / "submission", root / "results" / "results.json", markers,
                       listener)
        write_submission(tmp_path / "upload", attack.assignment, _source(attack, fill))
        run = run_gradescope(autograder_zips[attack.assignment], tmp_path / "upload", tmp_path / "run")
        if attack.daemon:
            time.sleep(1.5)  # a surviving daemon would strike now
        connected = accepted(listener)
    assert run.results is not None, run.stdout[-2000:]
    validate_results(run.results)
    assert "autograder failed" not in run.results["output"].lower(), run.results["output"][:2000]
    written = (root / "results" / "results.json").read_text()
    assert json.loads(written) == run.results, "results.json was replaced after grading"
    assert math.isclose(run.results["score"], sum(t["score"] for t in run.results["tests"])), "a forged results.json"
    assert "\x1b" not in run.stdout and "\\u001b" not in written, f"{attack.name}: an escape sequence got through"
    tests = {t["number"]: t for t in run.results["tests"]}
    _assert_charged(attack, {n: t["score"] for n, t in tests.items()}, {n: t["max_score"] for n, t in tests.items()})
    assert not list(markers.iterdir()), f"{attack.name} left evidence: {list(markers.iterdir())}"
    assert not connected, "the child reached a listener on 127.0.0.1"
    for secret in secrets_of(attack, root / "source"):
        if Path(secret).is_file():
            first_line = Path(secret).read_text().splitlines()[0]
            assert first_line not in written, f"{secret} leaked into the feedback"
