"""Seed sweep of the final-error check (a5_approx 3.4), and the timing of the whole assignment.

Runs one run of the check's path -- train_approximator of a solution in the sandbox with the grader's
target (Nielsen's example) and the check's settings (FINAL: 1,500 Adam steps of 64 points), then
the mean squared error on 20,001 points of [0, 1] by the grader's own forward pass -- for many
seeds, and prints the spread that FULL_CREDIT_MSE is calibrated from, and what the check's best of
len(FINAL_SEEDS) runs makes of the rate of runs above it. ``--variant NAME`` sweeps
tests/corpus/a5_approx/variants/NAME.py instead of the reference (full-batch training must also pass). ``--grade-runs K`` also grades the
reference K times (all checks, hidden included) and prints the seconds and whether every report was
identical (the 20-regrade determinism test). Run it under ``nice -n 10`` on a shared machine.
``--summarize FILE`` prints the summary again from a saved output (results/a5_sweep_2000.txt).
Usage: python benchmarks/a5_sweep.py [--seeds 20] [--variant full_batch] [--grade-runs 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import resource
import statistics
import time
from pathlib import Path

from autograder.authoring.corpus import corpus_of
from autograder.course import SOLUTIONS_DIR, get_assignment
from autograder.course.a5_approx import judge, probes
from autograder.course.a5_approx.checks import FINAL, FINAL_SEEDS, FULL_CREDIT_MSE
from autograder.discovery import find_student_file
from autograder.grading import Grader
from autograder.sandbox import SandboxPool
from autograder.submission import Submission

VARIANTS = corpus_of("a5_approx").folder / "variants"


def sweep(student_file: Path, seeds: int) -> list[float]:
    assignment = get_assignment("a5_approx")
    grid = judge.dense_grid()
    truth = judge.target("nielsen", grid)
    errors = []
    with SandboxPool(1) as pool:
        for seed in range(seeds):
            sub = Submission(assignment, student_file, pool, f"sweep/{seed}", timeout_s=300)
            started = time.monotonic()
            seen = sub.run(probes.trained, "nielsen", {**FINAL, "seed": seed}, False, grid.float(), sandbox_seed=seed)
            seconds = time.monotonic() - started
            layers = judge.expect_layers("sweep", seen, None, "")
            errors.append(float(((judge.mlp_forward(layers, grid) - truth) ** 2).mean()))
            print(f"seed {seed:2d}: MSE {errors[-1]:.3e}  ({seconds:.2f} s in the sandbox)", flush=True)
    return errors


def summary(errors: list[float]) -> None:
    logs = [math.log10(e) for e in errors]
    mean, sd = statistics.mean(logs), statistics.stdev(logs)
    print(f"\n{len(errors)} seeds: MSE min {min(errors):.3e}  median {statistics.median(errors):.3e}  "
          f"max {max(errors):.3e}; log10 MSE mean {mean:.3f} sd {sd:.3f}")
    print(f"threshold {FULL_CREDIT_MSE:g}: log10 = {math.log10(FULL_CREDIT_MSE):.3f} = mean + "
          f"{(math.log10(FULL_CREDIT_MSE) - mean) / sd:.1f} sd of log10 MSE; "
          f"{FULL_CREDIT_MSE / max(errors):.1f}x the worst seed")
    if len(logs) >= 200:   # the upper tail itself: an exponential fit to the top 1 % of log10 MSE
        logs.sort()
        top = logs[int(0.99 * len(logs)):]
        scale = statistics.mean(v - top[0] for v in top)
        beyond = 0.01 * math.exp(-(math.log10(FULL_CREDIT_MSE) - top[0]) / scale)
        print(f"quantiles 0.99: {10 ** top[0]:.3e}, 0.999: {10 ** logs[int(0.999 * len(logs))]:.3e}; tail beyond "
              f"u = {top[0]:.3f}: scale {scale:.4f}; P(MSE > {FULL_CREDIT_MSE:g}) = {beyond:.2g}")
    best_of(errors)


def best_of(errors: list[float]) -> None:
    """The rate of single runs above FULL_CREDIT_MSE (with a 95 % upper bound), what the check's best of
    len(FINAL_SEEDS) unrelated runs makes of it, and the sweep's own disjoint groups of that many seeds."""
    runs, misses = len(FINAL_SEEDS), sum(e > FULL_CREDIT_MSE for e in errors)
    rate, upper = misses / len(errors), poisson_upper(misses) / len(errors)
    groups = [errors[i:i + runs] for i in range(0, len(errors) - runs + 1, runs)]
    print(f"runs above {FULL_CREDIT_MSE:g}: {misses} of {len(errors)} (rate {rate:.2g}, 95 % upper bound {upper:.2g}); "
          f"best of {runs} unrelated runs misses with {rate ** runs:.2g} (upper bound {upper ** runs:.2g}); "
          f"disjoint groups of {runs} seeds whose best misses: {sum(min(g) > FULL_CREDIT_MSE for g in groups)} "
          f"of {len(groups)}")


def poisson_upper(events: int, confidence: float = 0.95) -> float:
    """The one-sided upper confidence bound on a Poisson mean after ``events`` events (bisection on the CDF)."""
    def cdf(mean: float) -> float:
        return sum(math.exp(-mean) * mean ** k / math.factorial(k) for k in range(events + 1))
    low, high = 0.0, 10.0 * events + 10.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if cdf(middle) > 1 - confidence else (low, middle)
    return high


def grade_runs(runs: int, jobs: int) -> None:
    """Grade the reference ``runs`` times, each with a fresh grader (fork servers started anew), and
    print wall and CPU seconds (grader, fork servers and children: the CPU time is what the 20 s budget
    on 2 cores is about, and load on a shared machine does not change it) and whether every report
    was identical."""
    reports, walls, cpus = [], [], []
    for _ in range(runs):
        before = _cpu_seconds()
        started = time.monotonic()
        with Grader(jobs=jobs) as grader:
            report = grader.grade(SOLUTIONS_DIR / "a5_approx", ["a5_approx"])
        walls.append(time.monotonic() - started)
        cpus.append(_cpu_seconds() - before)
        reports.append(json.dumps([(r.number, r.score, r.output) for r in report.results]))
        print(f"grading: {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s CPU, {report.score:g} / {report.max_score:g}",
              flush=True)
    print(f"\n{runs} gradings of the reference (--jobs {jobs}, all {len(report.results)} checks, fresh grader each): "
          f"wall s min {min(walls):.1f} median {statistics.median(walls):.1f} max {max(walls):.1f}; "
          f"CPU s median {statistics.median(cpus):.1f} (on 2 cores: {statistics.median(cpus) / 2:.1f} s); "
          f"identical reports: {len(set(reports)) == 1} (sha256 {hashlib.sha256(reports[0].encode()).hexdigest()[:16]})")


def _cpu_seconds() -> float:
    """User + system seconds of this process and of its finished children (fork servers and theirs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--variant", default=None)
    parser.add_argument("--grade-runs", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--summarize", type=Path, default=None)
    args = parser.parse_args()
    if args.summarize:
        summary([float(e) for e in re.findall(r"MSE (\S+)  \(", args.summarize.read_text())])
        return
    student_file = (VARIANTS / f"{args.variant}.py" if args.variant
                    else find_student_file(SOLUTIONS_DIR, get_assignment("a5_approx")))
    print(f"sweeping {student_file}")
    if args.seeds:
        summary(sweep(student_file, args.seeds))
    if args.grade_runs:
        grade_runs(args.grade_runs, args.jobs)


if __name__ == "__main__":
    main()
