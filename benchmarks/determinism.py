"""Grade the same submissions many times and show that every report is identical (timings aside).

Usage: python benchmarks/determinism.py [--runs 20] [--jobs 2] [SUBMISSION ...]
(default: the reference solutions). Exits non-zero if any two reports differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from autograder.course import SOLUTIONS_DIR
from autograder.grading import Grader


def fingerprint(report) -> str:
    data = report.to_gradescope()
    data.pop("execution_time")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="*", type=Path, default=[SOLUTIONS_DIR])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    identical = True
    for submission in args.submissions:
        prints, scores = set(), set()
        started = time.monotonic()
        for run in range(args.runs):
            with Grader(jobs=1 + run % args.jobs) as grader:  # alternate --jobs 1 .. N
                report = grader.grade(submission)
            prints.add(fingerprint(report))
            scores.add(report.score)
        identical &= len(prints) == 1
        print(f"{submission}: {args.runs} gradings, {len(prints)} distinct report(s), scores {sorted(scores)}, "
              f"{(time.monotonic() - started) / args.runs:.1f} s each")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
