"""Probes for a1_init: call an initializer and report what it did to the tensor it was given."""

from __future__ import annotations

import functools
import sys
from types import ModuleType
from typing import Any

import torch
from torch import nn

from autograder.probes.common import student_function

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


def nn_init_calls(module: ModuleType, name: str, shape: list[int]) -> list[str]:
    """Names of torch.nn.init functions that run while the student's function runs.

    A profile hook sees every Python call, also through names bound with ``from torch.nn.init import``.
    """
    function = student_function(module, name)
    calls: list[str] = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == _NN_INIT_FILE:
            calls.append(frame.f_code.co_name)

    target = _demo_model() if name == "init_weights" else torch.zeros(shape)
    sys.setprofile(profile)
    try:
        if name == "init_weights":
            target.apply(function)
        else:
            function(target)
        if sys.getprofile() is not profile:
            calls.append("<the grader's call monitor was removed>")
    finally:
        sys.setprofile(None)
    return sorted(set(calls))


def _demo_model() -> nn.Module:
    return nn.Sequential(nn.Linear(400, 300), nn.ReLU(), nn.BatchNorm1d(300), nn.Linear(300, 200),
                         nn.Conv2d(3, 8, 3), nn.Linear(200, 100, bias=False))


def apply_init_weights(module: ModuleType, **kwargs: Any) -> dict[str, Any]:
    """``model.apply(partial(init_weights, **kwargs))`` on a model of Linear and other layers.

    Reports every parameter and buffer before and after, and the module type owning each.
    """
    init_weights = student_function(module, "init_weights")
    model = _demo_model()
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.apply(functools.partial(init_weights, **kwargs))
    after = {k: v.detach().clone() for k, v in model.state_dict().items()}
    owners = {k: type(model.get_submodule(k.rsplit(".", 1)[0])).__name__ for k in before}
    return {"before": before, "after": after, "owners": owners}
