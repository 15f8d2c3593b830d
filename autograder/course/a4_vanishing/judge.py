"""How a4_vanishing checks judge networks, gradients, statistics and figures: by the grader's own
arithmetic on the weights and data it chose or read back."""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import torch
import torch.nn.functional as F
from torch.utils.data import TensorDataset

from autograder import data, figures, laws
from autograder.course.a4_vanishing import probes
from autograder.expect import CheckFailed, describe, expect, expect_float, expect_result_dict, expect_tensor, fail
from autograder.sandbox import SubmissionError
from autograder.submission import Submission

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
            expect(weight.dim() == 2, f"{what}: the weight of {module['name']!r} has shape {tuple(weight.shape)}, "
                   "not (out_features, in_features).")
            bias = expect_tensor(f"{what}: the bias of {module['name']}", module["bias"], shape=(weight.shape[0],),
                                 finite=False)
            layers.append({"weight": weight.float(), "bias": bias.float(), "name": module["name"]})
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


def expect_chain(what: str, layers: list[Layer], in_features: int = 784, out_features: int = 10) -> list[Layer]:
    """The Linear layers of a network the grader can run: each takes the previous one's output, from
    ``in_features`` to ``out_features``. Only 2.1 and 7.1 judge the layout itself; the checks that measure
    what a network does (activations, gradients, training) run it as the student built it, so one layout
    mistake (an extra activation after the output, another depth) is charged once, there."""
    linears = [layer for layer in layers if "weight" in layer]
    sizes = [in_features] + [int(layer["weight"].shape[0]) for layer in linears]
    inputs = [int(layer["weight"].shape[1]) for layer in linears]
    expect(bool(linears) and inputs == sizes[:-1] and sizes[-1] == out_features,
           f"{what}: its Linear layers {layout(linears)} do not take {in_features} features to {out_features}, "
           "one layer's output feeding the next, so the grader cannot run it (the layout is check 2.1's).",
           "the first Linear from in_features, every next one from the previous one's width, the last to "
           "out_features.")
    return linears


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
    live = _live(layers)
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


