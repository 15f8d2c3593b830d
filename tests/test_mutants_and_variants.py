"""Every check fails on a wrong implementation and passes on correct but different code."""

from __future__ import annotations

import pytest

from autograder.assignments import ASSIGNMENTS
from autograder.registry import checks_for
from tests.mutation import load_mutant, mutant_paths, variant_paths, write_submission

MINIMUM_MUTANTS = {"a1_init": 12, "a2_split": 10, "a3_train": 12, "a4_vanishing": 12, "a5_approx": 12}
MINIMUM_VARIANTS = {"a1_init": 4, "a2_split": 3, "a3_train": 3, "a4_vanishing": 4, "a5_approx": 4}

MUTANTS = [p for a in ASSIGNMENTS for p in mutant_paths(a)]
VARIANTS = [p for a in ASSIGNMENTS for p in variant_paths(a)]


@pytest.mark.parametrize("path", MUTANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutant_loses_points_on_declared_checks(grader, tmp_path, path):
    mutant = load_mutant(path)
    numbers = {c.number for c in checks_for(mutant.assignment)}
    assert mutant.must_fail and set(mutant.must_fail) <= numbers, f"unknown checks in MUST_FAIL of {path}"
    submission = write_submission(tmp_path, mutant.assignment, mutant.source)
    report = grader.grade(submission, [mutant.assignment], only=set(mutant.must_fail))
    # a hidden repeat that saw the mistake gives its points back when the repeated check already took them
    passed = [f"{r.number} {r.name}" for r in report.results
              if r.score >= r.max_score and not r.output.startswith("Not charged again")]
    assert not passed, f"mutant {mutant.name} passed checks it must fail: {passed}"


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_variant_scores_full_marks(grader, tmp_path, path):
    assignment = path.parent.name
    report = grader.grade(write_submission(tmp_path, assignment, path.read_text()), [assignment])
    failed = [f"{r.number} {r.name}: {r.output}" for r in report.results if r.score < r.max_score]
    assert not failed, "\n\n".join(failed)


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if checks_for(a)])
def test_every_check_has_a_mutant(assignment):
    """Each check is shown to fail on at least one wrong implementation."""
    covered = {n for p in mutant_paths(assignment) for n in load_mutant(p).must_fail}
    missing = sorted(c.number for c in checks_for(assignment) if c.number not in covered)
    assert not missing, f"{assignment}: no mutant fails checks {missing}"
    assert len(mutant_paths(assignment)) >= MINIMUM_MUTANTS[assignment]
    assert len(variant_paths(assignment)) >= MINIMUM_VARIANTS[assignment]
