"""How a3_train checks judge a network and a training loop: by the grader's own arithmetic."""

from __future__ import annotations

import ast
import math
import threading
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from autograder import laws
from autograder.course.a3_train import probes
from autograder.course.a3_train.probes import grader_model
from autograder.expect import describe, expect, expect_result_dict, expect_tensor, fail
from autograder.files import parse_source
from autograder.sandbox.wire import is_number
from autograder.submission import Submission

HIDDEN, CLASSES_COUNT, PIXELS = 128, 10, 784
LAYER_SHAPES = ((HIDDEN, PIXELS), (CLASSES_COUNT, HIDDEN))
#: Accuracies are multiples of 1/n (n <= 60,000 here, so steps >= 1.7e-5); an accuracy computed in
#: float32 is off by about 1e-8. Anything closer than this is the same accuracy.
ACCURACY_TOLERANCE = 1e-6


def mlp_layers(layers: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The two Linear layers of the lecture's MLP, hidden then output, matched by shape (not by the
    order the student defined them in), with their biases, in the network's own dtype (float32 or
    float64: a float64 Net computes the same function)."""
    if type(layers) is not list:
        fail(f"could not read the layers of Net: got {describe(layers)}.")
    shapes = [tuple(layer["weight"].shape) for layer in layers]
    expect(len(layers) == 2 and sorted(shapes) == sorted(LAYER_SHAPES),
           f"Net must hold exactly two nn.Linear layers, 784 -> 128 and 128 -> 10 (weights of shape "
           f"(128, 784) and (10, 128)); found weights of shapes {shapes}.",
           "nn.Linear(784, 128) for the hidden layer and nn.Linear(128, 10) for the output layer.")
    by_shape = {tuple(layer["weight"].shape): layer for layer in layers}
    pairs = []
    for shape in LAYER_SHAPES:
        layer = by_shape[shape]
        expect(layer["bias"] is not None, f"layer {layer['name']!r} has no bias; nn.Linear's bias=True is part of "
               "the 101,770 parameters.")
        weight, bias = layer["weight"], layer["bias"]
        dtype = weight.dtype if weight.dtype in (torch.float32, torch.float64) else torch.float32
        pairs.append((weight.to(dtype), bias.to(dtype)))
    return pairs


def mlp_logits(layers: list[tuple[torch.Tensor, torch.Tensor]], images: torch.Tensor) -> torch.Tensor:
    """The grader's own forward pass: W2 relu(W1 x + b1) + b2 on flattened images (a longer chain of
    Linear layers likewise, a ReLU between each two), in float64 and returned in the network's dtype
    (what its own forward returns), so either dtype compares."""
    return _forward(layers, images, torch.relu, 1.0).to(layers[-1][0].dtype)


def _forward(layers: list[tuple[torch.Tensor, torch.Tensor]], images: torch.Tensor, activation, bias: float
             ) -> torch.Tensor:
    """A chain of Linear layers on flattened images, ``activation`` between each two, biases times ``bias``."""
    x = images.reshape(len(images), -1).double()
    for i, (weight, b) in enumerate(layers):
        x = x @ weight.double().T + bias * b.double()
        if i < len(layers) - 1:
            x = activation(x)
    return x


def chain_layers(reported: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A Net of other layers, as its forward applies its Linear layers (a claim; a missing bias is 0):
    a chain from 784 inputs to 10 outputs, or the checks that read it fail here."""
    expect(type(reported) is list and reported and all(
        type(layer) is dict and type(layer.get("weight")) is torch.Tensor and layer["weight"].dim() == 2
        for layer in reported), "could not read the Linear layers of Net.")
    shapes = [tuple(layer["weight"].shape) for layer in reported]
    expect(len(shapes) <= 8 and shapes[0][1] == 784 and shapes[-1][0] == 10
           and all(a[0] == b[1] and max(a) <= 4096 for a, b in zip(shapes[:-1], shapes[1:])),
           f"Net's Linear layers {shapes} do not chain 784 inputs to 10 outputs.")
    return [(layer["weight"], layer["bias"] if type(layer.get("bias")) is torch.Tensor
             else torch.zeros(layer["weight"].shape[0])) for layer in reported]


