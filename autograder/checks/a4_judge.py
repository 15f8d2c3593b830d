"""How a4_vanishing checks judge networks, gradients, statistics and figures: by the grader's own
arithmetic on the weights and data it chose or read back."""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import torch
import torch.nn.functional as F

from autograder.checks import a1_judge
from autograder.checks.a3_judge import expect_float, expect_result_dict  # noqa: F401 -- re-exported for the checks
from autograder.expect import describe, expect, expect_tensor, fail

#: The activation names of the assignment and the grader's own functions for them.
ACTIVATION_FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
    "elu": lambda t: F.elu(t, 1.0),
    "hardsigmoid": F.hardsigmoid,
}
SCHEMES = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")
#: Where activation modules are probed: their response here tells which function they compute.
GRID = torch.linspace(-6.0, 6.0, 121).reshape(1, -1)

Layer = dict[str, Any]   # {"weight": W, "bias": b} or {"activation": name}


# -- reading a network ------------------------------------------------------------------------------

def identify(response: Any) -> str | None:
    """The activation whose values on :data:`GRID` equal ``response`` ("identity" for Flatten & co)."""
    if type(response) is not torch.Tensor or tuple(response.shape) != tuple(GRID.shape):
        return None
    response = response.double()
    if torch.allclose(response, GRID.double(), atol=1e-6):
        return "identity"
    for name, function in ACTIVATION_FUNCTIONS.items():
        if torch.allclose(response, function(GRID.double()), atol=1e-5):
            return name
    return None


def read_mlp(what: str, described: Any) -> list[Layer]:
    """The network a probe described, as Linear layers and identified activations, in order."""
    if type(described) is not dict or type(described.get("modules")) is not list:
        fail(f"{what} must return an nn.Module (an nn.Sequential); got {describe(described)}.")
    layers: list[Layer] = []
    for module in described["modules"]:
        if module["kind"] == "linear":
            weight = expect_tensor(f"{what}: the weight of {module['name']}", module["weight"], finite=False)
            expect(module["bias"] is not None, f"{what}: the Linear layer {module['name']!r} has no bias.",
                   "keep nn.Linear's bias (bias=True) and set it to 0.")
            layers.append({"weight": weight.float(), "bias": module["bias"].float(), "name": module["name"]})
            continue
        name = identify(module["response"])
        if name is None:
            fail(f"{what}: module {module['name']!r} ({module['kind']}) computes none of the activations "
                 f"{list(ACTIVATION_FUNCTIONS)} (checked on 121 points in [-6, 6]).",
                 "use the torch.nn modules of ACTIVATIONS with their default arguments "
                 "(LeakyReLU slope 0.01, ELU alpha 1).")
        if name != "identity":
            layers.append({"activation": name, "name": module["name"]})
    return layers


def layout(layers: list[Layer]) -> list[str]:
    """A readable sequence: "Linear(784, 64)", "relu", ..."""
    return [f"Linear({l['weight'].shape[1]}, {l['weight'].shape[0]})" if "weight" in l else l["activation"]
            for l in layers]


def expected_layout(depth: int, width: int, activation: str, in_features: int = 784,
                    out_features: int = 10) -> list[str]:
    sizes = [in_features] + [width] * depth
    hidden = [part for i in range(depth) for part in (f"Linear({sizes[i]}, {width})", activation)]
    return hidden + [f"Linear({sizes[-1]}, {out_features})"]


def parameter_count(depth: int, width: int, in_features: int = 784, out_features: int = 10) -> int:
    sizes = [in_features] + [width] * depth + [out_features]
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))


def expect_layout(what: str, layers: list[Layer], depth: int, width: int, activation: str,
                  in_features: int = 784, out_features: int = 10) -> None:
    wanted = expected_layout(depth, width, activation, in_features, out_features)
    seen = layout(layers)
    expect(seen == wanted, f"{what}: expected the layers {wanted}, found {seen}.",
           f"{depth} hidden block(s) Linear -> activation (the first from in_features), then one output "
           "Linear to out_features, with no activation after it.")


# -- the grader's forward and backward passes ---------------------------------------------------------