def law(scheme: str, shape: tuple[int, ...]) -> laws.Law:
    """The exact law of a scheme (a1's laws; "normal" is N(0, 1))."""
    if scheme != "normal":
        return laws.law_of(f"{scheme}_", shape)
    fan_in, fan_out = laws.fans(shape)
    return laws.Law("normal", 1.0, "N(0, 1)", {
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
        notes.append(laws.judge_spread(values, scheme_law, call))
        if i == 0:
            laws.judge_shape(values, scheme_law, call)
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


#: The points sigma and its derivatives are checked on: a fine grid, and far out where exp overflows.
FAR = [-1e4, -1e3, -100.0, -88.8, 88.8, 100.0, 1e3, 1e4]


def _grid() -> torch.Tensor:
    return torch.cat([torch.linspace(-30.0, 30.0, 601), torch.tensor(FAR + [0.0])]).reshape(10, 61)


def expect_elementwise(sub: Submission, name: str, truth, hint: str,
                       also: torch.Tensor | None = None) -> torch.Tensor:
    """``name(x)`` on the grid must be ``truth(x)`` within 1e-6 at every point; where it is not (NaN and
    inf included), the feedback names the worst x and gives ``hint``. ``also``: other accepted values,
    point by point (NaN where a point has none)."""
    x = _grid()
    got = expect_tensor(f"{name}(x) for x of shape (10, 61) holding values up to ±1e4", sub.call(name, x.clone()),
                        shape=(10, 61), finite=False)
    expected = truth(x.double())
    gap = _gap(got, expected)
    if also is not None:
        gap = torch.minimum(gap, _gap(got, also))
    if float(gap.max()) > 1e-6:
        worst = int(gap.flatten().argmax())
        fail(f"{name}({float(x.flatten()[worst]):g}) is {float(got.flatten()[worst]):.7g}, expected "
             f"{float(expected.flatten()[worst]):.7g} (largest error {float(gap.max()):.3g}; "
             f"{int((gap > 1e-6).sum())} of {gap.numel()} points are off).", hint)
    return got


def _gap(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor:
    """|got - expected| point by point; inf where either is not finite, unless both are the same
    non-finite value (NaN and NaN: an accepted value that is itself undefined)."""
    got, expected = got.double(), expected.double()
    gap = (got - expected).abs()
    same = (got == expected) | (torch.isnan(got) & torch.isnan(expected))
    return torch.where(same, torch.zeros_like(gap), torch.nan_to_num(gap, nan=math.inf))


def same_values(a: Any, b: Any) -> bool:
    """Two answers of the student's, equal value for value (nested lists, dicts, tensors, numbers; NaN
    equals NaN): a second call that repeats the first exactly."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
    if isinstance(a, torch.Tensor):
        return a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a, b) or (
            a.is_floating_point() and torch.allclose(a, b, rtol=0, atol=0, equal_nan=True)))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def own_sigmoid_prime(sub: Submission) -> torch.Tensor | None:
    """sigma(1 - sigma) of the student's own sigmoid on the grid (None when it cannot be read): a
    sigmoid_prime built on a sigmoid that 1.1 already charged is not charged again in 1.2."""
    try:
        own = sub.call("sigmoid", _grid())
    except SubmissionError:
        return None
    if type(own) is not torch.Tensor or tuple(own.shape) != (10, 61) or not own.is_floating_point():
        return None
    own = own.double()
    return own * (1 - own)


def init_check(sub: Submission, schemes: tuple[str, ...]) -> str:
    """deep_mlp(2, 256, "tanh", scheme) for each scheme (one child), judged by :func:`judge_init`."""
    calls = [[2, 256, "tanh", scheme] for scheme in schemes]
    notes = []
    for args, seen in zip(calls, sub.run(probes.mlps, calls, GRID)):
        what = f"deep_mlp{tuple(args)}"
        notes.append(f"{args[3]}: " + judge_init(what, read_mlp(what, seen), args[3]))
    return "\n".join(notes)


def grader_layers(sizes: list[int], activations: list[str], seed: int, scale: float = 1.0) -> list[Layer]:
    """The grader's network: Linear layers of these sizes with the activations between them."""
    generator = torch.Generator().manual_seed(seed)
    layers: list[Layer] = []
    for i in range(len(sizes) - 1):
        weight = torch.randn(sizes[i + 1], sizes[i], generator=generator) * scale / math.sqrt(sizes[i])
        layers.append({"weight": weight, "bias": 0.1 * torch.randn(sizes[i + 1], generator=generator)})
        if i < len(activations):
            layers.append({"activation": activations[i]})
    return layers


NORMS_HINT = ("model.zero_grad(); loss_fn(model(x), y).backward(); then [m.weight.grad.norm().item() for m in "
              "model.modules() if isinstance(m, nn.Linear)]: weights, not biases, input layer first.")


def judge_gradient_norms(sub: Submission, layers: list[Layer], x: torch.Tensor, y: torch.Tensor,
                         loss: str) -> tuple[dict, list[float]]:
    seen = sub.run(probes.gradient_norms, layers, x, y, loss, None)   # clean .grad: 3.2 judges zero_grad
    expected = gradient_norms(layers, x, y, loss)
    mistakes = {"these are the norms of the biases' gradients: take each Linear's weight.grad.":
                gradient_norms(layers, x, y, loss, of="bias")}
    expect_norms("layer_gradient_norms(model, x, y, loss_fn)", seen["first"], expected, NORMS_HINT, mistakes)
    return seen, expected


def old_weight_grads(layers: list[Layer], seed: int) -> list[torch.Tensor]:
    """The values :func:`probes.gradient_norms` puts in every weight's ``.grad`` before the calls."""
    generator = torch.Generator().manual_seed(seed)
    junk = [torch.randn(t.shape, generator=generator) for layer in layers if "weight" in layer
            for t in (layer["weight"], layer["bias"])]
    return junk[::2]


@functools.lru_cache(maxsize=1)
def _training_images() -> tuple[torch.Tensor, torch.Tensor]:
    return data.load_training()


def phenomenon_batch(seed: int, n: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` Fashion-MNIST training images (flattened, in [0, 1]) and labels, chosen here."""
    images, labels = _training_images()
    idx = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))[:n]
    return images[idx].reshape(n, -1).float() / 255.0, labels[idx]


def gradient_ratio(sub: Submission, activation: str, init: str) -> tuple[float, list[float], Any]:
    """first/last gradient norm of the student's deep_mlp(10, 128, ...) on 256 training images, by
    the grader's own backward pass on the student's weights; the student's own norms alongside."""
    args = [10, 128, activation, init]
    x, y = phenomenon_batch(seed=40)
    seen = sub.run(probes.phenomenon, args, x, y, GRID)
    layers = read_mlp(f"deep_mlp{tuple(args)}", seen["model"])
    expect_chain(f"deep_mlp{tuple(args)}", layers)
    norms = gradient_norms(layers, x, y)
    expect(norms[0] > 0 and norms[-1] > 0 and all(map(math.isfinite, norms)),
           f"deep_mlp{tuple(args)}: the gradient norms input -> output are {', '.join(f'{n:.2g}' for n in norms)}; "
           "a layer whose weight gets no gradient at all (or an infinite one) is not the phenomenon: are the "
           f"weights initialized with {init!r}?", "every Linear weight drawn by the scheme, every bias 0.")
    return norms[0] / norms[-1], norms, seen["norms"]


def norms_note(norms: list[float], theirs: Any) -> str:
    shown = ", ".join(f"{n:.2g}" for n in norms)
    agree = (type(theirs) is list and len(theirs) == len(norms)
             and all(type(t) is float and math.isclose(t, n, rel_tol=1e-3) for t, n in zip(theirs, norms)))
    return f"gradient norms input -> output: {shown}" + ("" if agree else
                                                         " (your layer_gradient_norms reported different values)")


STATS_HINT = ("hook every activation module, forward x once under torch.no_grad(), then per module: "
              "out.mean().item(), out.std().item(), and the saturated fraction by the handout's rule "
              "(sigmoid-like |a - 0.5| > 0.49, tanh |a| > 0.98, ReLU family a <= 0).")


def judge_stats(what: str, observed: Any, expected: list[dict[str, float]]) -> None:
    """The student's list equals the grader's: mean (1e-5), std (biased or unbiased), saturated fraction."""
    if type(observed) not in (list, tuple) or len(observed) != len(expected):
        fail(f"{what}: expected a list of {len(expected)} dicts (one per activation module), got {describe(observed)}.",
             STATS_HINT)
    for i, (got, want) in enumerate(zip(observed, expected)):
        got = expect_result_dict(f"{what}[{i}]", got, ("mean", "std", "saturated"))
        for key, tol in (("mean", 1e-5), ("std", 1e-3 * want["std"] + 1e-6), ("saturated", 1e-3)):
            value = expect_float(f"{what}[{i}]['{key}']", got[key])
            expect(abs(value - want[key]) <= tol, f"{what}[{i}]['{key}'] is {value:.6g}, expected {want[key]:.6g} "
                   f"(activation module {i}).", STATS_HINT)


def stats_setup(seed: int, activations: list[str], width: int = 40) -> tuple[list[Layer], torch.Tensor]:
    """A grader network with large weights (so activations saturate) and a batch, chosen here."""
    layers = grader_layers([30] + [width] * len(activations) + [5], activations, seed, scale=3.0)
    return layers, torch.randn(64, 30, generator=torch.Generator().manual_seed(seed + 1))


COMPARED_SCHEMES = ["zeros", "normal", "xavier_normal", "kaiming_normal"]


COMPARE_SEED, EPOCHS, BATCH, N_TRAIN, N_VAL = 7, 2, 100, 3000, 1000


def split(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Training and validation indices, both from the official training set (test data stays out)."""
    perm = torch.randperm(60_000, generator=torch.Generator().manual_seed(seed))
    return perm[:N_TRAIN], perm[N_TRAIN:N_TRAIN + N_VAL]


def run_comparison(sub: Submission, schemes: list[str] = COMPARED_SCHEMES, activation: str = "sigmoid",
                   seed: int = COMPARE_SEED, epochs: int = EPOCHS
                   ) -> tuple[dict, dict, tuple[torch.Tensor, torch.Tensor]]:
    """compare_initializers on the grader's loaders: its results per scheme, what the probe saw
    (iterations, starting models, passes), the training and validation indices."""
    train_idx, val_idx = split(seed)
    key = ("comparison", tuple(schemes), activation, seed, epochs)
    if key not in sub.memo:  # one seed: checks 5.1-5.3 share the run (submission.FirstCalls)
        sub.memo[key] = sub.run(probes.comparison, schemes, activation, epochs, seed, train_idx, val_idx, BATCH,
                                GRID, sandbox_seed=seed)
    seen = sub.memo[key]
    returned = seen["returned"]
    call = f"compare_initializers({schemes}, {activation!r}, epochs={epochs}, ...)"
    expect(type(returned) is dict and sorted(returned) == sorted(schemes),
           f"{call} must return a dict with one entry per scheme {schemes}; got "
           f"{sorted(returned) if type(returned) is dict else describe(returned)}.")
    for scheme in schemes:
        expect_result_dict(f"{call}[{scheme!r}]", returned[scheme],
                           ("losses", "val_accuracy", "junction", "model"))
    return returned, seen, (train_idx, val_idx)


def trained_layers(result: dict, scheme: str) -> list[Layer]:
    layers = read_mlp(f"the model trained with {scheme!r}", result["model"])
    expect_chain(f"the model trained with {scheme!r}", layers)
    return layers


def validation(layers: list[Layer], val_idx: torch.Tensor) -> tuple[float, float]:
    """Loss and accuracy of a trained model on the validation images, computed here."""
    images, labels = _training_images()
    logits, _ = forward(layers, images[val_idx].reshape(len(val_idx), -1).float() / 255.0)
    return float(F.cross_entropy(logits, labels[val_idx])), float((logits.argmax(1) == labels[val_idx]).double().mean())


def judge_returns(sub: Submission, schemes: list[str], activation: str, seed: int, epochs: int = EPOCHS) -> str:
    """Lengths, the validation accuracy (recomputed here from the returned model) and the junction,
    each judged against the same run; then the training itself, replayed here (:func:`trained_models`)."""
    returned, seen, (_, val_idx) = run_comparison(sub, schemes, activation, seed, epochs)
    iterations = seen["iterations"]
    notes = []
    for scheme in schemes:
        result = returned[scheme]
        expect_floats(f"results[{scheme!r}]['losses']", result["losses"], iterations)
        layers = trained_layers(result, scheme)
        _, accuracy = validation(layers, val_idx)
        got = expect_float(f"results[{scheme!r}]['val_accuracy']", result["val_accuracy"])
        expect(abs(got - accuracy) <= 1.5 / N_VAL, f"results[{scheme!r}]['val_accuracy'] is {got:.4f}, but the "
               f"returned model classifies {accuracy:.4f} of the {N_VAL} validation images correctly.",
               "evaluate the trained model on val_loader: correct predictions / samples.")
        junction = expect_tensor(f"results[{scheme!r}]['junction']", result["junction"], shape=(10, 200))
        last = [layer for layer in layers if "weight" in layer][-1]["weight"]
        expect(junction.shape == last.shape and bool(torch.allclose(junction.float(), last)),
               f"results[{scheme!r}]['junction'] is not the weight of the model's 2nd junction (200 -> 10).")
        notes.append(f"{scheme}: val accuracy {accuracy:.3f}")
    trained_models(sub, schemes, activation, seed, epochs)
    return f"{iterations} iterations per scheme, replayed by the grader; " + ", ".join(notes)


# -- the training, replayed ---------------------------------------------------------------------------

#: The handout's training: SGD with this learning rate, on the mean cross-entropy of each batch.
LEARNING_RATE = 0.1
#: How far a returned weight may sit from the replay's, and a returned loss (relative) from the
#: replay's. Calibration (the reference's training with each variant, replayed here: nn.CrossEntropyLoss,
#: F.cross_entropy, log_softmax + nll_loss, optimizer.zero_grad or model.zero_grad, torch.optim.SGD,
#: p.data.add_ or p -= lr * p.grad, view or flatten, a float64 forward): weights at most 7.2e-7
#: apart, losses 3.3e-7 (most variants 0: the same float32 operations); a replay whose starting
#: weights moved by 1e-6 ends 7.6e-6 away. Mistakes end far beyond both: lr 0.05 or 0.2 (weights 0.094,
#: losses 0.39), Adam (3.6), no zero_grad (5.6), one seed for all schemes (6.6), no optimizer step
#: (0.31, losses 7.1), a summed loss (16).
WEIGHT_SLACK, LOSS_SLACK = 1e-4, 1e-4
#: Passes over the training loader beyond the prescribed ones that the parent still follows (a peek at
#: one batch, an evaluation pass over the training images).
SPARE_PASSES = 10


def pass_orders(passes: Any, seed: int, most: int) -> list[torch.Tensor]:
    """The order of the training images in every complete pass the student's code made over the
    grader's training loader, reproduced here from the child's notes ([indices drawn, ran to its end]
    per pass) with the same loader: every pass draws from the loader's generator in the same way."""
    expect(type(passes) is list and len(passes) <= most and all(
        type(note) is list and len(note) == 2 and type(note[0]) is int and 0 <= note[0] <= N_TRAIN
        and type(note[1]) is bool for note in passes),
        f"compare_initializers went over the training loader {len(passes) if type(passes) is list else '?'} "
        f"times; the grader follows at most {most}.", "one pass over train_loader per epoch and scheme.")
    loader = probes.CountingLoader(TensorDataset(torch.arange(N_TRAIN)), BATCH, seed)
    orders = []
    for count, finished in passes:
        batches = iter(loader)
        taken = [batch for (batch,) in itertools.islice(batches, math.ceil(count / BATCH))]
        if finished:
            for _ in batches:  # the end of a pass draws once more (the sampler's empty tail)
                pass
        if count == N_TRAIN:
            orders.append(torch.cat(taken))
    return orders


def _images(order: torch.Tensor, train_idx: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """The batches of one pass, as the child's loader gave them (flattened, in [0, 1], float32)."""
    images, labels = _training_images()
    for batch in order.split(BATCH):
        idx = train_idx[batch]
        yield images[idx].reshape(len(idx), -1).float().div_(255.0), labels[idx]


def _live(layers: list[Layer]) -> list[Layer]:
    """Copies of the layers whose weights and biases autograd follows (the originals stay as they are)."""
    return [{**layer, "weight": layer["weight"].clone().requires_grad_(True),
             "bias": layer["bias"].clone().requires_grad_(True)} if "weight" in layer else layer for layer in layers]


def _first_loss(state: list[Layer], order: torch.Tensor, train_idx: torch.Tensor) -> float:
    x, y = next(_images(order[:BATCH], train_idx))
    with torch.no_grad():
        return F.cross_entropy(forward(state, x)[0], y).item()


def sgd_epoch(state: list[Layer], order: torch.Tensor, train_idx: torch.Tensor) -> tuple[list[Layer], list[float]]:
    """One epoch of the handout's training, run here: one SGD step (LEARNING_RATE, the batch's mean
    cross-entropy) per batch of the pass, from ``state``; the new state and the loss of every step."""
    live = _live(state)
    params = [layer[key] for layer in live if "weight" in layer for key in ("weight", "bias")]
    losses = []
    for x, y in _images(order, train_idx):
        loss = F.cross_entropy(forward(live, x)[0], y)
        losses.append(loss.item())
        with torch.no_grad():
            for param, grad in zip(params, torch.autograd.grad(loss, params)):
                param.add_(grad, alpha=-LEARNING_RATE)
    return [{**layer, "weight": layer["weight"].detach(), "bias": layer["bias"].detach()} if "weight" in layer
            else layer for layer in live], losses


TRAINING_HINT = ("for each scheme: torch.manual_seed(seed); model = deep_mlp(1, 200, activation, scheme); "
                 "optimizer = torch.optim.SGD(model.parameters(), lr=0.1); then per epoch, per batch of "
                 "train_loader: optimizer.zero_grad(); loss = cross_entropy(model(images.reshape(len(images), -1)), "
                 "labels); loss.backward(); optimizer.step(); losses.append(loss.item()).")


def _agrees(observed: float, expected: float) -> bool:
    return math.isclose(observed, expected, rel_tol=LOSS_SLACK, abs_tol=1e-6)


def replay_scheme(scheme: str, losses: list[float], start: list[Layer], orders: list[torch.Tensor], epochs: int,
                  train_idx: torch.Tensor) -> tuple[list[Layer], int]:
    """The scheme's training replayed here, epoch by epoch, on the passes from the first of ``orders``:
    each epoch on the next pass whose first step gives the epoch's first reported loss (passes between
    are the student's other uses of the loader: a peek, an evaluation); the trained layers and the
    number of passes used. Fails at the first reported loss the replay does not give."""
    state, used, per_epoch = start, 0, len(losses) // epochs
    for epoch in range(epochs):
        first = losses[epoch * per_epoch]
        while used < len(orders) and not _agrees(first, _first_loss(state, orders[used], train_idx)):
            used += 1
        where = f"results[{scheme!r}]['losses'][{epoch * per_epoch}]"
        if used == len(orders):
            if epoch == 0:
                fail(f"{where} is {first:.6g}; no pass over train_loader gives it as the first step's loss from "
                     f"the model each scheme must start from: the training does not start from "
                     f"torch.manual_seed(seed) and deep_mlp(1, 200, activation, {scheme!r}), or the loss is not "
                     "the batch's mean cross-entropy.", TRAINING_HINT)
            fail(f"{where} (epoch {epoch + 1}) is {first:.6g}; the grader's replay of the epochs before (your "
                 f"starting model, the loader's batches, SGD lr={LEARNING_RATE}) leads to no pass that gives it: "
                 "the update differs (learning rate, optimizer, gradients not zeroed every step?).", TRAINING_HINT)
        state, replayed = sgd_epoch(state, orders[used], train_idx)
        used += 1
        for i, (observed, expected) in enumerate(zip(losses[epoch * per_epoch:], replayed)):
            expect(_agrees(observed, expected), f"results[{scheme!r}]['losses'][{epoch * per_epoch + i}] is "
                   f"{observed:.6g}; the grader's replay (your starting model, the loader's batches, SGD "
                   f"lr={LEARNING_RATE}) gives {expected:.6g}: the first {epoch * per_epoch + i} step(s) agree, so "
                   "the update differs (learning rate, optimizer, gradients not zeroed every step?).", TRAINING_HINT)
    return state, used


_TRAINED: dict[str, dict[str, list[Layer]] | None] = {}
_TRAINED_LOCK = threading.Lock()


def trained_models(sub: Submission, schemes: list[str] = COMPARED_SCHEMES, activation: str = "sigmoid",
                   seed: int = COMPARE_SEED, epochs: int = EPOCHS, dependent: bool = False) -> dict[str, list[Layer]]:
    """Each scheme's returned model, once the grader has replayed the training the handout prescribes
    from the model each scheme must start from (its initialization judged by its law, as in 2.4-2.6),
    over the loader's own batches, and found the returned model and losses to be that training's: a
    record that was not trained cannot match. Remembered for the grading's other checks of the run.

    ``dependent``: the check judges the trained models, not the training; when the losses do not agree
    it judges the models alone (:func:`_replayed_by_weights`), and when they do not either it says so
    in one line (the finding is 5.1's)."""
    try:
        returned, seen, (train_idx, _) = run_comparison(sub, schemes, activation, seed, epochs)
        key = _record_digest(returned, seen, (schemes, activation, seed, epochs))
        with _TRAINED_LOCK:
            if key in _TRAINED:
                return _TRAINED[key]
        orders = pass_orders(seen["passes"], seed, len(schemes) * epochs + SPARE_PASSES)
        trained, used = {}, 0
        for scheme in returned:  # the order the student's loop trained them in
            start = _judged_start(seen, scheme, activation, seed)
            losses = expect_floats(f"results[{scheme!r}]['losses']", returned[scheme]["losses"], seen["iterations"])
            want, passes = replay_scheme(scheme, losses, start, orders[used:], epochs, train_idx)
            used += passes
            gap = _model_gap(returned[scheme], want, scheme)
            expect(gap <= WEIGHT_SLACK, f"results[{scheme!r}]['model'] differs from the model the grader's replay of "
                   f"your training ends with by up to {gap:.3g}, though every loss agrees: return the model you "
                   "trained, after its last step.")
            trained[scheme] = want
        return _remember(key, trained)
    except CheckFailed:
        if not dependent:
            raise
    trained = _replayed_by_weights(sub, schemes, activation, seed, epochs)
    if trained is None:
        fail("Not judged: compare_initializers did not train as the handout prescribes (see check 5.1), so its "
             "models are not the ones this check is about.")
    return trained


def _replayed_by_weights(sub: Submission, schemes: list[str], activation: str, seed: int,
                         epochs: int) -> dict[str, list[Layer]] | None:
    """The trained models, judged without the reported losses (for the checks about the models, when only
    the losses are off: an epoch's average, log10 of each loss): each scheme replayed on the next passes
    over the loader, one per epoch, and its returned model that replay's within WEIGHT_SLACK; else None."""
    returned, seen, (train_idx, _) = run_comparison(sub, schemes, activation, seed, epochs)
    key = "by weights " + _record_digest(returned, seen, (schemes, activation, seed, epochs))
    with _TRAINED_LOCK:
        if key in _TRAINED:
            return _TRAINED[key]
    try:
        orders = pass_orders(seen["passes"], seed, len(schemes) * epochs + SPARE_PASSES)
        trained: dict[str, list[Layer]] | None = {}
        used = 0
        for scheme in returned:
            state = _judged_start(seen, scheme, activation, seed)
            for _ in range(epochs):
                state, _ = sgd_epoch(state, orders[used], train_idx)
                used += 1
            if _model_gap(returned[scheme], state, scheme) > WEIGHT_SLACK:
                trained = None
                break
            trained[scheme] = state
    except (CheckFailed, IndexError):
        trained = None
    return _remember(key, trained)


def _judged_start(seen: dict, scheme: str, activation: str, seed: int) -> list[Layer]:
    """The model ``scheme`` starts from, as the probe read it, judged by its layout and its law."""
    built = f"deep_mlp(1, 200, {activation!r}, {scheme!r}) after torch.manual_seed({seed})"
    start = read_mlp(built, seen["initial"][scheme])
    expect_chain(built, start)
    judge_init(built, start, scheme)
    return start


def _model_gap(result: dict, want: list[Layer], scheme: str) -> float:
    """How far the model returned for ``scheme`` is from ``want``: the largest entry of any weight or bias."""
    layers = trained_layers(result, scheme)
    if layout(layers) != layout(want):
        return math.inf
    return max(float((got[k] - should[k]).abs().max()) for got, should in zip(layers, want) if "weight" in got
               for k in ("weight", "bias"))


def _remember(key: str, trained: dict[str, list[Layer]] | None) -> dict[str, list[Layer]] | None:
    """Keep a replay's verdict for the grading's other checks of the same record (a few records at most)."""
    with _TRAINED_LOCK:
        if len(_TRAINED) >= 8:
            _TRAINED.clear()
        _TRAINED[key] = trained
    return trained


def _record_digest(returned: dict, seen: dict, settings: tuple) -> str:
    """A digest of everything the replay reads from one comparison record (the same record, the same verdict)."""
    digest = hashlib.sha256(repr((settings, seen["passes"], seen["iterations"])).encode())
    for scheme, result in returned.items():
        digest.update(repr((scheme, result["losses"])).encode())
        for described in (seen["initial"].get(scheme), result["model"]):
            for module in (described or {}).get("modules") or []:
                for key in ("weight", "bias", "response"):
                    value = module.get(key) if type(module) is dict else None
                    if type(value) is torch.Tensor:
                        digest.update(value.contiguous().numpy().tobytes())
    return digest.hexdigest()


PLOT_SCHEMES = ["zeros", "normal", "xavier_normal", "kaiming_normal"]


PLOT_STDS = {"zeros": 0.03, "normal": 1.0, "xavier_normal": 0.1, "kaiming_normal": 0.2}


PLOT_SEED = 61


def plot_results(seed: int, schemes: list[str] = PLOT_SCHEMES, iterations: int = 60) -> dict:
    """compare_initializers-like results made here: distinct loss curves and junctions per scheme."""
    generator = torch.Generator().manual_seed(seed)
    results = {}
    for k, scheme in enumerate(schemes):
        steps = torch.arange(iterations, dtype=torch.float64)
        noise = 0.05 * torch.rand(iterations, generator=generator, dtype=torch.float64)
        losses = 2.3 * torch.exp(-steps / (20 + 15 * k)) + noise
        results[scheme] = {"losses": [float(v) for v in losses], "val_accuracy": 0.5 + 0.1 * k,
                           "junction": PLOT_STDS.get(scheme, 0.1) * torch.randn(10, 200, generator=generator),
                           "first": 0.05 * torch.randn(200, 784, generator=generator)}
    return results


def figure_image(sub: Submission, results: dict) -> str:
    """The student's figure for ``results``, redrawn here from what the probe read of it (lines, bars,
    labels) as a markdown image (Gradescope shows it); nothing when there is no readable figure."""
    try:
        seen = _figure_seen(sub, results)
        if seen["type"] != "Figure" or not seen["axes"]:
            return ""
        return "\n\nYour figure, as the grader read it:\n\n" + figures.redraw(seen["axes"], "plot_comparison's figure")
    except (SubmissionError, *_UNREADABLE_FIGURE):
        return ""


def _figure_seen(sub: Submission, results: dict) -> Any:
    """``plot_comparison`` on ``results``, run once per check (the judges and the redraw share it)."""
    key = ("figure", tuple(results), len(next(iter(results.values()))["losses"]))
    if key not in sub.memo:
        sub.memo[key] = sub.run(probes.figure, results, sandbox_seed=PLOT_SEED)
    return sub.memo[key]


#: A described figure the redraw cannot read (a forged description): no image, the checks judge the rest.
_UNREADABLE_FIGURE = (KeyError, IndexError, TypeError, AttributeError, ValueError, RuntimeError)


@contextmanager
def figure_on_failure(sub: Submission, results: dict) -> Iterator[None]:
    """A failure judged from the figure's data shows the figure too (drawn only then)."""
    try:
        yield
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{figure_image(sub, results)}") from None


#: The most of a figure the grader reads: axes, lines per axis, bars per axis, characters of a label.
MAX_AXES, MAX_LINES, MAX_BARS, MAX_LABEL = 16, 64, 10_000, 200


def read_figure(sub: Submission, results: dict) -> list[dict]:
    """The figure's axes as the probe read them, within the grader's bounds (labels cut to MAX_LABEL)."""
    seen = _figure_seen(sub, results)
    expect(seen["type"] == "Figure", f"plot_comparison must return a matplotlib.figure.Figure; got a "
           f"{str(seen['type'])[:MAX_LABEL]}.", "fig, axes = plt.subplots(...); ...; return fig")
    axes = seen["axes"]
    expect(len(axes) <= MAX_AXES and all(len(ax["lines"]) <= MAX_LINES and len(ax["bars"]) <= MAX_BARS for ax in axes),
           f"the figure has {len(axes)} axes holding up to {max((len(ax['lines']) for ax in axes), default=0)} lines "
           f"and {max((len(ax['bars']) for ax in axes), default=0)} bars; the grader reads at most {MAX_AXES} axes, "
           f"{MAX_LINES} lines and {MAX_BARS} bars per axis.")
    for ax in axes:
        for key in ("title", "xlabel", "ylabel"):
            ax[key] = str(ax[key])[:MAX_LABEL]
        for line in ax["lines"]:
            line["label"] = str(line["label"])[:MAX_LABEL]
    expect(len(axes) == 1 + len(results), f"the figure has {len(axes)} axes; expected {1 + len(results)}: one for "
           f"the loss curves and one histogram per scheme ({len(results)} schemes).")
    return axes


def judge_curves(axes: list[dict], results: dict) -> None:
    with_lines = [ax for ax in axes if any(not line["label"].startswith("_") for line in ax["lines"])]
    expect(len(with_lines) == 1, f"expected one axis with the labelled loss curves; found {len(with_lines)}.",
           "ax.plot(losses, label=scheme) for every scheme on the first axis.")
    ax = with_lines[0]
    for scheme, result in results.items():
        lines = [line for line in ax["lines"] if names_scheme(line["label"], scheme)]
        expect(len(lines) == 1, f"the loss axis has {len(lines)} lines labelled {scheme!r} (labels: "
               f"{[line['label'] for line in ax['lines']]}); expected one per scheme.",
               "plot every scheme's losses with label=scheme.")
        y = lines[0]["y"]
        expected = torch.tensor(result["losses"], dtype=torch.float64)
        expect(y is not None and y.shape == expected.shape and bool(torch.allclose(y, expected, atol=1e-6)),
               f"the line {scheme!r} has {None if y is None else y.numel()} points; expected the {len(expected)} "
               f"per-iteration losses of that scheme.")
    expect(bool(ax["xlabel"]) and bool(ax["ylabel"]) and ax["legend"],
           f"the loss axis needs an x label, a y label and a legend (found xlabel {ax['xlabel']!r}, ylabel "
           f"{ax['ylabel']!r}, legend {'yes' if ax['legend'] else 'no'}).",
           "ax.set_xlabel('iteration'); ax.set_ylabel('loss'); ax.legend()")


def judge_histograms(axes: list[dict], results: dict) -> None:
    for scheme, result in results.items():
        titled = [ax for ax in axes if names_scheme(ax["title"], scheme)]
        expect(len(titled) == 1, f"expected one histogram axis titled with {scheme!r}; found {len(titled)} "
               f"(titles: {[ax['title'] for ax in axes]}).", "ax.set_title(scheme) on each histogram.")
        bars, junction = titled[0]["bars"], result["junction"]
        total = float(bars[:, 2].sum()) if len(bars) else 0.0
        expect(len(bars) > 0 and abs(total - junction.numel()) < 0.5,
               f"the histogram of {scheme!r} has {len(bars)} bars holding {total:g} values; the 2nd junction "
               f"(200 -> 10) has {junction.numel()} weights.",
               "ax.hist(results[scheme]['junction'].flatten().numpy(), bins=...) with counts (no density).")
        off = bar_mismatch(bars, junction)
        expect(off <= 0.01 * junction.numel(), f"the histogram titled {scheme!r} does not count that scheme's "
               f"junction weights: {off} of {junction.numel()} values fall in other bars.",
               "plot results[scheme]['junction'] on the axis titled with the same scheme.")
