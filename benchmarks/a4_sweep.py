"""Seed sweeps behind a4_vanishing's thresholds, and its regrade and timing figures.

- ``phenomenon``: first/last gradient-norm ratio of the reference deep_mlp(10, 128, ...) for
  sigmoid + Xavier (check 3.3, bound 1e-4) and ReLU + Kaiming (check 3.4, [0.1, 30]), over seeds of
  the weights and of the 256-image batch; with the mistakes those checks must catch alongside.
- ``relu_tail`` (and ``sigmoid_tail``, check 3.3's): check 3.4's ratio on the check's own batch over many weight draws, drawn three ways
  (the reference's deep_mlp, plain ``randn * std`` input layer first, ``normal_`` output layer first),
  with its upper tail examined: quantiles and an exponential fit to the top 1 % of log10 ratios,
  extrapolated to the bound.
- ``comparison``: validation loss of N(0, 1) minus Xavier / Kaiming (check 5.3, LOSS_MARGIN) over
  seeds of the split, the loader and the weights, as the check computes it.
- ``inits``: a1's judges on the reference deep_mlp for every scheme over many seeds: how often a
  correct initialization fails (checks 2.4-2.6; expected 0).
- ``regrades``: the reference graded N times (identical reports) and the time one grading takes.

Each runs the checks' own probes and judges, in-process (the sandbox adds nothing to these numbers).
Usage: nice -n 10 python benchmarks/a4_sweep.py [--seeds 50] [--regrades 20] [--only phenomenon ...]
(checks 3.4 and 3.3: --only relu_tail sigmoid_tail --seeds 10000, three ways of drawing: 30,000 draws each)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import statistics
import time
from types import ModuleType
from typing import Any

import torch

from autograder.course import SOLUTIONS_DIR
from autograder.course.a4_vanishing import checks, judge, probes
from autograder.expect import CheckFailed
from autograder.sandbox.server import reset_torch_state


def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vanishing", SOLUTIONS_DIR / "a4_vanishing" / "vanishing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(name: str, values: list[float]) -> str:
    return (f"{name}: min {min(values):.4g}  mean {statistics.mean(values):.4g}  max {max(values):.4g}  "
            f"sd {statistics.stdev(values):.3g}")


def ratio(module: ModuleType, seed: int, activation: str, init: str) -> float:
    x, y = judge.phenomenon_batch(seed=1000 + seed)
    reset_torch_state(seed)
    seen = probes.phenomenon(module, [10, 128, activation, init], x, y, judge.GRID)
    norms = judge.gradient_norms(judge.read_mlp("deep_mlp", seen["model"]), x, y)
    return norms[0] / norms[-1]


def phenomenon(module: ModuleType, seeds: int) -> None:
    for activation, init, bound in (("sigmoid", "xavier_normal", "< 1e-4"), ("relu", "kaiming_normal", "in [0.1, 30]"),
                                    ("sigmoid", "normal", "(mistake for 3.3)"), ("relu", "xavier_normal", "(3.4)"),
                                    ("relu", "normal", "(3.4)"), ("tanh", "xavier_normal", "(for reference)")):
        logs = [math.log10(ratio(module, seed, activation, init)) for seed in range(seeds)]
        print(f"{activation} + {init} {bound}: ratio {10 ** min(logs):.3g} .. {10 ** max(logs):.3g}; "
              f"log10 mean {statistics.mean(logs):.2f} sd {statistics.stdev(logs):.3f}", flush=True)


#: The two phenomenon checks: (activation, init, law's std from (fan_in, fan_out), bounds on the ratio).
TAILS = {"relu_tail": ("relu", "kaiming_normal", lambda fan_in, fan_out: math.sqrt(2 / fan_in), checks.RELU_RATIO),
         "sigmoid_tail": ("sigmoid", "xavier_normal", lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
                          (0.0, checks.SIGMOID_RATIO_MAX))}


def _drawn_layers(generator: torch.Generator, reverse: bool, activation: str, std: Any) -> list[judge.Layer]:
    """deep_mlp(10, 128, activation, init)'s layers drawn here, input or output layer first."""
    sizes = [784] + [128] * 10 + [10]
    weights: list[torch.Tensor | None] = [None] * 11
    for i in (reversed(range(11)) if reverse else range(11)):
        shape = (sizes[i + 1], sizes[i])
        scale = std(sizes[i], sizes[i + 1])
        weights[i] = (torch.empty(shape).normal_(0, scale, generator=generator) if reverse
                      else torch.randn(shape, generator=generator) * scale)
    layers: list[judge.Layer] = []
    for i, weight in enumerate(weights):
        layers += [{"weight": weight, "bias": torch.zeros(sizes[i + 1])}] + ([{"activation": activation}] if i < 10 else [])
    return layers


