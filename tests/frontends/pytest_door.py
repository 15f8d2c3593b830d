"""Run the pytest plugin on many submissions in one process: for each line of a JSON list
``[submission, assignment, junit_xml]``, what ``pytest --submission S --assignment A --junitxml J``
runs (the plugin keeps its grader between runs, so the fork servers start once).

Usage: ``python tests/frontends/pytest_door.py JOBS.json``; exits non-zero when a run is a usage or
internal error (1, some checks failed, is what a run of a flawed submission returns).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest


def main(jobs: Path) -> int:
    worst = 0
    for submission, assignment, junit in json.loads(jobs.read_text()):
        status = pytest.main(["-p", "no:cacheprovider", "-q", "--submission", submission, "--assignment", assignment,
                              f"--junitxml={junit}"])
        worst = max(worst, 0 if status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) else int(status))
    return worst


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
