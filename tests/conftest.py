"""Shared fixtures: one grader (one pool of fork servers) for the whole test session."""

from __future__ import annotations

import os

import pytest

from autograder.course import SOLUTIONS_DIR
from autograder.grading import Grader


@pytest.fixture(scope="session")
def grader():
    with Grader(jobs=2) as shared:
        yield shared


@pytest.fixture(scope="session")
def reference_report(grader):
    """The reference solutions of every assignment, graded once for the session (hidden checks included)."""
    return grader.grade(SOLUTIONS_DIR)


@pytest.fixture(scope="session")
def reference_regrade():
    """The same, graded again by a fresh grader with one job (another pool, another ``--jobs``)."""
    with Grader(jobs=1) as fresh:
        return fresh.grade(SOLUTIONS_DIR)


requires_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: tests the privilege-dropped sandbox")