def held_layers(seen: dict, layers: list[dict[str, torch.Tensor]]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The weights Net held in a forward probe: the grader's ``layers``, or, for a Net of other layers,
    its own (reported as ``own``)."""
    return as_pairs(layers) if seen.get("own") is None else chain_layers(seen["own"])


def own_trained_chain(own: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A Net of another architecture, trained from its own weights: they must start as nn.Linear's
    default initialization; the trained chain is returned for the parent's own evaluation."""
    expect(type(own) is dict and "start" in own and "trained" in own, "could not read the layers of Net.")
    start, trained = chain_layers(own["start"]), chain_layers(own["trained"])
    expect([w.shape for w, _ in start] == [w.shape for w, _ in trained], "Net's layers changed shape in training.")
    laws.expect_default_linear("Net() before training", start, "leave nn.Linear's own initialization in place: "
                                                               "Net() must not train or set its weights itself.")
    return trained


def plausible_forwards(layers: list[tuple[torch.Tensor, torch.Tensor]], images: torch.Tensor) -> list[torch.Tensor]:
    """What a Net holding these Linear layers returns for ``images``, right or with a mistake that
    check 1.4 or 1.1-1.2 charges (another activation, probabilities instead of logits, no biases), in
    float64: a claimed output that is none of them was not computed by such a Net."""
    outputs = []
    for bias in (1.0, 0.0):
        for activation in (torch.relu, torch.sigmoid, torch.tanh, lambda h: h):
            logits = _forward(layers, images, activation, bias)
            outputs += [logits, torch.softmax(logits, dim=1), torch.log_softmax(logits, dim=1)]
    return outputs


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return float((logits.argmax(dim=1) == labels).double().mean())


def expect_states_match(what: str, student: dict, reference: dict, hint: str, atol: float = 1e-5) -> None:
    """Every parameter of the student's run within ``atol`` (+ 1e-4 relative) of the reference's."""
    for key, expected in reference.items():
        observed = expect_tensor(f"{what}: {key}", student.get(key), shape=tuple(expected.shape), finite=False)
        if not torch.allclose(observed.double(), expected.double(), atol=atol, rtol=1e-4):
            gap = float((observed.double() - expected.double()).abs().max())
            fail(f"{what}: parameter {key} differs from the reference run by up to {gap:.3g} "
                 f"(same initial weights, data order and optimizer).", hint)


def same_state(a: Any, b: dict[str, torch.Tensor]) -> bool:
    """Whether a state dict a child reported holds exactly the tensors of ``b`` under the same keys."""
    return (type(a) is dict and a.keys() == b.keys()
            and all(type(a[k]) is torch.Tensor and a[k].shape == b[k].shape and bool(torch.equal(a[k], b[k]))
                    for k in b))


def _as_number(value: Any) -> Any:
    if type(value) is torch.Tensor and value.numel() == 1:
        return float(value)
    return float(value) if is_number(value) else value


def same_items(observed: Any, expected: list[float]) -> bool:
    """Whether ``observed`` is a list of the numbers in ``expected`` (a one-element tensor counts as its
    number: the type of a loss is 3.2's to judge)."""
    if type(observed) not in (list, tuple) or len(observed) != len(expected):
        return False
    return all(type(got) is float and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
               for got, want in zip(map(_as_number, observed), expected))


def loop_returns(epochs: int, batches: int) -> list[dict[str, Any]]:
    """What the stand-in for train_one_epoch returns to fit, epoch by epoch: numbers the parent chose,
    each distinct, so a history built from anything else shows."""
    returns = []
    for epoch in range(epochs):
        losses = [round(2.3 - 0.1 * epoch - 0.01 * batch, 6) for batch in range(batches)]
        returns.append({"loss": sum(losses) / batches, "accuracy": 0.25 + 0.125 * epoch, "losses": losses})
    return returns


FIT_HINT = ("make one torch.optim.Adam(model.parameters(), lr=lr) and one nn.CrossEntropyLoss() before the epochs, "
            "then per epoch: train_one_epoch(model, train_loader, loss_fn, optimizer, device), and nothing else "
            "that changes the weights.")


def expect_delegates(calls: Any, epochs: int, lr: float) -> None:
    """fit's own part of a training it hands to train_one_epoch, judged apart from the loop (3.1's):
    one call per epoch, with fit's model and training loader, the mean cross-entropy and one Adam(lr)
    over every parameter of the model."""
    count = len(calls) if type(calls) is list else 0
    expect(count == epochs and all(type(c) is dict for c in calls),
           f"fit(..., epochs={epochs}) called train_one_epoch {count} time(s); expected once per epoch.", FIT_HINT)
    for i, call in enumerate(calls):
        where = f"fit(..., epochs={epochs}, lr={lr:g}): call {i + 1} of train_one_epoch"
        expect(call.get("model") is True and call.get("loader") is True,
               f"{where} was not given the model and the training loader that fit was given.", FIT_HINT)
        expect(call.get("loss") == "cross_entropy", f"{where} got a loss_fn of type {call.get('loss')!r}, not the "
               "mean cross-entropy.", FIT_HINT)
        expect(call.get("optimizer") == "Adam" and call.get("lr") == [lr] and call.get("covers") is True,
               f"{where} got an optimizer {call.get('optimizer')!r} with learning rate(s) {call.get('lr')}"
               f"{'' if call.get('covers') is True else ', not over every parameter of the model'}; expected "
               f"Adam with lr={lr:g} over model.parameters().", FIT_HINT)
        expect(call.get("optimizer_index") == 0, f"{where} got a new optimizer: Adam's running averages start "
               "over every epoch.", FIT_HINT)


def expect_close_list(what: str, observed: Any, expected: list[float], rel: float = 1e-4) -> None:
    if type(observed) not in (list, tuple) or len(observed) != len(expected):
        length = len(observed) if type(observed) in (list, tuple) else None
        fail(f"{what}: expected a list of {len(expected)} floats, got {describe(observed) if length is None else f'{length} items'}.")
    for i, (o, e) in enumerate(zip(observed, expected)):
        expect(is_number(o), f"{what}[{i}] is {describe(o)}, not a float.",
               "append loss.item(): keeping loss tensors keeps every iteration's graph alive in memory.")
        if not math.isclose(o, e, rel_tol=rel, abs_tol=1e-6):
            fail(f"{what}[{i}] is {o:.6g}, expected {e:.6g}.")


def batch_mean_accuracy(logits: torch.Tensor, labels: torch.Tensor, batch_size: int) -> float:
    """The mean of per-batch accuracies: what a loop that averages batches reports."""
    hits = (logits.argmax(dim=1) == labels).double()
    return float(torch.stack([chunk.mean() for chunk in hits.split(batch_size)]).mean())


def as_fraction(got: float, wanted: float) -> float:
    """An accuracy in percent read as a fraction: the percent is charged once, in 4.1; checks of
    something else (weighting, fit's history) judge the value the student meant."""
    return got / 100 if wanted > 0 and abs(got - 100 * wanted) < 100 * ACCURACY_TOLERANCE else got


def accuracy_hint(got: float, wanted: float, batch_mean: float | None = None) -> str:
    """A hint only where the observation matches a known mistake's prediction; else none."""
    if math.isclose(got, 100 * wanted, rel_tol=1e-6):
        return "your accuracy is in percent; return the fraction correct / total (0.52, not 52.0)."
    if batch_mean is not None and math.isclose(got, batch_mean, rel_tol=1e-9):
        return "this is the mean of per-batch accuracies: sum correct predictions and divide by the number of samples."
    return ""


#: Ways to run a forward pass with gradient tracking off.
GRAD_OFF_NAMES = {"no_grad", "inference_mode", "set_grad_enabled"}


def turns_grad_off(source: str | None) -> bool:
    """Whether the student's source (read here, never executed) uses torch.no_grad, inference_mode or
    set_grad_enabled anywhere: the parent's own evidence next to the child's claim that evaluate's
    forward ran with grad mode off, which only the child can observe. Without a file to read (Otter
    runs notebooks in its own process, where nothing is isolated anyway) the claim stands alone."""
    if source is None:
        return True
    tree = parse_source(source)
    if tree is None:
        return False
    return any((isinstance(node, ast.Attribute) and node.attr in GRAD_OFF_NAMES)
               or (isinstance(node, ast.Name) and node.id in GRAD_OFF_NAMES) for node in ast.walk(tree))


# -- truth: what the checks judge against, chosen and computed here in the trusted parent -------------
# What a3's checks judge against, chosen and computed here in the trusted parent.
#
# A child receives these weights, images and labels as arguments; whatever it sends back is only a
# claim of what the student's code did with them. The expected logits, labels and accuracies never
# come from a child, so a forged result record cannot make itself consistent.

#: The parent's global RNG is shared by the checks' threads: seeded construction holds this lock.
_RNG_LOCK = threading.Lock()


def images(n: int, seed: int) -> torch.Tensor:
    """Images in [0, 1] of shape (n, 1, 28, 28) from a private generator."""
    return torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed))


