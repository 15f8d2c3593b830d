"""Probes for a3_train: build the student's network, run their loop on grader-made models and data."""

from __future__ import annotations

import contextlib
import io
import re
from types import ModuleType
from typing import Any

import torch
import torchsummary
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograder import data
from autograder.sandbox.probes import DoesNotFit, leaf_modules, student_function


def _student_net(module: ModuleType, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    model = student_function(module, "Net")()
    if not isinstance(model, nn.Module):
        raise TypeError(f"Net() must create an nn.Module, not a {type(model).__name__}")
    return model


def load_linear_layers(model: nn.Module, layers: list[dict[str, torch.Tensor]]) -> None:
    """Give the student's network the grader's weights: each of the grader's layers goes into the
    one ``nn.Linear`` of the same weight shape, whatever the layers' names or definition order."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for layer in layers:
            shape = tuple(layer["weight"].shape)
            matches = [m for m in linears if tuple(m.weight.shape) == shape]
            if len(matches) != 1:
                raise DoesNotFit(f"Net has {len(matches)} nn.Linear layers with a weight of shape {shape} where the "
                                 "lecture's network has one, so the grader cannot give Net its weights and this "
                                 "check cannot run; check 1.2 judges the layers.")
            matches[0].weight.copy_(layer["weight"])
            if matches[0].bias is not None:
                matches[0].bias.copy_(layer["bias"])


def linear_layers(model: nn.Module) -> list[dict[str, Any]]:
    """Every nn.Linear in registration order: its name, weight and bias (None when absent)."""
    return [{"name": name, "weight": m.weight.detach().cpu(), "bias": None if m.bias is None else m.bias.detach().cpu()}
            for name, m in model.named_modules() if isinstance(m, nn.Linear)]


def structure(module: ModuleType) -> dict[str, Any]:
    """Parameter count two ways (``sum(p.numel())`` and torchsummary's "Total params"), and the layers."""
    model = _student_net(module)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        torchsummary.summary(model, (1, 28, 28), device="cpu")
    match = re.search(r"Total params: ([\d,]+)", printed.getvalue())
    return {
        "count": sum(p.numel() for p in model.parameters()),
        "summary_total": int(match.group(1).replace(",", "")) if match else None,
        "layers": linear_layers(model),
        "modules": [type(m).__name__ for m in model.modules()][1:],
    }


def forward(module: ModuleType, images: torch.Tensor, layers: list[dict[str, torch.Tensor]]) -> dict[str, Any]:
    """Logits of the student's Net, holding the grader's weights, for (N, 1, 28, 28) images and the
    same images flattened to (N, 784). A Net of other layers keeps its own weights, reported as
    ``own`` (its Linear layers in the order its forward applies them), so what does not depend on the
    architecture is still judged."""
    model = _student_net(module)
    try:
        load_linear_layers(model, layers)
        own = None
    except DoesNotFit:
        own = _chain(model, images[:1])
    return {"square": model(images), "flat": model(images.reshape(len(images), 784)), "own": own}


def gradient_step(module: ModuleType, images: torch.Tensor, labels: torch.Tensor) -> dict[str, Any]:
    """Gradients of every parameter after one backward pass, and the parameters after one SGD step."""
    model = _student_net(module)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    grads = {k: (None if v.grad is None else v.grad.detach().clone()) for k, v in model.named_parameters()}
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    changed = {k: not torch.equal(before[k], v.detach()) for k, v in model.named_parameters()}
    return {"grads": grads, "changed": changed}


def grader_model(hidden: int = 64, batch_norm: bool = False, dropout: bool = True) -> nn.Module:
    """A model of the grader's to run student loops on. With dropout or batch-norm it behaves
    differently in training and eval mode (what checks of model.train()/model.eval() need); without
    both, it does not, so a check of something else is not charged for a missing mode switch."""
    layers: list[nn.Module] = [nn.Flatten(), nn.Linear(784, hidden)]
    if batch_norm:
        layers.append(nn.BatchNorm1d(hidden))
    layers.append(nn.ReLU())
    if dropout:
        layers.append(nn.Dropout(0.5))
    layers.append(nn.Linear(hidden, 10))
    return nn.Sequential(*layers)


def synthetic_tensors(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Fashion-MNIST-shaped images and labels from a private generator (the global RNG is left alone);
    the parent recomputes them from the same seed to judge what a child reports."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.rand(n, 1, 28, 28, generator=generator)
    labels = torch.randint(0, 10, (n,), generator=generator)
    return images, labels


def synthetic_loader(n: int, batch_size: int, seed: int, shuffle: bool = False) -> DataLoader:
    return DataLoader(TensorDataset(*synthetic_tensors(n, seed)), batch_size=batch_size, shuffle=shuffle)


class _Traced(torch.Tensor):
    """A batch that records the devices it is moved to, then behaves as a plain tensor."""

    moves: list[str] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is torch.Tensor.to:
            target = kwargs.get("device", args[1] if len(args) > 1 else None)
            cls.moves.append(str(torch.device(target)) if isinstance(target, (str, torch.device)) else repr(target))
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **kwargs)


def _counting_steps(optimizer: torch.optim.Optimizer) -> list[int]:
    """A list that grows by one at every ``optimizer.step()`` (the step itself still runs)."""
    steps: list[int] = []
    original_step = optimizer.step
    optimizer.step = lambda *a, **k: (steps.append(1), original_step(*a, **k))[1]
    return steps


def train_epoch(module: ModuleType, n: int, batch_size: int, optimizer: str, seed: int) -> dict[str, Any]:
    """The student's ``train_one_epoch`` on the grader's dropout model, from fixed weights and data.

    The model starts in eval mode (a loop that never calls ``model.train()`` then trains without
    dropout). Reports the returned dict, the weights after the epoch and the optimizer steps taken.
    """
    torch.manual_seed(seed)
    model = grader_model()
    model.eval()
    opt = (torch.optim.Adam(model.parameters(), lr=1e-3) if optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9))
    steps = _counting_steps(opt)
    loader = synthetic_loader(n, batch_size, seed)
    returned = student_function(module, "train_one_epoch")(model, loader, nn.CrossEntropyLoss(), opt, "cpu")
    return {"returned": returned, "state": model.state_dict(), "steps": len(steps), "batches": len(loader)}


def loop_returns(module: ModuleType, state: dict[str, torch.Tensor], n: int, batch_size: int,
                 seed: int) -> dict[str, Any]:
    """The student's ``train_one_epoch`` with SGD(lr=0) on the grader's model without dropout (weights
    ``state``): the weights never move, whatever the update does (that is 3.1's), so the parent knows
    every batch's loss and prediction from ``state`` alone. Reports the returned dict, the optimizer
    steps taken and the number of batches."""
    model = grader_model(dropout=False)
    model.load_state_dict(state)
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    steps = _counting_steps(opt)
    loader = synthetic_loader(n, batch_size, seed)
    returned = student_function(module, "train_one_epoch")(model, loader, nn.CrossEntropyLoss(), opt, "cpu")
    return {"returned": returned, "steps": len(steps), "batches": len(loader)}


def _traced_batch(samples: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    """DataLoader's collate step for :func:`device_moves`: a batch of :class:`_Traced` tensors."""
    images, labels = zip(*samples)
    return torch.stack(images).as_subclass(_Traced), torch.stack(labels).as_subclass(_Traced)


def device_moves(module: ModuleType) -> dict[str, Any]:
    """Devices each batch is moved to by ``train_one_epoch`` and by ``evaluate`` (device="cpu")."""
    model = grader_model()
    found = {}
    for name in ("train_one_epoch", "evaluate"):
        _Traced.moves = []
        batches = DataLoader(TensorDataset(torch.rand(16, 1, 28, 28), torch.randint(0, 10, (16,))), batch_size=8,
                             collate_fn=_traced_batch)
        function = student_function(module, name)
        if name == "train_one_epoch":
            function(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01), "cpu")
        else:
            function(model, batches, "cpu")
        found[name] = list(_Traced.moves)
    return found


def evaluation(module: ModuleType, state: dict[str, torch.Tensor], images: torch.Tensor, labels: torch.Tensor,
               batch_size: int, with_loss: bool, mode_sensitive: bool = True) -> dict[str, Any]:
    """The student's ``evaluate`` on the grader's batch-norm + dropout model (weights and running
    statistics chosen by the grader), left in training mode, over the grader's images and labels.

    Reports what evaluate returned, the grad mode seen by each forward and the state afterwards.
    """
    model = grader_model(batch_norm=mode_sensitive, dropout=mode_sensitive)
    model.load_state_dict(state)
    model.train()
    grad_modes: list[bool] = []
    model.register_forward_hook(lambda *_: grad_modes.append(torch.is_grad_enabled()))
    loader = DataLoader(TensorDataset(images, labels), batch_size=batch_size)
    args = (model, loader, "cpu", nn.CrossEntropyLoss()) if with_loss else (model, loader, "cpu")
    returned = student_function(module, "evaluate")(*args)
    return {"returned": returned, "grad_modes": grad_modes, "after": model.state_dict()}


def _loss_kind(loss_fn: Any) -> str:
    """"cross_entropy" for the mean cross-entropy however it is passed, else the object's type."""
    if loss_fn is nn.functional.cross_entropy or (
            type(loss_fn) is nn.CrossEntropyLoss and loss_fn.reduction == "mean" and loss_fn.weight is None
            and loss_fn.label_smoothing == 0 and loss_fn.ignore_index == -100):
        return "cross_entropy"
    return type(loss_fn).__name__


class _LoopStandIn:
    """Stands in for the student's ``train_one_epoch`` while their ``fit`` runs: notes what fit passes
    it (the model, the loader, the loss, the optimizer) and returns the parent's own numbers without
    training. fit's part (one Adam(lr) and one loss for all epochs, a history built from the loop's
    returns, the weights left to the loop) is then judged on values the parent chose; the loop itself
    is checks 3.1 and 3.2's."""

    def __init__(self, model: nn.Module, train: DataLoader, returns: list[dict[str, Any]]) -> None:
        self.model, self.train, self.returns = model, train, returns
        self.optimizers: list[Any] = []
        self.notes: list[dict[str, Any]] = []

    def __call__(self, model: Any, loader: Any, loss_fn: Any, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        if not any(optimizer is seen for seen in self.optimizers):
            self.optimizers.append(optimizer)
        groups = getattr(optimizer, "param_groups", None) or []
        self.notes.append({
            "model": model is self.model, "loader": loader is self.train, "loss": _loss_kind(loss_fn),
            "optimizer": type(optimizer).__name__,
            "optimizer_index": next(i for i, seen in enumerate(self.optimizers) if seen is optimizer),
            "lr": [float(group.get("lr", float("nan"))) for group in groups],
            "covers": {id(p) for group in groups for p in group.get("params", [])}
            == {id(p) for p in self.model.parameters()}})
        returned = self.returns[min(len(self.notes), len(self.returns)) - 1]
        return {key: list(value) if type(value) is list else value for key, value in returned.items()}


def fit_history(module: ModuleType, epochs: int, seed: int, val_size: int,
                returns: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The student's ``fit`` on the grader's model (no dropout: evaluate's own mode handling is charged
    in its own checks, not again here) and fixed loaders; the history and the final weights. With
    ``returns``, the student's ``train_one_epoch`` is replaced while fit runs (:class:`_LoopStandIn`),
    and the notes of every call fit made of it come back as ``calls`` (None: fit never called it)."""
    torch.manual_seed(seed)
    model = grader_model(dropout=False)
    train = synthetic_loader(300, 50, seed)
    val = synthetic_loader(val_size, 50, seed + 1)
    loop = getattr(module, "train_one_epoch", None)
    stand_in = _LoopStandIn(model, train, returns) if returns and callable(loop) else None
    if stand_in is not None:
        module.train_one_epoch = stand_in
    try:
        history = student_function(module, "fit")(model, train, val, epochs, lr=2e-3, device="cpu")
    finally:
        if stand_in is not None:
            module.train_one_epoch = loop
    return {"history": history, "state": model.state_dict(), "batches": len(train),
            "calls": stand_in.notes if stand_in is not None and stand_in.notes else None}


def predictions(module: ModuleType, state: dict[str, torch.Tensor], images: torch.Tensor) -> list[Any]:
    """``predict`` on single images with the grader's batch-norm model (training mode breaks on one
    image), left in training mode as a model is after training: predict must switch to eval itself."""
    model = grader_model(batch_norm=True)
    model.load_state_dict(state)
    model.train()
    predict = student_function(module, "predict")
    return [predict(model, image) for image in images]


def trained_weights(module: ModuleType, initial: list[dict[str, torch.Tensor]], epochs: int, seed: int,
                    batch_size: int = 100) -> dict[str, Any]:
    """The student's Net, starting from the grader's initial weights, trained by the student's
    ``train_one_epoch``: Adam(lr=1e-3), cross-entropy, a real DataLoader over the training set only;
    on CUDA when there is one. Returns the layers (claims the parent evaluates on the test set)."""
    images, labels = data.preloaded_training()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = _student_net(module, seed)
    try:
        load_linear_layers(model, initial)
        start = None
    except DoesNotFit:  # another architecture (1.1/1.2 charge it) starts from its own seeded weights
        start = _chain(model, images[:1].float())
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = data.fashion_loader(images, labels, batch_size, seed=seed)
    train = student_function(module, "train_one_epoch")
    for _ in range(epochs):
        train(model, loader, nn.CrossEntropyLoss(), optimizer, device)
    own = None if start is None else {"start": start, "trained": _chain(model.cpu(), images[:1].float())}
    return {"layers": linear_layers(model), "device": device, "own": own}


def _chain(model: nn.Module, example: torch.Tensor) -> list[dict[str, Any]]:
    """The model's Linear layers in the order its forward applies them, copied."""
    return [{"weight": m.weight.detach().cpu().clone(), "bias": None if m.bias is None else m.bias.detach().cpu().clone()}
            for _, m in leaf_modules(model, example) if isinstance(m, nn.Linear)]
