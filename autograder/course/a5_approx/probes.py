"""Probes for a5_approx: hand the student's code the grader's target functions, report weights and values.

The targets live here, in trusted code: a student function never chooses the function it is graded
on. Each accepts a tensor, a numpy array or a float (students may evaluate f any of those ways)
and answers in kind. The parent recomputes every value it judges from its own copy of the formula.
"""

from __future__ import annotations

import contextlib
import math
from types import ModuleType
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch import nn

from autograder.sandbox.probes import leaf_modules, student_function


def _apply(x: Any, formula: Callable[[Any, Any], Any]) -> Any:
    """``formula(x, lib)`` with the math library that suits ``x``: torch for tensors, numpy for arrays
    and lists, math for numbers."""
    if isinstance(x, torch.Tensor):
        return formula(x, torch)
    if isinstance(x, (np.ndarray, np.generic, list, tuple)):
        return formula(np.asarray(x, dtype=np.float64), np)
    return formula(float(x), math)


def nielsen_formula(x: Any, lib: Any) -> Any:
    """0.2 + 0.4 x^2 + 0.3 x sin(15 x) + 0.05 cos(50 x), the lecture's (Nielsen's) example."""
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * lib.sin(15 * x) + 0.05 * lib.cos(50 * x)


def ramp_formula(x: Any, lib: Any) -> Any:
    """A target students have not seen: a tilted sine with a kink, Lipschitz constant below 2.4."""
    return 0.5 + 0.3 * lib.sin(6 * x) + 0.4 * abs(x - 0.37) - 0.2 * x


FORMULAS: dict[str, Callable[[Any, Any], Any]] = {"nielsen": nielsen_formula, "ramp": ramp_formula}


def target(name: str) -> Callable[[Any], Any]:
    """The grader's target function ``name`` as a plain callable for student code."""
    formula = FORMULAS[name]

    def f(x: Any) -> Any:
        return _apply(x, formula)

    f.__name__ = name
    return f


class _Recorder:
    """A target that also records every input it was called on (as float32 CPU tensors)."""

    def __init__(self, name: str) -> None:
        self.f, self.calls = target(name), []

    def __call__(self, x: Any) -> Any:
        points = x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x  # any layout: copied dense
        self.calls.append(torch.from_numpy(np.array(points, dtype=np.float32, copy=True, order="C")))
        return self.f(x)


#: What the bump and trained networks are applied to when the grader reads them (x of shape (N, 1)).
EXAMPLE = torch.linspace(0.0, 1.0, 5).reshape(-1, 1)


def module_types(model: nn.Module) -> list[str]:
    """The class names of the model's leaf modules in the order its forward pass applies them (a shared
    activation module counts each time; containers such as Sequential or ModuleList are left out: a
    student's own nn.Module is as good as a Sequential)."""
    return [type(m).__name__ for _, m in leaf_modules(model, EXAMPLE)]


def linear_layers(model: nn.Module) -> list[dict[str, torch.Tensor]]:
    """Weight and bias (None when absent) of every nn.Linear in the order the forward pass applies them."""
    return [{"weight": m.weight.detach().clone(), "bias": None if m.bias is None else m.bias.detach().clone()}
            for _, m in leaf_modules(model, EXAMPLE) if isinstance(m, nn.Linear)]


def _dtype(model: nn.Module) -> torch.dtype:
    """The dtype the model computes in (float64 networks are as good as float32 ones)."""
    first = next(model.parameters(), None)
    return first.dtype if first is not None and first.is_floating_point() else torch.float32


def _require_module(model: Any, function: str) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"{function} must return an nn.Module, not a {type(model).__name__}")
    return model


def values(module: ModuleType, name: str, args: list[Any]) -> Any:
    """``name(*args)`` of the student's (step, bump or neilson_example) on grader-chosen inputs."""
    return student_function(module, name)(*args)


def bump_networks(module: ModuleType, target_name: str, sizes: list[tuple[int, float]],
                  grid: torch.Tensor) -> list[dict[str, Any]]:
    """``bump_network(f, n, w)`` for each (n, w): the module types, linear layers, and the model's own
    output on ``grid`` (the parent compares it with its own forward pass of the same weights)."""
    build = student_function(module, "bump_network")
    found = []
    for n, w in sizes:
        model = _require_module(build(target(target_name), n, w), "bump_network")
        with torch.no_grad():
            output = model(grid.reshape(-1, 1).to(_dtype(model)))
        found.append({"n": n, "w": w, "modules": module_types(model), "layers": linear_layers(model),
                      "output": output})
    return found


def trained(module: ModuleType, target_name: str, kwargs: dict[str, Any], record: bool,
            grid: torch.Tensor) -> dict[str, Any]:
    """``train_approximator(f, **kwargs)``: module types, linear layers, the returned losses, the
    model's own output on ``grid`` and, when ``record``, every input the student evaluated f on."""
    f = _Recorder(target_name) if record else target(target_name)
    with _first_optimizer_parameters() as built:
        returned = student_function(module, "train_approximator")(f, **kwargs)
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        raise TypeError(f"train_approximator must return (model, losses), not {type(returned).__name__}")
    model, losses = returned
    model = _require_module(model, "train_approximator")
    with torch.no_grad():
        output = model(grid.reshape(-1, 1).to(_dtype(model)))
    losses = list(losses) if isinstance(losses, (list, tuple)) else losses
    return {"modules": module_types(model), "layers": linear_layers(model), "losses": losses,
            "output": output, "calls": f.calls if record else None, "initial": _as_built(model, built)}


@contextlib.contextmanager
def _first_optimizer_parameters() -> Iterator[dict[int, torch.Tensor]]:
    """Copies of the parameters handed to the first optimizer built inside, by tensor identity: the
    network as built, before any step, whatever number of steps the loop then takes."""
    built: dict[int, torch.Tensor] = {}
    original = torch.optim.Optimizer.__init__

    def snapshot(optimizer: torch.optim.Optimizer, params: Any, *args: Any, **kwargs: Any) -> None:
        params = list(params)
        if not built:
            for entry in params:
                for tensor in (entry.get("params", []) if isinstance(entry, dict) else [entry]):
                    if isinstance(tensor, torch.Tensor):
                        built[id(tensor)] = tensor.detach().clone()
        original(optimizer, params, *args, **kwargs)

    torch.optim.Optimizer.__init__ = snapshot
    try:
        yield built
    finally:
        torch.optim.Optimizer.__init__ = original


def _as_built(model: nn.Module, built: dict[int, torch.Tensor]) -> list[dict[str, Any]] | None:
    """The model's Linear layers as its first optimizer received them (None: no optimizer held them all,
    e.g. a hand-written update; then the returned weights at steps=0 are the start)."""
    linears = [m for _, m in leaf_modules(model, EXAMPLE) if isinstance(m, nn.Linear)]
    tensors = [t for m in linears for t in (m.weight, m.bias) if t is not None]
    if not tensors or any(id(t) not in built for t in tensors):
        return None
    return [{"weight": built[id(m.weight)], "bias": None if m.bias is None else built[id(m.bias)]} for m in linears]
