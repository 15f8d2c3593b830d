"""Checks that train: runs at a few fixed seeds, the next only while none is good enough.

A correct training's result has a tail (a run can settle in a poor fit); one run at one seed would
charge a correct loop in that tail. Fixed seeds keep the score the same on every run of the grader,
and stopping at the first good run keeps a good submission's cost at one training.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

Run = TypeVar("Run")


def runs_until(seeds: Sequence[int], run: Callable[[int], Run], good: Callable[[Run], bool]) -> list[tuple[int, Run]]:
    """``(seed, run(seed))`` for the seeds in turn, up to and including the first whose run is ``good``."""
    done: list[tuple[int, Run]] = []
    for seed in seeds:
        done.append((seed, run(seed)))
        if good(done[-1][1]):
            break
    return done
