"""Probes for a4_vanishing: read the student's networks, run their functions on the grader's models
and data, and describe the student's figure. Observations only; the parent judges them."""

from __future__ import annotations

from types import ModuleType
from typing import Any, Iterator

import torch
from torch import nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

from autograder import data
from autograder.sandbox.probes import leaf_modules, student_function

#: The grader's own modules for the activation names of the assignment (the same torch.nn classes).
GRADER_ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU,
                      "elu": nn.ELU, "hardsigmoid": nn.Hardsigmoid}


def describe_modules(model: Any, grid: torch.Tensor) -> dict[str, Any]:
    """Every leaf module in the order the forward pass applies it (one activation module shared by all
    layers counts at each layer): a Linear's weight and bias, any other module's response to ``grid``.

    The parent identifies activations by their response, so custom activation modules are read too.
    """
    if not isinstance(model, nn.Module):
        return {"type": type(model).__name__, "modules": None}
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    example = torch.zeros(2, first.in_features if first is not None else 1)
    modules = []
    for name, module in leaf_modules(model, example):
        if isinstance(module, nn.Linear):
            modules.append({"name": name, "kind": "linear", "weight": module.weight.detach().clone(),
                            "bias": None if module.bias is None else module.bias.detach().clone()})
        else:
            with torch.no_grad():
                try:
                    response = module(grid.clone())
                except Exception:  # noqa: BLE001 -- a module that cannot take the grid is reported as such
                    response = None
            modules.append({"name": name, "kind": type(module).__name__, "response": response})
    return {"type": type(model).__name__, "sequential": isinstance(model, nn.Sequential), "modules": modules,
            "parameters": sum(p.numel() for p in model.parameters())}


def mlp(module: ModuleType, args: list, grid: torch.Tensor) -> dict[str, Any]:
    """``deep_mlp(*args)`` described module by module."""
    return describe_modules(student_function(module, "deep_mlp")(*args), grid)


def mlps(module: ModuleType, calls: list[list], grid: torch.Tensor) -> list[dict[str, Any]]:
    """Several ``deep_mlp`` calls in one child (the six activations, the six schemes)."""
    return [mlp(module, args, grid) for args in calls]


def grader_model(layers: list[dict[str, Any]]) -> nn.Sequential:
    """The grader's network from plain data: ``{"weight", "bias"}`` for a Linear, ``{"activation": name}``."""
    modules: list[nn.Module] = []
    for layer in layers:
        if "activation" in layer:
            modules.append(GRADER_ACTIVATIONS[layer["activation"]]())
            continue
        linear = nn.Linear(layer["weight"].shape[1], layer["weight"].shape[0])
        with torch.no_grad():
            linear.weight.copy_(layer["weight"])
            linear.bias.copy_(layer["bias"])
        modules.append(linear)
    return nn.Sequential(*modules)


LOSSES = {"cross_entropy": nn.CrossEntropyLoss, "mse": nn.MSELoss}


def gradient_norms(module: ModuleType, layers: list[dict[str, Any]], x: torch.Tensor, y: torch.Tensor,
                   loss: str, junk_seed: int | None) -> dict[str, Any]:
    """``layer_gradient_norms`` twice on the grader's model; the parameters after both calls. With a
    ``junk_seed`` its ``.grad`` start filled with junk (left over from "earlier calls"), else empty."""
    model = grader_model(layers)
    if junk_seed is not None:
        generator = torch.Generator().manual_seed(junk_seed)
        for parameter in model.parameters():
            parameter.grad = torch.randn(parameter.shape, generator=generator)
    function = student_function(module, "layer_gradient_norms")
    first = function(model, x, y, LOSSES[loss]())
    second = function(model, x, y, LOSSES[loss]())
    return {"first": first, "second": second, "after": [p.detach().clone() for p in model.parameters()]}


def _hook_count(model: nn.Module) -> int:
    per_module = sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks)
                     + len(m._backward_pre_hooks) for m in model.modules())
    hooks = nn.modules.module
    return per_module + len(hooks._global_forward_hooks) + len(hooks._global_forward_pre_hooks)


def activation_statistics(module: ModuleType, layers: list[dict[str, Any]], x: torch.Tensor) -> dict[str, Any]:
    """``activation_stats`` twice on the grader's model; hooks and modules left behind, parameters after."""
    model = grader_model(layers)
    types_before = [type(m).__name__ for m in model.modules()]
    function = student_function(module, "activation_stats")
    first = function(model, x)
    hooks = _hook_count(model)
    second = function(model, x)
    return {"first": first, "second": second, "hooks": hooks, "hooks_after_two": _hook_count(model),
            "types_before": types_before, "types_after": [type(m).__name__ for m in model.modules()],
            "after": [p.detach().clone() for p in model.parameters()]}


def phenomenon(module: ModuleType, args: list, x: torch.Tensor, y: torch.Tensor, grid: torch.Tensor) -> dict[str, Any]:
    """The student's ``deep_mlp(*args)`` (described before any call) and the student's own
    ``layer_gradient_norms`` on it for the batch (x, y) with cross-entropy."""
    model = student_function(module, "deep_mlp")(*args)
    described = describe_modules(model, grid)
    norms = student_function(module, "layer_gradient_norms")(model, x, y, nn.CrossEntropyLoss())
    return {"model": described, "norms": norms}


