"""Class scale: `grade-all` over 40 submissions (reference copies and mutants), --jobs 1 vs 2.

Usage: python benchmarks/scale.py [--count 40] [--assignment a1_init]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.assignments import SOLUTIONS_DIR, get_assignment  # noqa: E402
from autograder.batch import grade_all  # noqa: E402
from tests.mutation import load_mutant, mutant_paths, write_submission  # noqa: E402


def make_class(folder: Path, assignment: str, count: int) -> None:
    """Half reference copies, half mutants (cycling through tests/mutants/<assignment>/)."""
    mutants = [load_mutant(p) for p in mutant_paths(assignment)]
    spec = get_assignment(assignment)
    for i in range(count):
        source = ((SOLUTIONS_DIR / assignment / spec.filename).read_text() if i % 2 == 0
                  else mutants[(i // 2) % len(mutants)].source)
        write_submission(folder / f"student{i:03d}", assignment, source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--assignment", default="a1_init")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    make_class(folder, args.assignment, args.count)
    seconds = {}
    for jobs in (1, 2):
        started = time.perf_counter()
        batch = grade_all(folder, jobs=jobs, assignments=[args.assignment], progress=False)
        seconds[jobs] = time.perf_counter() - started
        assert len(batch.reports) == args.count
    shutil.rmtree(folder)
    print(f"| `grade-all` of {args.count} {args.assignment} submissions (half reference, half mutants) | seconds | submissions / minute |")
    print("|---|---|---|")
    for jobs, value in seconds.items():
        print(f"| `--jobs {jobs}` | {value:.1f} | {args.count / value * 60:.0f} |")
    print(f"| **speed-up** jobs 2 / jobs 1 | **{seconds[1] / seconds[2]:.2f}x** | |")


if __name__ == "__main__":
    main()
