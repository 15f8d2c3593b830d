"""Helpers shared by the benchmark scripts: timing, medians, the machine's description."""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Callable


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def medians(runs: int, **candidates: Callable[[], object]) -> dict[str, float]:
    """Median seconds of each candidate over ``runs`` rounds, interleaved so load hits all alike."""
    seconds: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, function in candidates.items():
            seconds[name].append(timed(function))
    return {name: statistics.median(values) for name, values in seconds.items()}


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    with open("/proc/meminfo") as meminfo:
        total_gib = int(meminfo.readline().split()[1]) / 2**20
    return (f"{os.cpu_count()} cores ({cpu}), {total_gib:.0f} GiB, Python {platform.python_version()}, "
            f"torch {torch.__version__}, {platform.system()} {platform.release()}")
