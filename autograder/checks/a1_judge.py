"""How a1_init checks judge an initializer: the exact law, calibrated tests, and named mistakes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from autograder import stats
from autograder.expect import expect, expect_equal, expect_tensor, fail
from autograder.probes import a1_init as probes
from autograder.probes import common
from autograder.submission import Submission

INITIALIZERS = ("xavier_normal_", "xavier_uniform_", "kaiming_normal_", "kaiming_uniform_")


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


def _diagnose(observed_std: float, law: Law, rel_tol: float) -> str | None:
    """The named mistake whose std is closest to the observed one, if it is close enough."""
    best = min(law.mistakes.items(), key=lambda item: abs(math.log(observed_std / item[1])), default=None)
    if best and abs(observed_std / best[1] - 1.0) < 3 * rel_tol:
        return best[0]
    return None


def sampled(sub: Submission, name: str, shape: tuple[int, ...], **kwargs: Any) -> torch.Tensor:
    """The tensor the student's initializer filled, validated as a full float tensor of ``shape``."""
    observed = sub.run(probes.sample, name, list(shape), **kwargs)
    call = f"{name}(torch.empty{shape}{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
    return expect_tensor(f"the tensor after {call}", observed["values"], shape=shape, dtype=torch.float32)


def judge_spread(values: torch.Tensor, name: str, law: Law, call: str) -> str:
    """Mean ~ 0 and the right variance (and, for uniform laws, the right bound).

    Tolerances (see :mod:`autograder.stats`): |mean| < 5.5 std / sqrt(n); |s^2/sigma^2 - 1| <
    5.5 sqrt(k/n) with k = 2 (normal) or 0.8 (uniform); for U(-a, a): max |x| <= a (float32 rounding
    allowed) and max |x| >= a (1 - 1e-3), which n >= 1e4 draws miss with probability
    (1 - 1e-3)^n < 5e-5 ... e^-150 (n = 150,000 in the public checks).
    """
    n = values.numel()
    mean = float(values.double().mean())
    mean_tol = stats.mean_tolerance(law.std, n)
    expect(abs(mean) <= mean_tol,
           f"{call}: the mean of the {n:,} values is {mean:.5f}; it must be 0 (within ±{mean_tol:.5f}).",
           "a symmetric law around 0 is required: torch.rand draws from [0, 1), shift and scale it "
           "to [-a, a)." if law.kind == "uniform" and mean > 0 else None)
    observed_std = math.sqrt(stats.second_moment(values))
    ratio_tol = stats.variance_ratio_tolerance(law.kind, n)
    ratio = observed_std ** 2 / law.std ** 2
    if abs(ratio - 1.0) > ratio_tol:
        hint = _diagnose(observed_std, law, ratio_tol) if observed_std > 0 else "the tensor is all zeros."
        fail(f"{call}: std {observed_std:.5f}, expected {law.std:.5f} ({law.formula}); the variance is off "
             f"by a factor {ratio:.3f} (allowed 1 ± {ratio_tol:.3f}).", hint)
    if law.kind == "uniform":
        top = float(values.abs().max())
        expect(top <= law.bound * (1 + 1e-6),
               f"{call}: a value of magnitude {top:.5f} lies outside the bound ±{law.bound:.5f} ({law.formula}).")
        expect(top >= law.bound * (1 - 1e-3),
               f"{call}: the largest magnitude is {top:.5f}, but U(-a, a) with a = {law.bound:.5f} reaches "
               f"within 0.1% of a in {n:,} draws.")
    return f"std {observed_std:.5f} (expected {law.std:.5f}), mean {mean:+.5f}"


def judge_shape(values: torch.Tensor, law: Law, call: str) -> str:
    """Kolmogorov-Smirnov distance to the exact law below 2.90 / sqrt(n) (p ~ 1e-7, stats.KS_LAMBDA)."""
    d = stats.ks_statistic(values, law.kind, law.std)
    tol = stats.ks_tolerance(values.numel())
    other = "uniform" if law.kind == "normal" else "normal"
    expect(d <= tol, f"{call}: the values do not follow a {law.kind} law: Kolmogorov-Smirnov distance "
           f"{d:.4f} to the exact law, allowed {tol:.4f}.",
           f"a {law.kind} initializer must draw from a {law.kind} distribution"
           f" (is it drawing a {other} one, or clipping?)")
    return f"KS distance {d:.4f} (allowed {tol:.4f})"


def judge_initializer(sub: Submission, name: str, shape: tuple[int, ...], test_shape: bool = False,
                      **kwargs: Any) -> str:
    """Run the student's ``name`` on ``shape`` and judge its spread (and its law, when asked)."""
    values = sampled(sub, name, shape, **kwargs)
    call = f"{name} on shape {shape}" + "".join(f", {k}={v!r}" for k, v in kwargs.items())
    law = law_of(name, shape, **kwargs)
    notes = [judge_spread(values, name, law, call)]
    if test_shape:
        notes.append(judge_shape(values, law, call))
    return f"{call}: " + "; ".join(notes)


def expect_value_error(sub: Submission, what: str, name: str, *args: Any, **kwargs: Any) -> None:
    """The student's ``name(*args)`` must raise ValueError."""
    raised = sub.run(common.raises, name, *args, **kwargs)
    expect(raised == "ValueError", f"{what}: expected ValueError, "
           + ("but nothing was raised." if raised is None else f"got {raised}."))


def judge_fans(sub: Submission, shape: tuple[int, ...]) -> None:
    """fan_in_and_fan_out on an empty tensor of ``shape`` must give the two fans as ints."""
    observed = sub.call("fan_in_and_fan_out", torch.empty(shape))
    if type(observed) in (list, tuple) and len(observed) == 2:
        observed = tuple(int(v) if type(v) is int else v for v in observed)
    fan_in, fan_out = fans(shape)
    expect_equal(f"fan_in_and_fan_out(torch.empty{shape})", observed, (fan_in, fan_out),
                 hint="for a weight of shape (out, in, *kernel): fan_in = in * prod(kernel), "
                      "fan_out = out * prod(kernel).")


def judge_apply(sub: Submission, scheme: str, bias: float) -> str:
    """``model.apply(partial(init_weights, scheme, bias))``: Linear weights follow the scheme,
    Linear biases equal ``bias``, every other module is untouched."""
    observed = sub.run(probes.apply_init_weights, scheme=scheme, bias=bias)
    before, after, owners = observed["before"], observed["after"], observed["owners"]
    notes = []
    for key, owner in owners.items():
        new = expect_tensor(f"{key} after model.apply", after.get(key), shape=tuple(before[key].shape), finite=False)
        if owner != "Linear":
            expect(bool(torch.equal(new, before[key])),
                   f"init_weights changed {key} of a {owner}; only nn.Linear modules may be touched.")
        elif key.endswith("bias"):
            expect(bool((new == bias).all()),
                   f"{key}: every bias must equal the constant {bias!r}; got values in "
                   f"[{float(new.min()):.4g}, {float(new.max()):.4g}].")
        else:
            law = law_of(f"{scheme}_", tuple(new.shape))
            notes.append(judge_spread(new, f"{scheme}_", law, f"init_weights({scheme!r}) on Linear {key}"))
    return "; ".join(notes)
