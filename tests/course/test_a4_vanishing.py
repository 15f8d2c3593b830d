"""a4_vanishing beyond what every assignment is held to (tests/course/test_assignments.py): the figure reaches
the feedback, rendered only where it is shown."""

from __future__ import annotations

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.course import SOLUTIONS_DIR

ASSIGNMENT = "a4_vanishing"
FIGURE = "![plot_comparison's figure](data:image/png;base64,iVBORw0KGgo"


def test_figure_reaches_the_feedback(grader, tmp_path):
    """6.1 always shows the student's figure; 6.2 and the hidden 7.4 render it only when they fail."""
    report = grader.grade(SOLUTIONS_DIR / ASSIGNMENT, [ASSIGNMENT], only={"6.1", "6.2", "7.4"})
    assert [FIGURE in r.output for r in report.results] == [True, False, False]
    mutant = mutant_of(ASSIGNMENT, "histogram_wrong_junction")
    report = grader.grade(write_submission(tmp_path, ASSIGNMENT, mutant.source), [ASSIGNMENT], only={"6.2", "7.4"})
    for result in report.results:
        assert result.score == 0 and "histogram" in result.output and FIGURE in result.output, result.output[:300]