class CountingLoader(DataLoader):
    """The loader ``DataLoader(dataset, batch_size, shuffle=True, generator=Generator().manual_seed(seed))``
    builds (the same draws from the same generator, so the same batches in the same order), noting each
    pass over it: how many indices it drew and whether it ran to its end (where the sampler draws once
    more). The parent reproduces the passes from these notes and replays the training on them."""

    def __init__(self, dataset: Any, batch_size: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.passes: list[list] = []
        super().__init__(dataset, batch_size=batch_size, sampler=_CountingSampler(dataset, generator, self.passes),
                         generator=generator)

    def __iter__(self) -> Any:
        self.passes.append([0, False])  # an iterator draws from the generator as soon as it exists
        return super().__iter__()


class _CountingSampler(RandomSampler):
    def __init__(self, data_source: Any, generator: torch.Generator, passes: list[list]) -> None:
        super().__init__(data_source, generator=generator)
        self.passes = passes

    def __iter__(self) -> Iterator[int]:
        for index in super().__iter__():
            self.passes[-1][0] += 1
            yield index
        self.passes[-1][1] = True


def training_loaders(train_idx: torch.Tensor, val_idx: torch.Tensor, batch_size: int,
                     seed: int) -> tuple[DataLoader, DataLoader]:
    """Real DataLoaders over in-memory Fashion-MNIST training images chosen by the parent (the
    validation part is split off the training set; test data never enters the child)."""
    images, labels = data.preloaded_training()

    def subset(idx: torch.Tensor) -> TensorDataset:
        return TensorDataset(images[idx].unsqueeze(1).float().div_(255.0), labels[idx])
    return CountingLoader(subset(train_idx), batch_size, seed), DataLoader(subset(val_idx), batch_size=500)


def comparison(module: ModuleType, schemes: list[str], activation: str, epochs: int, seed: int,
               train_idx: torch.Tensor, val_idx: torch.Tensor, batch_size: int, grid: torch.Tensor) -> dict[str, Any]:
    """``compare_initializers`` on the grader's loaders; per scheme what it returned, with its model
    described; the model each scheme starts from (``torch.manual_seed(seed)``, then ``deep_mlp``, as
    the handout prescribes) and the size of every pass over the training loader, for the replay."""
    build = student_function(module, "deep_mlp")
    initial = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        initial[scheme] = describe_modules(build(1, 200, activation, scheme), grid)
    loaders = training_loaders(train_idx, val_idx, batch_size, seed)
    returned = student_function(module, "compare_initializers")(schemes, activation, epochs, seed, loaders)
    seen = {"iterations": epochs * len(loaders[0]), "initial": initial, "passes": loaders[0].passes}
    if not isinstance(returned, dict):
        return {"returned": returned, **seen}
    results = {}
    for scheme, result in returned.items():
        result = dict(result) if isinstance(result, dict) else {"__unsupported__": type(result).__name__}
        if "model" in result:
            result["model"] = describe_modules(result["model"], grid)
        results[str(scheme)] = result
    return {"returned": results, **seen}


# -- figures ----------------------------------------------------------------------------------------

def _axis(ax: Any) -> dict[str, Any]:
    """What an axis shows: title, labels, legend, lines (label and data) and bars (x, width, height)."""
    from matplotlib.patches import Rectangle

    lines = [{"label": str(line.get_label()), "x": _numbers(line.get_xdata()), "y": _numbers(line.get_ydata())}
             for line in ax.get_lines()]
    bars = [[float(p.get_x()), float(p.get_width()), float(p.get_height())]
            for p in ax.patches if isinstance(p, Rectangle)]
    return {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "legend": ax.get_legend() is not None, "lines": lines,
            "bars": torch.tensor(bars, dtype=torch.float64).reshape(-1, 3)}


def _numbers(values: Any) -> torch.Tensor | None:
    """A line's data as float64 (None when it is not numeric, e.g. dates or strings)."""
    import numpy as np

    try:
        return torch.from_numpy(np.asarray(values, dtype=np.float64).flatten().copy())
    except (TypeError, ValueError):
        return None


def _results(plain: dict[str, Any]) -> dict[str, Any]:
    """compare_initializers-like results from the parent's data, each with a model whose 2nd Linear
    holds the junction (and whose 1st holds other weights: a histogram of those is the wrong junction)."""
    results = {}
    for scheme, result in plain.items():
        model = grader_model([{"weight": result["first"], "bias": torch.zeros(result["first"].shape[0])},
                              {"activation": "sigmoid"},
                              {"weight": result["junction"], "bias": torch.zeros(result["junction"].shape[0])}])
        results[scheme] = {"losses": list(result["losses"]), "val_accuracy": result["val_accuracy"],
                           "junction": result["junction"].clone(), "model": model}
    return results


def figure(module: ModuleType, plain: dict[str, Any]) -> dict[str, Any]:
    """``plot_comparison`` on results made by the parent: the returned figure's axes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    returned = student_function(module, "plot_comparison")(_results(plain))
    if not isinstance(returned, Figure):
        return {"type": type(returned).__name__, "axes": None}
    return {"type": "Figure", "axes": [_axis(ax) for ax in returned.axes]}
