"""Issue 12's attacks through the other two ways a class is graded: `grade-all` (a class folder in
which the attacks sit next to an honest classmate) and the Gradescope emulator (run_autograder as root).

Every assignment's checks run here, hidden ones included. Each report must be valid and small, give the
attack nothing, name no secret, and come within the budget; the classmate keeps full marks.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from autograder.authoring.corpus import write_submission
from autograder.batch import grade_all
from autograder.course import PROJECT_ROOT, SOLUTIONS_DIR, get_assignment
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import GradescopeConfig
from tests.conftest import requires_root
from tests.support.gradescope_emulator import run_gradescope
from tests.support.gradescope_schema import validate_results
from tests.test_adversarial import ADVERSARIAL_DIR, _source, load_attack

ATTACKS = ["forge_result_record", "sleep_after_first_import", "oversized_claims", "read_repository"]
SECRETS = [PROJECT_ROOT / ".git" / "HEAD", SOLUTIONS_DIR / "a1_init" / "initializers.py",
           PROJECT_ROOT / "tests" / "course" / "test_assignments.py"]
BUDGET_S = 150


def _write_attack(folder: Path, name: str) -> tuple[Path, str]:
    attack = load_attack(ADVERSARIAL_DIR / f"{name}.py")
    fill = {"RESULTS": str(folder / "results.json"), "PROJECT": str(PROJECT_ROOT), "SUBMISSION": str(folder),
            "MARKERS": str(folder / "markers"), "PORT": "9",
            "SECRET_FILES": repr([str(p) for p in SECRETS])}
    return write_submission(folder, attack.assignment, _source(attack, fill)), attack.assignment


#: Claims the parent cannot recompute (SECURITY.md, "What remains forgeable"): a forged record that states
#: the handout's answer earns them. Every other point an attack gains is a failure of this test.
FORGEABLE = {("a3_train", number) for number in ("1.1", "1.2", "1.3", "2.1", "3.3")}


def _assert_harmless(results: dict) -> None:
    validate_results(results)
    text = json.dumps(results)
    assert len(text) < 256 * 1024, f"results.json is {len(text):,} bytes"
    gained = {(t["tags"][0], t["number"].split(".", 1)[1] if t["number"].count(".") == 2 else t["number"])
              for t in results["tests"] if t["score"] > 0}
    assert gained <= FORGEABLE, sorted(gained - FORGEABLE)
    for secret in SECRETS:
        assert secret.read_text().splitlines()[0] not in text, f"{secret} leaked"


@requires_root
def test_attacks_graded_with_a_class_by_grade_all(tmp_path):
    folder = tmp_path / "class"
    for name in ATTACKS:
        _write_attack(folder / name, name)
    honest = folder / "honest"
    honest.mkdir(parents=True)
    for assignment in ("a1_init", "a3_train"):
        spec = get_assignment(assignment)
        shutil.copy(SOLUTIONS_DIR / assignment / spec.filename, honest / spec.filename)
    started = time.monotonic()
    batch = grade_all(folder, jobs=2, out_dir=tmp_path / "reports", assignments=["a1_init", "a3_train"],
                      progress=False)
    assert time.monotonic() - started < BUDGET_S * len(ATTACKS)
    by_name = {Path(r.submission).name: r for r in batch.reports}
    for name in ATTACKS:
        _assert_harmless(by_name[name].to_gradescope())
    assert by_name["honest"].score == by_name["honest"].max_score


@requires_root
@pytest.mark.parametrize("name", ATTACKS)
def test_attack_on_the_gradescope_emulator(tmp_path, name):
    submission, assignment = _write_attack(tmp_path / "submission", name)
    zip_path = tmp_path / "autograder.zip"
    build_autograder_zip(zip_path, GradescopeConfig([assignment], jobs=1))
    run = run_gradescope(zip_path, submission, tmp_path / "gs", timeout_s=BUDGET_S)
    assert run.seconds < BUDGET_S
    _assert_harmless(run.results)
