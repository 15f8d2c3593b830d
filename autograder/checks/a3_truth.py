"""What a3's checks judge against, chosen and computed here in the trusted parent.

A child receives these weights, images and labels as arguments; whatever it sends back is only a
claim of what the student's code did with them. The expected logits, labels and accuracies never
come from a child, so a forged result record cannot make itself consistent.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import torch
from torch import nn

from autograder.checks.a3_judge import LAYER_SHAPES, accuracy
from autograder.probes.a3_train import grader_model

#: The parent's global RNG is shared by the checks' threads: seeded construction holds this lock.
_RNG_LOCK = threading.Lock()


def images(n: int, seed: int) -> torch.Tensor:
    """Images in [0, 1] of shape (n, 1, 28, 28) from a private generator."""
    return torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed))


def mlp_layers(seed: int) -> list[dict[str, torch.Tensor]]:
    """Weights for the lecture's MLP drawn as nn.Linear draws its defaults, U(-1/sqrt(fan_in), +)."""
    generator = torch.Generator().manual_seed(seed)
    layers = []
    for out_features, in_features in LAYER_SHAPES:
        bound = 1 / math.sqrt(in_features)
        weight = (torch.rand(out_features, in_features, generator=generator) * 2 - 1) * bound
        bias = (torch.rand(out_features, generator=generator) * 2 - 1) * bound
        layers.append({"weight": weight, "bias": bias})
    return layers


def as_pairs(layers: list[dict[str, torch.Tensor]]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(layer["weight"], layer["bias"]) for layer in layers]


def grader_state(seed: int, batch_norm: bool, dropout: bool = True) -> dict[str, torch.Tensor]:
    """The weights (and batch-norm running statistics) of the grader's model, from ``seed``."""
    with _RNG_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = grader_model(batch_norm=batch_norm, dropout=dropout)
        if batch_norm:
            with torch.no_grad():  # non-trivial running statistics
                model.train()(torch.rand(256, 1, 28, 28))
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def grader_logits(state: dict[str, torch.Tensor], batch_norm: bool, inputs: torch.Tensor,
                  dropout: bool = True) -> torch.Tensor:
    """The grader's model with ``state``, in eval mode, on ``inputs``."""
    model = grader_model(batch_norm=batch_norm, dropout=dropout)
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        return model(inputs)


@dataclass(frozen=True)
class EvaluationScenario:
    """A batch-norm model, images and labels rigged from the model's own eval-mode predictions: the
    last (short) batch all right, the others half right, so the mean of per-batch accuracies differs
    from the accuracy over samples, and a model left in training mode predicts differently."""

    state: dict[str, torch.Tensor]
    images: torch.Tensor
    labels: torch.Tensor
    logits: torch.Tensor
    batch_size: int
    mode_sensitive: bool

    @property
    def accuracy(self) -> float:
        return accuracy(self.logits, self.labels)

    @property
    def loss(self) -> float:
        return float(nn.functional.cross_entropy(self.logits, self.labels))


def evaluation_scenario(n: int, batch_size: int, seed: int, mode_sensitive: bool = True) -> EvaluationScenario:
    """``mode_sensitive``: batch-norm and dropout (training mode gives other outputs), else neither."""
    state = grader_state(seed, batch_norm=mode_sensitive, dropout=mode_sensitive)
    inputs = images(n, seed)
    logits = grader_logits(state, mode_sensitive, inputs, dropout=mode_sensitive)
    predicted = logits.argmax(dim=1)
    labels = predicted.clone()
    last = n - (n % batch_size or batch_size)
    labels[:last:2] = (predicted[:last:2] + 1) % 10
    return EvaluationScenario(state, inputs, labels, logits, batch_size, mode_sensitive)
