"""Assertions for checks: each failure says what was expected, what was observed, and a hint."""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any, Iterator

import torch

from autograder.sandbox import SubmissionError
from autograder.sandbox.wire import is_number


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


def expect_result_dict(what: str, value: Any, keys: tuple[str, ...]) -> dict:
    if type(value) is not dict or not set(keys) <= set(value):
        fail(f"{what} must return a dict with keys {list(keys)}; got {describe(value)}.")
    return value


def expect_float(what: str, value: Any) -> float:
    """A finite Python number (a 0-d tensor is accepted and read)."""
    if type(value) is torch.Tensor and value.numel() == 1:
        value = float(value)
    expect(is_number(value), f"{what} must be a finite float; got {describe(value)}.",
           "convert tensors with .item() before accumulating them.")
    return float(value)


@contextlib.contextmanager
def hint_on_error(hint: str) -> Iterator[None]:
    """Attach the check's hint to a failure of the student's code (feedback.explain shows it)."""
    try:
        yield
    except SubmissionError as error:
        if not getattr(error, "hint", None):
            error.hint = hint
        raise


def describe(value: Any) -> str:
    """A short, safe description of plain data for feedback."""
    if type(value) is dict and "__unsupported__" in value:
        return str(value["__unsupported__"])
    if type(value) is torch.Tensor:
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
