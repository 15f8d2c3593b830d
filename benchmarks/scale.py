"""Class scale: `grade-all` of 40 full submissions (a1-a5; reference copies and mutants), extrapolated to 150.

The extrapolation goes on at the rate measured over the second half of the run (reports completed
per second once the grader has started, recorded the reference's outcomes and warmed up): the
measured time for 40, plus 110 more at that rate. Beside it, the plain proportion (per submission x
150), which charges the start-up 150/40 times over.

Usage: python benchmarks/scale.py [--count 40] [--jobs 2] [--class-size 150]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, get_assignment  # noqa: E402
from autograder.batch import grade_all  # noqa: E402
from autograder.authoring.corpus import corpus_of, load_mutant, write_submission  # noqa: E402


def make_class(folder: Path, count: int) -> None:
    """Full submissions: every assignment's file, half reference copies, half mutants (cycling through
    tests/corpus/<assignment>/mutants/, so each mutant student hands in five wrong files)."""
    for assignment in ASSIGNMENTS:
        mutants = [load_mutant(p) for p in corpus_of(assignment).mutant_paths()]
        reference = (SOLUTIONS_DIR / assignment / get_assignment(assignment).filename).read_text()
        for i in range(count):
            source = reference if i % 2 == 0 else mutants[(i // 2) % len(mutants)].source
            write_submission(folder / f"student{i:03d}", assignment, source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--class-size", type=int, default=150)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    make_class(folder, args.count)
    done: list[float] = []
    started = time.perf_counter()
    batch = grade_all(folder, jobs=args.jobs, progress=False,
                      on_report=lambda student, report: done.append(time.perf_counter() - started))
    seconds = time.perf_counter() - started
    assert len(batch.reports) == args.count
    shutil.rmtree(folder)
    half = args.count // 2
    steady = (done[-1] - done[half - 1]) / (args.count - half)  # seconds per submission, second half
    extrapolated = seconds + (args.class_size - args.count) * steady
    print(f"| `grade-all --jobs {args.jobs}` of full submissions (a1-a5; half reference, half mutants) | value |")
    print("|---|---|")
    print(f"| {args.count} submissions, measured | {seconds:.0f} s |")
    print(f"| the first submission's report (start-up: fork servers, warm-up, the reference's outcomes) | "
          f"{done[0]:.0f} s |")
    print(f"| per submission over the second half (submissions {half + 1}-{args.count}) | {steady:.2f} s |")
    print(f"| {args.class_size} submissions, extrapolated (measured + {args.class_size - args.count} x the "
          f"second half's rate) | **{extrapolated / 60:.1f} min** (target ≤ 10 min) |")
    print(f"| the same, in plain proportion (per submission x {args.class_size}: start-up charged "
          f"{args.class_size / args.count:.2g} times) | {seconds / args.count * args.class_size / 60:.1f} min |")


if __name__ == "__main__":
    main()
