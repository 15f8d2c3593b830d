"""Calibrated statistical tests: every tolerance is derived from its own sample size and null law.

Each statistic is tested at a false-fail probability of at most ``ALPHA`` = 1e-8 for a correct
implementation (the bound is stated next to each test below). A check that makes ``k`` tests fails a
correct implementation with probability at most ``k * ALPHA`` (union bound); every check of a1 and a2
makes fewer than 100 tests, so each stays below 1e-6 -- each check's docstring states its count.
``benchmarks/calibration.py`` verifies the claims on thousands of correct implementations that
consume randomness differently, and measures the smallest error each test catches.
"""

from __future__ import annotations

import functools
import math

import torch

#: False-fail probability of one statistic (two-sided where the test is two-sided).
ALPHA = 1e-8
#: Two-sided standard-normal quantile: P(|Z| > 5.731) = 1e-8.
Z = float(torch.special.ndtri(torch.tensor(1.0 - ALPHA / 2, dtype=torch.float64)))
#: Kolmogorov-Smirnov: Massart's DKW inequality P(sqrt(n) D_n > lam) <= 2 exp(-2 lam^2) holds for EVERY n
#: (not only asymptotically); 2 exp(-2 * 3.091^2) = 1e-8.
KS_LAMBDA = math.sqrt(math.log(2.0 / ALPHA) / 2.0)
#: Hoeffding for m fair +-1 signs: P(|sum| >= t sqrt(m)) <= 2 exp(-t^2 / 2); 2 exp(-6.182^2 / 2) = 1e-8.
SIGN_T = math.sqrt(2.0 * math.log(2.0 / ALPHA))


def _moments_of_square(law: str) -> tuple[float, float, float]:
    """Skewness and excess kurtosis of X^2 / sigma^2 (and its variance) for one draw X of the law.

    normal: X^2/sigma^2 is chi-square(1): variance 2, skewness sqrt(8), excess kurtosis 12.
    uniform U(-a, a): X^2 / a^2 = U^2 with U ~ U(0, 1), whose raw moments are 1/(2k+1).
    """
    if law == "normal":
        return 2.0, math.sqrt(8.0), 12.0
    m = [1.0 / (2 * k + 1) for k in range(5)]            # E[U^(2k)], k = 0..4
    mu = m[1]
    c2 = m[2] - mu ** 2
    c3 = m[3] - 3 * mu * m[2] + 2 * mu ** 3
    c4 = m[4] - 4 * mu * m[3] + 6 * mu ** 2 * m[2] - 3 * mu ** 4
    return c2 / mu ** 2, c3 / c2 ** 1.5, c4 / c2 ** 2 - 3.0


#: Var(X^2) / sigma^4: 2 for a normal law, 4/5 for U(-a, a) (kept for the power table).
VARIANCE_KURTOSIS = {law: _moments_of_square(law)[0] for law in ("normal", "uniform")}


def mean_tolerance(std: float, n: int) -> float:
    """|sample mean| < Z * std / sqrt(n) for n iid draws of a zero-mean law with this std.

    normal: the mean is exactly N(0, std^2/n), so P(fail) = ALPHA. uniform: the mean's excess kurtosis is
    -1.2/n < 0 (lighter tails than the normal law; Cornish-Fisher moves the quantile inwards), so
    P(fail) < ALPHA.
    """
    return Z * std / math.sqrt(n)


def _chi2_upper(df: float, x: float) -> float:
    """P(chi-square(df) > x), exact (regularized upper incomplete gamma)."""
    return float(torch.special.gammaincc(torch.tensor(df / 2, dtype=torch.float64),
                                         torch.tensor(x / 2, dtype=torch.float64)))


@functools.lru_cache(maxsize=None)
def chi2_quantile(df: float, upper: float) -> float:
    """The x with P(chi-square(df) > x) = ``upper`` (bisection on the exact tail; 1e-10 relative)."""
    lo, hi = 0.0, df + 40.0 * math.sqrt(2.0 * df) + 200.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if _chi2_upper(df, mid) > upper:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10 * hi:
            break
    return hi


def _cornish_fisher(z: float, skew: float, exkurt: float) -> float:
    """Quantile of a standardized sum with this skewness and excess kurtosis at the normal quantile z."""
    return (z + skew * (z * z - 1) / 6 + exkurt * (z ** 3 - 3 * z) / 24
            - skew * skew * (2 * z ** 3 - 5 * z) / 36)


@functools.lru_cache(maxsize=None)
def variance_ratio_bounds(law: str, n: int) -> tuple[float, float]:
    """(low, high): a correct law's s^2 / sigma^2 (s^2 = mean of x^2, mean known 0) lies outside w.p. <= ALPHA.

    normal: n s^2 / sigma^2 is exactly chi-square(n); each bound is its exact ALPHA/2 quantile / n.
    uniform: s^2 / sigma^2 is the mean of n iid 3U^2; its quantiles are the Cornish-Fisher expansion with
    the skewness 0.639/sqrt(n) and excess kurtosis -0.857/n of that mean (the next term is O(n^-1.5),
    below 1e-4 of the tolerance for n >= 4,000).
    """
    if law == "normal":
        return chi2_quantile(n, 1.0 - ALPHA / 2) / n, chi2_quantile(n, ALPHA / 2) / n
    variance, skew, exkurt = _moments_of_square(law)
    sd, skew_n, kurt_n = math.sqrt(variance / n), skew / math.sqrt(n), exkurt / n
    return (1.0 - sd * _cornish_fisher(Z, -skew_n, kurt_n), 1.0 + sd * _cornish_fisher(Z, skew_n, kurt_n))


