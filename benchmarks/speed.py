"""Where students and staff wait, before and after one child per check, side by side in one run.

"Before" is the grader at BASELINE (one fresh child per sandboxed call, an import gate per
assignment, the kit recording every visible check), checked out in a temporary git worktree and run
with the same Python, data and machine as the working tree ("after"), interleaved round by round.

Usage: python benchmarks/speed.py [--runs 3] [--baseline REV]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
#: The last commit with one child per call (2026-11-29).
BASELINE = "349cd13"

GRADE = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from autograder.grading import Grader
with Grader(jobs=1) as grader:
    report = grader.grade(Path("solutions").resolve())   # the tree's own (any version of the package)
    children = sum(getattr(s, "children", getattr(s, "_calls", 0)) for s in grader.pool._servers)
assert report.score == report.max_score, report.score
print(time.perf_counter() - started, children)
"""

BARE = """
import time
from benchmarks.perf import bare_compute
started = time.perf_counter()
bare_compute()
print(time.perf_counter() - started)
"""


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """The grader as it was at ``revision``, in a temporary git worktree (removed afterwards)."""
    path = Path(tempfile.mkdtemp(prefix="autograder-before-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), revision], check=True,
                   capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], capture_output=True)
        shutil.rmtree(path.parent, ignore_errors=True)


def _run(tree: Path, args: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Wall seconds of ``python ARGS`` run in ``tree`` (its own grader package first on the path)."""
    environment = {**os.environ, "PYTHONPATH": str(tree), **(env or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # warm means with the bytecode a student's machine keeps
    started = time.perf_counter()
    done = subprocess.run([PY, *args], cwd=tree, capture_output=True, text=True, env=environment)
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(f"{args} in {tree} failed ({done.returncode}):\n{done.stdout[-1500:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def _first_run_env(tree: Path) -> dict[str, str]:
    """As right after installing: no bytecode of the grader, an empty dataset cache."""
    for cache in (tree / "autograder").rglob("__pycache__"):
        shutil.rmtree(cache)
    return {"AUTOGRADER_CACHE": tempfile.mkdtemp(prefix="autograder-cache-")}


def _check(tree: Path, assignment: str, first: bool = False) -> float:
    file = next((tree / "solutions" / assignment).glob("*.py"))
    return _run(tree, ["-m", "autograder", "check", str(file)], _first_run_env(tree) if first else None)[0]


def _kit(tree: Path) -> float:
    out = Path(tempfile.mkdtemp()) / "kit.zip"
    seconds = _run(tree, ["-m", "autograder", "kit", "--out", str(out)])[0]
    shutil.rmtree(out.parent)
    return seconds


def measure(trees: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Medians over ``runs`` interleaved rounds of every figure, for each tree."""
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in trees}

    def add(name: str, figure: str, value: float) -> None:
        samples[name].setdefault(figure, []).append(value)

    for name, tree in trees.items():  # warm the caches (bytecode, dataset) once, outside the figures
        _check(tree, "a1_init")
    for round_ in range(runs):
        for name, tree in trees.items():
            seconds, out = _run(tree, ["-c", GRADE])
            grade_s, children = out.split()
            add(name, "grade", float(grade_s))
            add(name, "children", float(children))
            for assignment in ("a1_init", "a2_split"):
                add(name, f"check {assignment}", _check(tree, assignment))
            if round_ == 0:  # the slow ones once
                for assignment in ("a1_init", "a2_split"):
                    add(name, f"first {assignment}", _check(tree, assignment, first=True))
                add(name, "check a3_train", _check(tree, "a3_train"))
                add(name, "kit", _kit(tree))
        add("after", "bare", float(_run(trees["after"], ["-c", BARE])[1]))
        add("after", "import torch", _run(trees["after"], ["-c", "import torch"])[0])
    return {name: {figure: statistics.median(values) for figure, values in figures.items()}
            for name, figures in samples.items()}


def table(figures: dict[str, dict[str, float]]) -> list[str]:
    before, after = figures["before"], figures["after"]
    compute = after["bare"] + after["import torch"]
    rows = [
        ("full grade of a1-a5 (reference, `--jobs 1`, fork-server start included), s", "grade", "{:.2f}", "≤ 1.5 × compute"),
        ("fresh children forked for it", "children", "{:.0f}", "one per check"),
        ("`autograder check` a1_init, warm, s", "check a1_init", "{:.2f}", "≤ 3"),
        ("`autograder check` a2_split, warm, s", "check a2_split", "{:.2f}", "≤ 3"),
        ("`autograder check` a1_init, first run (no bytecode, empty cache), s", "first a1_init", "{:.2f}", "≤ 6"),
        ("`autograder check` a2_split, first run, s", "first a2_split", "{:.2f}", "≤ 6"),
        ("`autograder check` a3_train (its accuracy training included: 2 epochs before, 1 after), s", "check a3_train", "{:.2f}", "reported"),
        ("`autograder kit`, s", "kit", "{:.2f}", "≤ 5"),
    ]
    lines = ["| figure | before | after | target |", "|---|---|---|---|"]
    for label, key, fmt, target in rows:
        lines.append(f"| {label} | {fmt.format(before[key])} | {fmt.format(after[key])} | {target} |")
    lines.append(f"| **overhead ratio**: full grade / (bare in-process compute {after['bare']:.2f} s + `import torch` "
                 f"{after['import torch']:.2f} s) | {before['grade'] / compute:.2f} | **{after['grade'] / compute:.2f}** "
                 "| ≤ 1.5 |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    with worktree(args.baseline) as before:
        figures = measure({"before": before, "after": ROOT}, args.runs)
    print(f"Before: commit {args.baseline}; after: the working tree. Medians of {args.runs} interleaved rounds "
          "(first runs, a3 and the kit: one round).\n")
    print("\n".join(table(figures)))


if __name__ == "__main__":
    main()
