"""The initializers' laws from the lecture, and the calibrated tests that judge draws against them.

Shared by every assignment that judges an initialization (a1's initializers, a4's schemes): each test's
false-fail probability for a correct law is at most ``stats.ALPHA`` at its own sample size
(:mod:`autograder.stats`), and a mistake is named only when the draws match its prediction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from autograder import stats
from autograder.expect import CheckFailed, expect, fail


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


@dataclass(frozen=True)
class Law:
    """The distribution an initializer must produce, and what common mistakes would produce."""

    kind: str                      # "normal" or "uniform"
    std: float
    formula: str                   # e.g. "gain*sqrt(2/(fan_in+fan_out)) with fan_in+fan_out=800"
    mistakes: dict[str, float]     # hint -> the std that mistake gives

    @property
    def bound(self) -> float:
        return math.sqrt(3.0) * self.std


def law_of(name: str, shape: tuple[int, ...], gain: float = 1.0, mode: str = "fan_in") -> Law:
    """The exact law of ``name`` on a tensor of ``shape`` (the lecture's formulas)."""
    fan_in, fan_out = fans(shape)
    kind = "normal" if name.endswith("normal_") else "uniform"
    to_std = 1.0 if kind == "normal" else 1.0 / math.sqrt(3.0)   # a uniform's std is its bound / sqrt(3)
    if name.startswith("xavier"):
        total = fan_in + fan_out
        std = gain * math.sqrt(2.0 / total)
        what = "std" if kind == "normal" else "bound"
        value = "gain*sqrt(2/(fan_in+fan_out))" if kind == "normal" else "gain*sqrt(6/(fan_in+fan_out))"
        formula = f"{what} = {value} with fan_in={fan_in}, fan_out={fan_out}, gain={gain:g}"
        mistakes = {
            "did you use fan_in alone instead of fan_in + fan_out?": gain * math.sqrt(2.0 / fan_in),
            "did you use fan_out alone instead of fan_in + fan_out?": gain * math.sqrt(2.0 / fan_out),
            "did you ignore `gain`?": math.sqrt(2.0 / total),
            "did you use the variance where the standard deviation is meant (a missing sqrt)?": gain * 2.0 / total,
        }
        if kind == "uniform":
            mistakes["did you use sqrt(2/(fan_in+fan_out)) as the bound? U(-a, a) has variance a^2/3, "
                     "so the bound needs sqrt(6/...)"] = gain * math.sqrt(2.0 / total) * to_std
    else:
        fan, other = (fan_in, fan_out) if mode == "fan_in" else (fan_out, fan_in)
        std = math.sqrt(2.0 / fan)
        value = "sqrt(2/fan)" if kind == "normal" else "sqrt(6/fan)"
        formula = f"{'std' if kind == 'normal' else 'bound'} = {value} with mode={mode!r}, fan={fan}"
        mistakes = {
            f"did you use the other fan? mode={mode!r} means fan={fan}, not {other}": math.sqrt(2.0 / other),
            "did you forget the ReLU gain sqrt(2)? Kaiming's variance is 2/fan, not 1/fan": math.sqrt(1.0 / fan),
            "did you use Xavier's fan_in + fan_out?": math.sqrt(2.0 / (fan_in + fan_out)),
            "did you use the variance where the standard deviation is meant (a missing sqrt)?": 2.0 / fan,
        }
        if kind == "uniform":
            mistakes["did you use sqrt(2/fan) as the bound? U(-a, a) has variance a^2/3, so the bound "
                     "needs sqrt(6/fan)"] = math.sqrt(2.0 / fan) * to_std
    return Law(kind, std, formula, mistakes)


def diagnose(observed_std: float, law: Law, n: int) -> int | None:
    """The position (in ``law.mistakes``) of the one named mistake whose predicted std explains
    ``observed_std``, else None.

    A mistake is named only when the observed variance lies within the calibrated bounds of the variance
    that mistake predicts (stats.variance_ratio_bounds for this sample size) -- the same test that would
    accept the correct law -- and no other mistake also fits; mistakes that predict the correct std
    (e.g. ignoring gain=1) cannot be told apart and are never named.
    """
    low, high = stats.variance_ratio_bounds(law.kind, n)
    fits = [i for i, std in enumerate(law.mistakes.values())
            if not low <= (std / law.std) ** 2 <= high and low <= (observed_std / std) ** 2 <= high]
    return fits[0] if len(fits) == 1 else None


def mistake_hint(observed_std: float, law: Law, n: int) -> str | None:
    found = diagnose(observed_std, law, n)
    return None if found is None else list(law.mistakes)[found]


def spread_fails(values: torch.Tensor, law: Law) -> bool:
    """Whether :func:`judge_spread` would fail these values (without building feedback)."""
    try:
        judge_spread(values, law, "")
    except CheckFailed:
        return True
    return False


def judge_spread(values: torch.Tensor, law: Law, call: str, hint: str | None = None) -> str:
    """Mean ~ 0 and the right variance (and, for uniform laws, the right bound): 3 or 4 tests.

    Each test's false-fail probability is at most stats.ALPHA = 1e-8 for a correct law at this sample
    size (see autograder.stats): the mean (exact for normal draws), the variance (exact chi-square
    quantiles for normal draws, Cornish-Fisher for uniform ones), max |x| <= a (deterministic, float32
    rounding allowed) and max |x| >= a (1 - d) with d = 1 - ALPHA^(1/n) (stats.reach_fraction).
    """
    n = values.numel()
    mean = float(values.double().mean())
    mean_tol = stats.mean_tolerance(law.std, n)
    unshifted = law.kind == "uniform" and bool((values >= 0).all())
    expect(abs(mean) <= mean_tol,
           f"{call}: the mean of the {n:,} values is {mean:.5f}; it must be 0 (within ±{mean_tol:.5f}).",
           "every value is >= 0: torch.rand draws from [0, 1); shift and scale it to [-a, a)." if unshifted else None)
    observed_std = math.sqrt(stats.second_moment(values))
    low, high = stats.variance_ratio_bounds(law.kind, n)
    ratio = observed_std ** 2 / law.std ** 2
    if not low <= ratio <= high:
        if hint is None:
            hint = mistake_hint(observed_std, law, n) if observed_std > 0 else "the tensor is all zeros."
        fail(f"{call}: std {observed_std:.5f}, expected {law.std:.5f} ({law.formula}); the variance is off "
             f"by a factor {ratio:.3f} (allowed {low:.3f} to {high:.3f} for {n:,} values).", hint or None)
    if law.kind == "uniform":
        top = float(values.abs().max())
        reach = stats.reach_fraction(n)
        expect(top <= law.bound * (1 + 1e-6),
               f"{call}: a value of magnitude {top:.5f} lies outside the bound ±{law.bound:.5f} ({law.formula}).")
        expect(top >= law.bound * (1 - reach),
               f"{call}: the largest magnitude is {top:.5f}, but {n:,} draws of U(-a, a) with a = {law.bound:.5f} "
               f"reach beyond {law.bound * (1 - reach):.5f} except with probability 1e-8.")
    return f"std {observed_std:.5f} (expected {law.std:.5f}), mean {mean:+.5f}"


def judge_independence(values: torch.Tensor, call: str, ordered: torch.Tensor | None = None) -> str:
    """The draws are independent: no order between neighbours in memory, between rows, no repeated block.

    Three tests, each false-failing with probability <= 1e-8 for iid draws of any law symmetric about 0
    (stats.sign_agreement, stats.repeated_fraction). Sorting the draws (globally or row by row) makes
    neighbours agree in sign; tiling a short block repeats values; copying rows makes rows agree.
    """
    rows = values.reshape(values.shape[0], -1)
    notes = []
    for lag, what in ((1, "neighbouring values (in memory order)"), (rows.shape[1], "neighbouring rows")):
        z, allowed = stats.sign_agreement(values, lag)
        expect(abs(z) <= allowed,
               f"{call}: the draws are not independent: the signs of {what} agree far "
               f"{'more' if z > 0 else 'less'} often than chance (z = {z:.1f}, allowed ±{allowed:.1f}).",
               "fill every entry with its own independent draw; do not sort, smooth or copy values." if z > 0 else None)
        notes.append(f"z {z:+.1f}")
    repeated, allowed = (stats.repeated_fraction(ordered, is_sorted=True) if ordered is not None
                         else stats.repeated_fraction(values))
    expect(repeated <= allowed,
           f"{call}: {repeated:.0%} of the {values.numel():,} values repeat an earlier value (independent draws "
           f"repeat far fewer than {allowed:.0%}).",
           "draw every entry anew (e.g. tensor.normal_ on the whole tensor), not a short block tiled or repeated.")
    return f"independent (sign agreement {', '.join(notes)}, {repeated:.2%} repeats)"


def judge_shape(values: torch.Tensor, law: Law, call: str, ordered: torch.Tensor | None = None) -> str:
    """Kolmogorov-Smirnov distance to the exact law below 3.09 / sqrt(n) (p <= 1e-8 for every n, Massart)."""
    d = (stats.ks_statistic(ordered, law.kind, law.std, is_sorted=True) if ordered is not None
         else stats.ks_statistic(values, law.kind, law.std))
    tol = stats.ks_tolerance(values.numel())
    if d > tol:
        fail(f"{call}: the values do not follow a {law.kind} law: Kolmogorov-Smirnov distance "
             f"{d:.4f} to the exact law, allowed {tol:.4f}.", _shape_hint(values, law))
    return f"KS distance {d:.4f} (allowed {tol:.4f})"


#: E[x^4] / E[x^2]^2 of each law: 3 for a normal law, 9/5 for a uniform one.
_KURTOSIS = {"normal": 3.0, "uniform": 1.8}


def _shape_hint(values: torch.Tensor, law: Law) -> str | None:
    """Name "drew the other law" only when the sample's kurtosis is the other law's (24/n is the variance
    of a normal sample's kurtosis; the band of 5.7 sd, at least 0.2, separates 3 from 1.8 at every size)."""
    x = values.double().flatten()
    m2 = float(x.pow(2).mean())
    if m2 == 0:
        return None
    kurtosis = float(x.pow(4).mean()) / m2 ** 2
    band = max(0.2, stats.Z * math.sqrt(24.0 / x.numel()))
    other = "uniform" if law.kind == "normal" else "normal"
    if abs(kurtosis - _KURTOSIS[other]) < band:
        return (f"the values' kurtosis E[x^4]/E[x^2]^2 is {kurtosis:.2f}, a {other} law's ({_KURTOSIS[other]:g}), "
                f"not a {law.kind} law's ({_KURTOSIS[law.kind]:g}): is {law.kind} drawing from a {other} distribution?")
    return None


def expect_default_linear(what: str, start: list[tuple[torch.Tensor, torch.Tensor]], hint: str) -> None:
    """Linear layers (weight, bias) as PyTorch's default initialization of nn.Linear draws them: every
    weight and bias uniform on +-1/sqrt(fan_in).

    For a network the grader trains or replays from the student's own start (a5's replays, a3's Net of
    another architecture): without this, a start set by hand (a fit, a pretrained network, all zeros)
    would pass for a network that was never trained. Judged per tensor
    on u = value * sqrt(fan_in): |u| <= 1 exactly, and, for tensors of at least 16 values, the
    Kolmogorov-Smirnov distance to U(-1, 1) within stats.ks_tolerance(n) (Massart: a correct draw
    exceeds it with probability at most stats.ALPHA = 1e-8 at any n; at most 8 tensors, so below
    1e-7 per network). Zeros are at distance 0.5, constant weights at 0.5 or more, far beyond the
    tolerance (0.39 for 64 values, 0.048 for 4,096)."""
    for i, (weight, bias) in enumerate(start):
        for name, tensor in (("weight", weight), ("bias", bias)):
            u = tensor.double().reshape(-1) * math.sqrt(weight.shape[1])
            worst = float(u.abs().max()) if u.numel() else 0.0
            expect(worst <= 1 + 1e-6, f"{what}: the {name} of Linear layer {i} starts at {worst:.3g} / sqrt(fan_in); "
                   "PyTorch's default initialization keeps every weight and bias within 1 / sqrt(fan_in).", hint)
            if u.numel() >= 16:
                distance = stats.ks_statistic(u, "uniform", 1 / math.sqrt(3))
                expect(distance <= stats.ks_tolerance(u.numel()), f"{what}: the {name} of Linear layer {i} does not "
                       f"start uniform on +-1/sqrt(fan_in) as PyTorch's default initialization draws it (KS distance "
                       f"{distance:.3g}, at most {stats.ks_tolerance(u.numel()):.3g} for a correct draw).", hint)
