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
from autograder.probes.common import student_function


def _student_net(module: ModuleType, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    model = student_function(module, "Net")()
    if not isinstance(model, nn.Module):
        raise TypeError(f"Net() must create an nn.Module, not a {type(model).__name__}")
    return model


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


def forward(module: ModuleType, images: torch.Tensor) -> dict[str, Any]:
    """Logits for (N, 1, 28, 28) and the same images flattened to (N, 784), and the layers used."""
    model = _student_net(module)
    return {"square": model(images), "flat": model(images.reshape(len(images), 784)),
            "layers": linear_layers(model)}


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


def grader_model(hidden: int = 64, batch_norm: bool = False) -> nn.Module:
    """A model of the grader's (with dropout, optionally batch-norm) to run student loops on."""
    layers: list[nn.Module] = [nn.Flatten(), nn.Linear(784, hidden)]
    if batch_norm:
        layers.append(nn.BatchNorm1d(hidden))
    layers += [nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, 10)]
    return nn.Sequential(*layers)


def synthetic_loader(n: int, batch_size: int, seed: int, shuffle: bool = False) -> DataLoader:
    """Fashion-MNIST-shaped images and labels from a private generator (the global RNG is left alone)."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.rand(n, 1, 28, 28, generator=generator)
    labels = torch.randint(0, 10, (n,), generator=generator)
    return DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=shuffle)


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
    steps = []
    original_step = opt.step
    opt.step = lambda *a, **k: (steps.append(1), original_step(*a, **k))[1]
    loader = synthetic_loader(n, batch_size, seed)
    returned = student_function(module, "train_one_epoch")(model, loader, nn.CrossEntropyLoss(), opt, "cpu")
    return {"returned": returned, "state": model.state_dict(), "steps": len(steps), "batches": len(loader)}


def device_moves(module: ModuleType) -> dict[str, Any]:
    """Devices each batch is moved to by ``train_one_epoch`` and by ``evaluate`` (device="cpu")."""
    model = grader_model()
    found = {}
    for name in ("train_one_epoch", "evaluate"):
        _Traced.moves = []
        batches = [(torch.rand(8, 1, 28, 28).as_subclass(_Traced), torch.randint(0, 10, (8,)).as_subclass(_Traced))
                   for _ in range(2)]
        function = student_function(module, name)
        if name == "train_one_epoch":
            function(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01), "cpu")
        else:
            function(model, batches, "cpu")
        found[name] = list(_Traced.moves)
    return found


def evaluation(module: ModuleType, n: int, batch_size: int, seed: int, with_loss: bool) -> dict[str, Any]:
    """The student's ``evaluate`` on a batch-norm + dropout model left in training mode.

    Labels are rigged from the model's own eval-mode predictions: the last (short) batch all right,
    the others half right, so averaging per-batch accuracies gives a different number than
    counting samples. Reports the logits in eval mode, the labels, grad mode seen by forward,
    and the state before and after.
    """
    torch.manual_seed(seed)
    model = grader_model(batch_norm=True)
    with torch.no_grad():  # give the batch-norm running statistics non-trivial values
        model.train()(torch.rand(256, 1, 28, 28))
    images = torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed))
    model.eval()
    with torch.no_grad():
        logits = model(images)
    predicted = logits.argmax(dim=1)
    labels = predicted.clone()
    last = n - (n % batch_size or batch_size)
    labels[:last:2] = (predicted[:last:2] + 1) % 10
    model.train()
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    grad_modes: list[bool] = []
    model.register_forward_hook(lambda *_: grad_modes.append(torch.is_grad_enabled()))
    loader = DataLoader(TensorDataset(images, labels), batch_size=batch_size)
    args = (model, loader, "cpu", nn.CrossEntropyLoss()) if with_loss else (model, loader, "cpu")
    returned = student_function(module, "evaluate")(*args)
    return {"returned": returned, "logits": logits, "labels": labels, "grad_modes": grad_modes,
            "before": before, "after": model.state_dict()}


def fit_history(module: ModuleType, epochs: int, seed: int) -> dict[str, Any]:
    """The student's ``fit`` on the grader's model and fixed loaders; history and final weights."""
    torch.manual_seed(seed)
    model = grader_model()
    train = synthetic_loader(300, 50, seed)
    val = synthetic_loader(120, 50, seed + 1)
    history = student_function(module, "fit")(model, train, val, epochs, lr=2e-3, device="cpu")
    model.eval()
    with torch.no_grad():
        final_val = sum(int((model(x).argmax(1) == y).sum()) for x, y in val) / 120
    return {"history": history, "state": model.state_dict(), "final_val_accuracy": final_val,
            "batches": len(train)}


def predictions(module: ModuleType, count: int, seed: int) -> dict[str, Any]:
    """``predict`` on single test images with a batch-norm model (training mode breaks on one image)."""
    torch.manual_seed(seed)
    model = grader_model(batch_norm=True)
    with torch.no_grad():
        model.train()(torch.rand(256, 1, 28, 28))
    images = data.preloaded().test_images[:count].float() / 255.0
    model.eval()
    with torch.no_grad():
        logits = model(images.unsqueeze(1))
    model.train()  # as a model is left after training: predict must switch to eval mode itself
    predict = student_function(module, "predict")
    return {"answers": [predict(model, image) for image in images], "logits": logits}


def trained_weights(module: ModuleType, epochs: int, seed: int, batch_size: int = 100) -> dict[str, Any]:
    """The student's Net trained by the student's ``train_one_epoch``: Adam(lr=1e-3), cross-entropy,
    the grader's in-memory Fashion-MNIST loader; on CUDA when there is one. Returns the layers."""
    dataset = data.preloaded()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = _student_net(module, seed).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = data.BatchIterator(dataset.train_images, dataset.train_labels, batch_size, seed=seed)
    train = student_function(module, "train_one_epoch")
    for _ in range(epochs):
        train(model, loader, nn.CrossEntropyLoss(), optimizer, device)
    return {"layers": linear_layers(model), "device": device}
