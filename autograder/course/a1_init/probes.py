"""Probes for a1_init: call an initializer and report what it did to the tensor it was given."""

from __future__ import annotations

import functools
import sys
from types import ModuleType
from typing import Any

import torch
from torch import nn

from autograder.sandbox.probes import student_function

_NN_INIT_FILE = nn.init.__file__


def sample(module: ModuleType, name: str, shape: list[int], **kwargs: Any) -> dict[str, Any]:
    """Fill a NaN tensor with the student's initializer; report the values and whether it returned it."""
    tensor = torch.full(shape, float("nan"))
    returned = student_function(module, name)(tensor, **kwargs)
    return {"values": tensor, "same_object": returned is tensor}


def sample_parameter(module: ModuleType, name: str, shape: list[int]) -> dict[str, Any]:
    """Initialize an ``nn.Parameter`` that requires grad, as ``model.apply`` would."""
    parameter = nn.Parameter(torch.full(shape, float("nan")))
    returned = student_function(module, name)(parameter)
    return {"values": parameter.detach(), "same_object": returned is parameter,
            "requires_grad": parameter.requires_grad, "is_leaf": parameter.is_leaf}


def reseeded(module: ModuleType, name: str, shape: list[int], base_seed: int) -> list[torch.Tensor]:
    """Draws after manual_seed(base_seed), the same again, and manual_seed(base_seed + 1)."""
    function = student_function(module, name)
    draws = []
    for s in (base_seed, base_seed, base_seed + 1):
        torch.manual_seed(s)
        tensor = torch.zeros(shape)
        function(tensor)
        draws.append(tensor)
    return draws


def nn_init_calls(module: ModuleType, name: str, shape: list[int]) -> dict[str, Any]:
    """Names of torch.nn.init functions that run while the student's function runs, and what it raised.

    A profile hook sees every Python call, also through names bound with ``from torch.nn.init import``.
    An exception of the student's function is an observation (its type name), not a verdict: a function
    that crashes has not thereby called torch.nn.init. The parent also reads the source itself.
    """
    function = student_function(module, name)
    calls: list[str] = []
    raised = None

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == _NN_INIT_FILE:
            calls.append(frame.f_code.co_name)

    target = demo_model() if name == "init_weights" else torch.zeros(shape)
    before = [p.detach().clone() for p in target.parameters()] if name == "init_weights" else None
    sys.setprofile(profile)
    try:
        if name == "init_weights":
            target.apply(function)
        else:
            function(target)
    except Exception as exc:  # noqa: BLE001 -- the exception's type is the observation
        raised = type(exc).__name__
    finally:
        removed = sys.getprofile() is not profile
        sys.setprofile(None)
    if removed:
        calls.append("<the grader's call monitor was removed>")
    if name == "init_weights":
        filled = any(not torch.equal(b, p.detach()) for b, p in zip(before, target.parameters()))
    else:
        filled = bool(torch.isfinite(target).all()) and float(target.std()) > 0
    return {"calls": sorted(set(calls)), "raised": raised, "filled": filled}


def demo_model(bias_free: bool = True) -> nn.Module:
    """Linear layers of three shapes among layers init_weights must leave alone; the last Linear has no
    bias when ``bias_free`` (one check tests that case; the others do not charge it again).

    The parent builds the same structure to know which module owns each parameter (never the child's word).
    """
    return nn.Sequential(nn.Linear(400, 300), nn.ReLU(), nn.BatchNorm1d(300), nn.Linear(300, 200),
                         nn.Conv2d(3, 8, 3), nn.Linear(200, 100, bias=not bias_free))


def apply_init_weights(module: ModuleType, state: dict[str, torch.Tensor], scheme: str, bias: float,
                       bias_free: bool = True) -> dict[str, Any]:
    """``model.apply(partial(init_weights, scheme=..., bias=...))`` on the demo model loaded with ``state``.

    ``state`` (every parameter and buffer before the call) is chosen by the parent. In the same run, the
    student's own ``{scheme}_`` fills a fresh tensor of each Linear weight's shape first ("own"), so the
    parent can judge init_weights against what the student's initializer does, and charge a broken
    initializer only in its own check.
    """
    init_weights = student_function(module, "init_weights")
    own = {}
    initializer = getattr(module, f"{scheme}_", None)
    for key, value in state.items():
        if key.endswith("weight") and value.dim() == 2 and callable(initializer):
            tensor = torch.full(tuple(value.shape), float("nan"))
            try:
                initializer(tensor)
                own[key] = tensor
            except Exception as exc:  # noqa: BLE001 -- recorded; judged in the initializer's own check
                own[key] = type(exc).__name__
    model = demo_model(bias_free)
    model.load_state_dict(state)
    model.apply(functools.partial(init_weights, scheme=scheme, bias=bias))
    after = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return {"after": after, "own": own}
