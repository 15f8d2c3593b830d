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


def chi_square_threshold(df: int, z: float = Z) -> float:
    """Upper quantile of chi-square(df) at the normal tail of ``z`` (Wilson-Hilferty cube root).

    (X/df)^(1/3) is close to normal with mean 1 - 2/(9 df) and variance 2/(9 df); for df >= 50 the
    quantile is accurate to about 1 % at z = 5.5, so the level stays near 4e-8 (well below 1e-6).
    """
    h = 2.0 / (9.0 * df)
    return df * (1.0 - h + z * math.sqrt(h)) ** 3


def chi_square_uniform(counts: torch.Tensor) -> tuple[float, int]:
    """Pearson's statistic and degrees of freedom for an n x n position table of n-item permutations.

    Under uniformly random permutations each row (and column) is multinomial with equal cells;
    the table's statistic is ~ chi-square with (n - 1)^2 degrees of freedom.
    """
    counts = counts.double()
    expected = counts.sum(dim=1, keepdim=True) / counts.shape[1]
    statistic = float(((counts - expected) ** 2 / expected).sum())
    return statistic, (counts.shape[0] - 1) * (counts.shape[1] - 1)
