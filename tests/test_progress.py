"""The progress line of `autograder check`: on a terminal only, cleared before the table."""

from __future__ import annotations

import io

from autograder.progress import ProgressLine
from autograder.results import CheckResult
from autograder.sandbox import preparation


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _result(number: str, score: float) -> CheckResult:
    return CheckResult("a1_init", number, "a check", 2.0, score, "")


def test_the_line_counts_checks_and_failures_and_is_cleared():
    stream = _Terminal()
    progress = ProgressLine(stream)
    progress.start("a1_init")
    progress(_result("1.1", 2.0), 3)
    progress(_result("1.2", 0.0), 3)
    progress.close()
    frames = stream.getvalue().split("\r")
    assert "checking a1_init: starting the sandbox" in frames[1]
    assert frames[2].strip() == "1/3 checks done (last: a1_init 1.1)"
    assert frames[3].strip() == "2/3 checks done, 1 failed (last: a1_init 1.2)"
    assert frames[-2].strip() == "" and frames[-1] == "", "the line is not cleared before the table"


def test_nothing_is_written_where_the_output_is_not_a_terminal():
    stream = io.StringIO()
    progress = ProgressLine(stream)
    progress.start("a1_init")
    progress(_result("1.1", 2.0), 1)
    progress.close()
    assert stream.getvalue() == ""


def test_fork_servers_warm_up_only_for_the_assignments_graded():
    assert preparation(["a1_init", "a2_split"]) == {"dataset": False, "training": False, "figures": False}
    assert preparation(["a3_train"]) == {"dataset": True, "training": True, "figures": False}
    assert preparation(None) == {"dataset": True, "training": True, "figures": True}