def forward(layers: list[Layer], x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The network's output and every activation's output, computed here."""
    activations = []
    for layer in layers:
        if "activation" in layer:
            x = ACTIVATION_FUNCTIONS[layer["activation"]](x)
            activations.append(x)
        else:
            x = F.linear(x, layer["weight"], layer["bias"])
    return x, activations


def gradient_norms(layers: list[Layer], x: torch.Tensor, y: torch.Tensor, loss: str = "cross_entropy",
                   added: list[torch.Tensor] | None = None, of: str = "weight") -> list[float]:
    """||dL/dW||_F of every Linear weight, input layer first, by the grader's own autograd pass
    (``added``: what was already in each ``.grad``; ``of="bias"``: the biases' norms; both name mistakes)."""
    live = [{**layer, "weight": layer["weight"].clone().requires_grad_(True),
             "bias": layer["bias"].clone().requires_grad_(True)} if "weight" in layer else layer for layer in layers]
    output, _ = forward(live, x)
    value = F.cross_entropy(output, y) if loss == "cross_entropy" else F.mse_loss(output, y)
    weights = [layer[of] for layer in live if "weight" in layer]
    grads = torch.autograd.grad(value, weights)
    return [float((g + (added[i] if added else 0)).norm()) for i, g in enumerate(grads)]


def saturation(activation: str, a: torch.Tensor) -> torch.Tensor:
    """The handout's rule: sigmoid-like |a - 0.5| > 0.49, tanh |a| > 0.98, ReLU family a <= 0."""
    if activation in ("sigmoid", "hardsigmoid"):
        return (a - 0.5).abs() > 0.49
    if activation == "tanh":
        return a.abs() > 0.98
    return a <= 0


def activation_stats(layers: list[Layer], x: torch.Tensor) -> list[dict[str, float]]:
    """Mean, std (unbiased) and saturated fraction of every activation's output, computed here."""
    _, outputs = forward(layers, x)
    names = [layer["activation"] for layer in layers if "activation" in layer]
    return [{"mean": float(a.mean()), "std": float(a.std()), "saturated": float(saturation(n, a).double().mean())}
            for n, a in zip(names, outputs)]


def expect_floats(what: str, value: Any, count: int) -> list[float]:
    """A list of ``count`` finite floats (0-d tensors are read)."""
    if type(value) not in (list, tuple) or len(value) != count:
        fail(f"{what}: expected a list of {count} floats, got {describe(value)}.")
    return [expect_float(f"{what}[{i}]", v) for i, v in enumerate(value)]


def _same(got: list[float], expected: list[float]) -> bool:
    return all(math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-9) for g, e in zip(got, expected))


def expect_norms(what: str, observed: Any, expected: list[float], hint: str,
                 mistakes: dict[str, list[float]] | None = None) -> list[float]:
    """The student's norms equal the grader's (relative 1e-4); a mistake's hint when its norms match."""
    got = expect_floats(what, observed, len(expected))
    if _same(got, expected):
        return got
    mistakes = dict(mistakes or {}, **{"your list is in reverse order: the input layer comes first.": expected[::-1]})
    hint = next((text for text, norms in mistakes.items() if _same(got, norms)), hint)
    fail(f"{what}: expected {[f'{e:.5g}' for e in expected]}, got {[f'{g:.5g}' for g in got]}.", hint)
    return got


# -- initialization ---------------------------------------------------------------------------------

#: Below this many weights a layer is not tested statistically (the uniform-bound test needs n >= 2e4).
MIN_TESTED = 50_000


def law(scheme: str, shape: tuple[int, ...]) -> a1_judge.Law:
    """The exact law of a scheme (a1's laws; "normal" is N(0, 1))."""
    if scheme != "normal":
        return a1_judge.law_of(f"{scheme}_", shape)
    fan_in, fan_out = a1_judge.fans(shape)
    return a1_judge.Law("normal", 1.0, "N(0, 1)", {
        "did you use Xavier's std sqrt(2/(fan_in+fan_out))? 'normal' means N(0, 1)": math.sqrt(2 / (fan_in + fan_out)),
        "did you use Kaiming's std sqrt(2/fan_in)? 'normal' means N(0, 1)": math.sqrt(2 / fan_in),
        "did you keep nn.Linear's default initialization?": 1 / math.sqrt(3 * fan_in)})


def judge_init(what: str, layers: list[Layer], scheme: str) -> str:
    """Every bias 0; every weight 0 for "zeros"; else the scheme's law on every large layer.

    Uses a1's calibrated judges: mean, variance (and the uniform bound) on every layer of at least
    50,000 weights, the Kolmogorov-Smirnov test on the first (largest) one: each test false-fails
    with probability at most stats.ALPHA = 1e-8 at its own sample size, at most 5 tests per layer
    and 3 tested layers, so below 1.5e-7 per scheme.
    """
    linears = [layer for layer in layers if "weight" in layer]
    for layer in linears:
        bias = layer["bias"]
        expect(bool((bias == 0).all()), f"{what}: the bias of {layer['name']!r} must be all zeros; "
               f"its values lie in [{float(bias.min()):.4g}, {float(bias.max()):.4g}].",
               "nn.init.zeros_(linear.bias) for every Linear.")
    if scheme == "zeros":
        for layer in linears:
            w = layer["weight"]
            expect(bool((w == 0).all()), f"{what}: the weight of {layer['name']!r} must be all zeros; "
                   f"{int((w != 0).sum())} of {w.numel()} entries are not.")
        return "all weights and biases 0"
    notes = []
    for i, layer in enumerate(linears):
        values = layer["weight"]
        if values.numel() < MIN_TESTED:
            continue
        shape = tuple(values.shape)
        call = f"{what}, the weight of {layer['name']!r} (shape {shape})"
        scheme_law = law(scheme, shape)
        notes.append(a1_judge.judge_spread(values, scheme_law, call))
        if i == 0:
            a1_judge.judge_shape(values, scheme_law, call)
    return "; ".join(notes)


# -- figures ----------------------------------------------------------------------------------------

def names_scheme(text: str, scheme: str) -> bool:
    """Whether ``text`` names ``scheme`` as a whole word ("normal" is not named by "xavier_normal")."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(scheme)}(?![A-Za-z0-9_])", text) is not None


def bar_mismatch(bars: torch.Tensor, values: torch.Tensor) -> int:
    """How many of ``values`` a histogram's bars (x, width, height) miscount, bar by bar."""
    values = values.double().flatten()
    order = torch.argsort(bars[:, 0])
    bars = bars[order]
    off = 0.0
    for k, (x, width, height) in enumerate(bars.tolist()):
        inside = (values >= x) & ((values < x + width) if k < len(bars) - 1 else (values <= x + width * (1 + 1e-9)))
        off += abs(int(inside.sum()) - height)
    return int(round(off))
