"""a4_vanishing end to end: the reference earns every point, the stub none, every mutant loses the
checks it declares, every variant earns full marks, regrades are identical, and the figure reaches
the feedback.

These tests grade without dropping privileges: a privilege-dropped child cannot import matplotlib
until the interpreter's tree is readable inside the sandbox (being fixed in main); the shared tests
(test_mutants_and_variants, test_engine) exercise the dropped path for every assignment.
"""

from __future__ import annotations

import json

import pytest

from autograder.assignments import SOLUTIONS_DIR, STUDENT_DIR
from autograder.grading import Grader
from autograder.registry import checks_for
from tests.mutation import load_mutant, mutant_paths, variant_paths, write_submission

ASSIGNMENT = "a4_vanishing"


@pytest.fixture(scope="module")
def grader():
    with Grader(jobs=2, drop_privileges=False) as shared:
        yield shared


def _failures(report) -> list[str]:
    return [f"{r.number} {r.name}: {r.output[:500]}" for r in report.results if r.score < r.max_score]


def test_reference_full_marks_stub_zero(grader):
    reference = grader.grade(SOLUTIONS_DIR / ASSIGNMENT, [ASSIGNMENT])
    assert not _failures(reference), "\n\n".join(_failures(reference))
    assert len(reference.results) == len(checks_for(ASSIGNMENT)) >= 20
    stub = grader.grade(STUDENT_DIR / ASSIGNMENT, [ASSIGNMENT])
    assert stub.score == 0
    assert all(r.output.startswith("Not implemented yet") for r in stub.results), [r.output[:80] for r in stub.results]


FIGURE = "![plot_comparison's figure](data:image/png;base64,iVBORw0KGgo"


def test_figure_reaches_the_feedback(grader, tmp_path):
    """6.1 always shows the student's figure; 6.2 and the hidden 7.4 render it only when they fail."""
    report = grader.grade(SOLUTIONS_DIR / ASSIGNMENT, [ASSIGNMENT], only={"6.1", "6.2", "7.4"})
    assert [FIGURE in r.output for r in report.results] == [True, False, False]
    mutant = load_mutant(next(p for p in mutant_paths(ASSIGNMENT) if p.stem == "histogram_wrong_junction"))
    report = grader.grade(write_submission(tmp_path, ASSIGNMENT, mutant.source), [ASSIGNMENT], only={"6.2", "7.4"})
    for result in report.results:
        assert result.score == 0 and "histogram" in result.output and FIGURE in result.output, result.output[:300]


@pytest.mark.parametrize("path", mutant_paths(ASSIGNMENT), ids=lambda p: p.stem)
def test_mutant_loses_points_on_declared_checks(grader, tmp_path, path):
    mutant = load_mutant(path)
    report = grader.grade(write_submission(tmp_path, ASSIGNMENT, mutant.source), [ASSIGNMENT],
                          only=set(mutant.must_fail))
    assert {r.number for r in report.results} == set(mutant.must_fail)
    passed = [f"{r.number} {r.name}" for r in report.results if r.score >= r.max_score]
    assert not passed, f"mutant {mutant.name} passed checks it must fail: {passed}"


@pytest.mark.parametrize("path", variant_paths(ASSIGNMENT), ids=lambda p: p.stem)
def test_variant_scores_full_marks(grader, tmp_path, path):
    report = grader.grade(write_submission(tmp_path, ASSIGNMENT, path.read_text()), [ASSIGNMENT])
    assert not _failures(report), "\n\n".join(_failures(report))


def test_every_check_has_a_mutant_and_enough_variants():
    covered = {n for p in mutant_paths(ASSIGNMENT) for n in load_mutant(p).must_fail}
    missing = sorted(c.number for c in checks_for(ASSIGNMENT) if c.number not in covered)
    assert not missing, f"no mutant fails checks {missing}"
    assert len(mutant_paths(ASSIGNMENT)) >= 12 and len(variant_paths(ASSIGNMENT)) >= 4


def test_regrades_are_identical(grader):
    """Checks with random draws (init laws, training, the figure): three gradings, one report
    (benchmarks/a4_sweep.py --regrades 20 does twenty)."""
    only = {"2.5", "3.3", "4.1", "5.3", "6.2"}
    seen = set()
    for _ in range(3):
        data = grader.grade(SOLUTIONS_DIR / ASSIGNMENT, [ASSIGNMENT], only=only).to_gradescope()
        data.pop("execution_time")
        seen.add(json.dumps(data, sort_keys=True))
    assert len(seen) == 1
