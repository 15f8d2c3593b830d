"""Calibrated statistical tests: every tolerance here is derived, not guessed.

Every statistic is tested at a two-sided level below 4e-8 (z = 5.5), so a check that makes up to
20 such tests fails a correct implementation with probability below 20 * 4e-8 < 1e-6. Sample sizes
in the checks are chosen so that the classic mistakes sit many tolerances away from the truth
and fail on every seed (the mutants in tests/mutants/ prove it).
"""

from __future__ import annotations

import math

import torch

#: Two-sided standard-normal quantile for p = 3.8e-8: P(|Z| > 5.5) = 3.8e-8.
Z = 5.5
#: Kolmogorov-Smirnov: P(sqrt(n) * D_n > 2.90) ~ 2 exp(-2 * 2.90^2) = 1.0e-7 (the asymptotic tail,
#: accurate to a few percent above n = 1000 and conservative for a fully specified law).
KS_LAMBDA = 2.90
#: E[X^4] / sigma^4 - 1: 2 for a normal law, 4/5 for a uniform law U(-a, a) (a^4/5 / (a^2/3)^2 - 1).
VARIANCE_KURTOSIS = {"normal": 2.0, "uniform": 0.8}


def mean_tolerance(std: float, n: int) -> float:
    """|sample mean| < Z * std / sqrt(n) for n iid draws of a zero-mean law with this std."""
    return Z * std / math.sqrt(n)


def variance_ratio_tolerance(law: str, n: int) -> float:
    """|s^2 / sigma^2 - 1| bound: Var(s^2) / sigma^4 = (E[X^4]/sigma^4 - 1) / n (known zero mean)."""
    return Z * math.sqrt(VARIANCE_KURTOSIS[law] / n)


def ks_tolerance(n: int) -> float:
    return KS_LAMBDA / math.sqrt(n)


def ks_statistic(sample: torch.Tensor, law: str, std: float) -> float:
    """Kolmogorov-Smirnov distance between ``sample`` and N(0, std^2) or U(-a, a) with a = sqrt(3) std."""
    x = sample.detach().double().flatten().sort().values
    n = x.numel()
    if law == "normal":
        cdf = torch.special.ndtr(x / std)
    else:
        bound = math.sqrt(3.0) * std
        cdf = ((x + bound) / (2 * bound)).clamp(0.0, 1.0)
    ranks = torch.arange(1, n + 1, dtype=torch.float64)
    return float(torch.maximum(ranks / n - cdf, cdf - (ranks - 1) / n).max())


def second_moment(sample: torch.Tensor) -> float:
    """Mean of x^2: the variance estimate for a law whose mean is known to be 0."""
    return float(sample.detach().double().pow(2).mean())
