"""Issue 14 for a3: each mistake is charged once, in the check that names it; hints only on their signature."""

from __future__ import annotations

import pytest

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.course import SOLUTIONS_DIR

#: mutant -> the only checks it may lose points on when every a3 check runs
SINGLE_CHARGES = {
    "evaluate_without_eval": {"4.1"},
    "accuracy_per_batch": {"4.3"},   # hidden 6.2 sees it too, and gives its point back (a repeat of 4.3)
    "evaluate_without_no_grad": {"4.2"},
}


@pytest.mark.parametrize("name", sorted(SINGLE_CHARGES))
def test_a_mistake_in_evaluate_is_charged_once(grader, tmp_path, name):
    mutant = mutant_of("a3_train", name)
    report = grader.grade(write_submission(tmp_path, "a3_train", mutant.source), ["a3_train"],
                          only={"4.1", "4.2", "4.3", "5.2", "6.2"})
    lost = {r.number for r in report.results if r.score < r.max_score}
    assert lost == SINGLE_CHARGES[name], {r.number: r.output for r in report.results if r.score < r.max_score}


def test_hints_appear_only_on_their_signature(grader, tmp_path):
    per_batch = mutant_of("a3_train", "accuracy_per_batch")
    report = grader.grade(write_submission(tmp_path / "a", "a3_train", per_batch.source), ["a3_train"], only={"4.3"})
    assert "mean of per-batch accuracies" in report.results[0].output
    assert "percent" not in report.results[0].output
    reference = (SOLUTIONS_DIR / "a3_train" / "fashion.py").read_text()
    percent = reference.replace('return {"accuracy": correct / seen,', 'return {"accuracy": 100 * correct / seen,')
    assert percent != reference
    report = grader.grade(write_submission(tmp_path / "b", "a3_train", percent), ["a3_train"],
                          only={"4.1", "4.3", "5.2", "6.2"})
    lost = {r.number: r.output for r in report.results if r.score < r.max_score}
    assert set(lost) == {"4.1"}, lost   # percent is charged once, where the accuracy itself is judged
    assert "percent" in lost["4.1"]


def test_5_1_judges_a_run_that_misses_again_at_the_next_seed(grader, tmp_path):
    """A loop that does not step in the grader's batch order of seed 0 (standing in for a correct loop that
    draws its own randomness and lands in a poor run) and trains at seed 1: full credit from seed 1, with
    the run that missed named; the reference trains once."""
    reference = (SOLUTIONS_DIR / "a3_train" / "fashion.py").read_text()
    unlucky = reference.replace("        optimizer.step()\n",
                                "        if loader.generator.initial_seed() != 0:\n            optimizer.step()\n")
    assert unlucky != reference
    report = grader.grade(write_submission(tmp_path / "a", "a3_train", unlucky), ["a3_train"], only={"5.1"})
    (result,) = report.results
    assert result.score == result.max_score, result.output
    assert "the best of 2 runs (the grader's weights and batch order of seed 1; seed 0: " in result.output
    report = grader.grade(write_submission(tmp_path / "b", "a3_train", reference), ["a3_train"], only={"5.1"})
    assert "best of" not in report.results[0].output and report.results[0].score == 6
