"""Shared fixtures: one grader (one pool of fork servers) for the whole test session."""

from __future__ import annotations

import os

import pytest

from autograder.grading import Grader


@pytest.fixture(scope="session")
def grader():
    with Grader(jobs=2) as shared:
        yield shared


requires_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: tests the privilege-dropped sandbox")