def variance_ratio_tolerance(law: str, n: int) -> float:
    """The wider side of :func:`variance_ratio_bounds`, as |s^2 / sigma^2 - 1| (for messages and hints)."""
    low, high = variance_ratio_bounds(law, n)
    return max(1.0 - low, high - 1.0)


def reach_fraction(n: int) -> float:
    """max |x| of n draws of U(-a, a) is >= a * (1 - d) except with probability (1 - d)^n = ALPHA.

    d = 1 - ALPHA^(1/n): 0.46 % for n = 4,000, 0.012 % for n = 150,000 (a fixed 0.1 % failed correct
    code at n = 4,000 with probability (1 - 1e-3)^4000 = 1.8 %).
    """
    return 1.0 - ALPHA ** (1.0 / n)


def ks_tolerance(n: int) -> float:
    """sqrt(n) D_n > KS_LAMBDA with probability <= 2 exp(-2 KS_LAMBDA^2) = ALPHA (Massart), any n."""
    return KS_LAMBDA / math.sqrt(n)


def ks_statistic(sample: torch.Tensor, law: str, std: float, is_sorted: bool = False) -> float:
    """Kolmogorov-Smirnov distance between ``sample`` and N(0, std^2) or U(-a, a) with a = sqrt(3) std.

    ``is_sorted``: the sample is already flat and ascending (sorting is the test's main cost).
    """
    x = (sample if is_sorted else sample.detach().flatten().sort().values).double()
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


def sign_agreement(values: torch.Tensor, lag: int) -> tuple[float, float]:
    """(z, allowed): standardized sum of sign(x_k) * sign(x_{k+lag}) over memory order, and its bound.

    For iid draws of a law symmetric about 0, the signs are iid fair +-1, and so are their products at
    any lag (the products along each chain k, k+lag, k+2 lag, ... are a bijection of that chain's signs
    given its first one). Hoeffding: P(|sum of m products| >= SIGN_T sqrt(m)) <= 2 exp(-SIGN_T^2/2) =
    ALPHA, whatever the law's shape or std. Sorted draws give z ~ sqrt(m); identical rows give z = sqrt(m).
    """
    signs = torch.where(values.detach().flatten() < 0, -1.0, 1.0).double()
    products = signs[:-lag] * signs[lag:]
    m = products.numel()
    return (float(products.sum()) / math.sqrt(m) if m else 0.0), SIGN_T


def repeated_fraction(values: torch.Tensor, is_sorted: bool = False) -> tuple[float, float]:
    """(fraction of values equal to an earlier value, allowed fraction 0.1).

    An implementation whose single float32 values have probability p <= 2^-20 (torch's float32
    generators use 24 random bits) expects at most n^2 p / 2 repeats: 670 ... 10,700 of n = 150,000,
    0.5 ... 7.6 of n = 4,000. A repeat count changes by at most 1 when one draw changes, so McDiarmid
    gives P(repeats >= E + t) <= exp(-2 t^2 / n): below 1e-30 for t = n/10 - E at every size used here.
    A short block tiled over the tensor repeats nearly all values.
    """
    ordered = values if is_sorted else values.detach().flatten().sort().values
    n = ordered.numel()
    return (float((ordered[1:] == ordered[:-1]).sum()) / n if n else 0.0), 0.1


def chi_square_threshold(df: int, scale: float = 1.0) -> float:
    """The exact upper-ALPHA quantile of ``scale`` * chi-square(df)."""
    return scale * chi2_quantile(df, ALPHA)


def chi_square_uniform(counts: torch.Tensor) -> tuple[float, int, float]:
    """Pearson's statistic, degrees of freedom and scale for an n x n (index, position) table of permutations.

    Each permutation adds a permutation matrix P; vec(P - J/n) lives in the (n-1)^2-dimensional space of
    tables whose rows and columns sum to 0, and (by the S_n x S_n symmetry) its covariance is 1/(n-1)
    times the projection onto that space. With S permutations and expected count S/n per cell, the
    statistic tends to n/(n-1) * chi-square((n-1)^2), not chi-square((n-1)^2): for n = 10 its mean is 90
    and its variance 200 (310 correct gradings measured mean 90.4, variance 189).
    """
    counts = counts.double()
    n = counts.shape[1]
    expected = counts.sum(dim=1, keepdim=True) / n
    statistic = float(((counts - expected) ** 2 / expected).sum())
    return statistic, (counts.shape[0] - 1) * (n - 1), n / (n - 1)
