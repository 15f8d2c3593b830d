"""Assertions for checks: each failure says what was expected, what was observed, and a hint."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch


class CheckFailed(AssertionError):
    """A check's verdict: the submission is wrong in the way the message explains."""


@dataclass(frozen=True)
class Partial:
    """Returned by a check that earns part of its points."""

    fraction: float
    message: str


def fail(message: str, hint: str | None = None) -> None:
    raise CheckFailed(message + (f"\n\nHint: {hint}" if hint else ""))


def expect(condition: bool, message: str, hint: str | None = None) -> None:
    if not condition:
        fail(message, hint)


def expect_equal(what: str, observed: Any, expected: Any, hint: str | None = None) -> None:
    if type(observed) is not type(expected) or observed != expected:
        fail(f"{what}: expected {expected!r}, got {describe(observed)}.", hint)


def expect_close(what: str, observed: Any, expected: float, tol: float, hint: str | None = None) -> None:
    if type(observed) not in (int, float) or not math.isfinite(observed) or abs(observed - expected) > tol:
        fail(f"{what}: expected {expected:.6g} (within ±{tol:.2g}), got {describe(observed)}.", hint)


def expect_tensor(what: str, value: Any, shape: tuple[int, ...] | None = None,
                  dtype: torch.dtype | None = None, finite: bool = True) -> torch.Tensor:
    """``value`` must be a tensor of this shape and dtype, with finite entries; returns it."""
    if type(value) is not torch.Tensor:
        fail(f"{what}: expected a tensor, got {describe(value)}.")
    if shape is not None and tuple(value.shape) != tuple(shape):
        fail(f"{what}: expected shape {tuple(shape)}, got {tuple(value.shape)}.")
    if dtype is not None and value.dtype != dtype:
        fail(f"{what}: expected dtype {dtype}, got {value.dtype}.")
    if finite and value.is_floating_point() and not bool(torch.isfinite(value).all()):
        bad = int((~torch.isfinite(value)).sum())
        fail(f"{what}: {bad} of {value.numel()} entries are NaN or infinite (was every entry filled?).")
    return value


def describe(value: Any) -> str:
    """A short, safe description of plain data for feedback."""
    if type(value) is dict and "__unsupported__" in value:
        return str(value["__unsupported__"])
    if type(value) is torch.Tensor:
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