def grader_layers(seed: int) -> list[dict[str, torch.Tensor]]:
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


LOOP_HINT = ("the loop per batch is: optimizer.zero_grad() -> logits = model(x) -> loss = loss_fn(logits, y) "
             "-> loss.backward() -> optimizer.step(), after model.train(); use the loss_fn and optimizer given.")


def train_epoch_runs(sub: Submission, n: int, batch_size: int, optimizer: str, seed: int) -> tuple[dict, dict]:
    args = (probes.train_epoch, n, batch_size, optimizer, seed)
    return sub.run(*args, sandbox_seed=seed), sub.reference.run(*args, sandbox_seed=seed)


def run_evaluation(sub: Submission, n: int, batch_size: int, seed: int, with_loss: bool,
                   mode_sensitive: bool = True) -> tuple[EvaluationScenario, dict, dict]:
    """The grader's scenario (truth), what the child reported, and evaluate's returned dict.

    Checks of something other than eval mode use a model without batch-norm and dropout
    (``mode_sensitive=False``): a missing model.eval() is charged once, in 4.1.
    """
    scenario = evaluation_scenario(n, batch_size, seed, mode_sensitive)
    seen = sub.run(probes.evaluation, scenario.state, scenario.images, scenario.labels, batch_size, with_loss,
                   mode_sensitive)
    returned = expect_result_dict("evaluate", seen["returned"], ("accuracy", "loss"))
    return scenario, seen, returned