def ratio_tail(module: ModuleType, seeds: int, part: str) -> None:
    activation, init, std, (low, high) = TAILS[part]
    x, y = judge.phenomenon_batch(seed=40)   # the check's own batch: only the weights vary
    logs: list[float] = []
    for way in ("reference", "randn", "reversed"):
        for seed in range(seeds):
            if way == "reference":
                reset_torch_state(seed)
                seen = probes.phenomenon(module, [10, 128, activation, init], x, y, judge.GRID)
                layers = judge.read_mlp("deep_mlp", seen["model"])
            else:
                layers = _drawn_layers(torch.Generator().manual_seed(seed), way == "reversed", activation, std)
            norms = judge.gradient_norms(layers, x, y)
            logs.append(math.log10(norms[0] / norms[-1]))
        print(f"{way}: {seeds} draws done", flush=True)
    logs.sort()
    count = len(logs)
    print(f"{activation} + {init}, {count} draws: ratio {10 ** logs[0]:.3g} .. {10 ** logs[-1]:.3g}; log10 mean "
          f"{statistics.mean(logs):.3f} sd {statistics.stdev(logs):.3f}; quantiles " + ", ".join(
              f"{q}: {10 ** logs[int(q * count)]:.3g}" for q in (0.5, 0.99, 0.999, 0.9999)))
    top = logs[int(0.99 * count):]  # exponential tail beyond the 99th percentile (maximum likelihood scale)
    scale = statistics.mean(v - top[0] for v in top)
    beyond = 0.01 * math.exp(-(math.log10(high) - top[0]) / scale)
    print(f"tail: P(log10 ratio > u + t) = 0.01 exp(-t / {scale:.4f}) beyond u = {top[0]:.3f}; at the bound {high:g}: "
          f"{beyond:.2g}; draws above it {sum(v > math.log10(high) for v in logs)}"
          + (f", below {low:g}: {sum(v < math.log10(low) for v in logs)}" if low > 0 else ""))


def comparison(module: ModuleType, seeds: int) -> None:
    gaps: dict[str, list[float]] = {"xavier_normal": [], "kaiming_normal": []}
    losses: dict[str, list[float]] = {s: [] for s in judge.COMPARED_SCHEMES}
    for seed in range(seeds):
        train_idx, val_idx = judge.split(seed)
        reset_torch_state(seed)
        seen = probes.comparison(module, judge.COMPARED_SCHEMES, "sigmoid", judge.EPOCHS, seed, train_idx, val_idx,
                                 judge.BATCH, judge.GRID)
        loss = {s: judge.validation(judge.read_mlp(s, r["model"]), val_idx)[0] for s, r in seen["returned"].items()}
        for scheme in losses:
            losses[scheme].append(loss[scheme])
        for scheme in gaps:
            gaps[scheme].append(loss["normal"] - loss[scheme])
    for scheme, values in losses.items():
        print(summary(f"validation loss {scheme}", values))
    for scheme, values in gaps.items():
        sd = statistics.stdev(values)
        distance = (statistics.mean(values) - checks.LOSS_MARGIN) / sd
        print(summary(f"N(0, 1) minus {scheme}", values) + f"; LOSS_MARGIN {checks.LOSS_MARGIN} = mean - {distance:.1f} sd")
        if len(values) >= 200:   # the lower tail itself: an exponential fit to the bottom 1 % of the gaps
            ordered = sorted(values)
            bottom = ordered[:max(2, len(ordered) // 100)]
            scale = statistics.mean(bottom[-1] - v for v in bottom)
            beyond = 0.01 * math.exp(-(bottom[-1] - checks.LOSS_MARGIN) / scale)
            print(f"  quantiles 0.01: {bottom[-1]:.4f}, 0.001: {ordered[len(ordered) // 1000]:.4f}; tail below "
                  f"{bottom[-1]:.4f}: scale {scale:.4f}; P(gap < {checks.LOSS_MARGIN}) = {beyond:.2g}")


def inits(module: ModuleType, seeds: int) -> None:
    for scheme in judge.SCHEMES:
        failures = 0
        for seed in range(seeds):
            reset_torch_state(seed)
            seen = probes.mlp(module, [2, 256, "tanh", scheme], judge.GRID)
            try:
                judge.judge_init("deep_mlp", judge.read_mlp("deep_mlp", seen), scheme)
            except CheckFailed:
                failures += 1
        print(f"{scheme}: {failures} of {seeds} seeds fail", flush=True)


def regrades(count: int) -> None:
    from autograder.grading import Grader

    with Grader(jobs=2, drop_privileges=False) as grader:
        seen, seconds = set(), []
        for _ in range(count):
            started = time.monotonic()
            data = grader.grade(SOLUTIONS_DIR / "a4_vanishing", ["a4_vanishing"]).to_gradescope()
            seconds.append(time.monotonic() - started)
            data.pop("execution_time")
            seen.add(json.dumps(data, sort_keys=True))
    print(f"{count} gradings of the reference (--jobs 2): {len(seen)} distinct report(s); seconds per grading: "
          f"first {seconds[0]:.1f} (fork servers starting), then median {statistics.median(seconds[1:]):.1f}, "
          f"max {max(seconds[1:]):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--init-seeds", type=int, default=100)
    parser.add_argument("--regrades", type=int, default=20)
    parser.add_argument("--only", nargs="*", default=["phenomenon", "comparison", "inits", "regrades"])
    args = parser.parse_args()
    module = reference()
    for part in args.only:
        started = time.monotonic()
        print(f"== {part}", flush=True)
        if part == "regrades":
            regrades(args.regrades)
        elif part in TAILS:
            ratio_tail(module, args.seeds, part)
        else:
            {"phenomenon": phenomenon, "comparison": comparison, "inits": inits}[part](
                module, args.init_seeds if part == "inits" else args.seeds)
        print(f"({time.monotonic() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
