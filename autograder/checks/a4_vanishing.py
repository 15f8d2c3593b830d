"""Public checks of a4_vanishing: sigma and its derivative, deep_mlp (layers, activations, every
initialization's law), layer_gradient_norms against the grader's own backward pass, the vanishing
gradient itself, activation_stats, the initializer comparison on Fashion-MNIST, and its figure."""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from typing import Any, Iterator

import torch
import torch.nn.functional as F

from autograder import data, figures
from autograder.checks import a4_judge as judge
from autograder.checks.a4_judge import GRID
from autograder.expect import CheckFailed, describe, expect, expect_tensor, fail
from autograder.probes import a4_vanishing as probes
from autograder.probes import common
from autograder.registry import check
from autograder.sandbox import SubmissionError
from autograder.submission import Submission

#: The points sigma and its derivatives are checked on: a fine grid, and far out where exp overflows.
FAR = [-1e4, -1e3, -100.0, -88.8, 88.8, 100.0, 1e3, 1e4]


def _grid() -> torch.Tensor:
    return torch.cat([torch.linspace(-30.0, 30.0, 601), torch.tensor(FAR + [0.0])]).reshape(10, 61)


def _expect_elementwise(sub: Submission, name: str, truth, hint: str) -> torch.Tensor:
    x = _grid()
    got = expect_tensor(f"{name}(x) for x of shape (10, 61) holding values up to ±1e4", sub.call(name, x.clone()),
                        shape=(10, 61))
    expected = truth(x.double())
    gap = (got.double() - expected).abs()
    if float(gap.max()) > 1e-6:
        worst = int(gap.flatten().argmax())
        fail(f"{name}({float(x.flatten()[worst]):g}) is {float(got.flatten()[worst]):.7g}, expected "
             f"{float(expected.flatten()[worst]):.7g} (largest error {float(gap.max()):.3g}).", hint)
    return got


@check("1.1", "sigmoid: 1/(1+exp(-x)) on a grid, finite for |x| up to 1e4", points=2)
def sigmoid_values(sub: Submission) -> str:
    _expect_elementwise(sub, "sigmoid", torch.sigmoid,
                        "exp(x) overflows to inf above x ~ 88 in float32, and inf/inf is NaN: only exponentiate "
                        "-|x| (z = exp(-|x|); sigma = 1/(1+z) for x >= 0, z/(1+z) for x < 0).")
    return "sigmoid matches on 610 points in [-1e4, 1e4]"


@check("1.2", "sigmoid_prime: sigma(1 - sigma), at most 0.25 (at 0), finite for |x| up to 1e4", points=2)
def sigmoid_prime_values(sub: Submission) -> str:
    got = _expect_elementwise(sub, "sigmoid_prime", lambda t: torch.sigmoid(t) * (1 - torch.sigmoid(t)),
                              "sigma'(x) = sigma(x) * (1 - sigma(x)); exp(-x)/(1+exp(-x))^2 is NaN for x = -1e4.")
    top = float(got.max())
    expect(abs(top - 0.25) < 1e-7, f"the largest value of sigmoid_prime is {top:.7g}; sigma' peaks at 0.25 (x = 0).")
    return f"max {top:.4f} at x = 0: a sigmoid layer passes back at most a quarter of the gradient"


@check("1.3", "tanh_prime: 1 - tanh^2", points=1)
def tanh_prime_values(sub: Submission) -> None:
    _expect_elementwise(sub, "tanh_prime", lambda t: 1 - torch.tanh(t) ** 2, "tanh'(x) = 1 - tanh(x)^2.")


@check("2.1", "deep_mlp: Linear -> activation blocks, then the output Linear; parameter count", points=2)
def mlp_layout(sub: Submission) -> str:
    args = (3, 64, "tanh", "xavier_normal")
    seen = sub.run(probes.mlp, list(args), GRID)
    layers = judge.read_mlp(f"deep_mlp{args}", seen)
    judge.expect_layout(f"deep_mlp{args}", layers, 3, 64, "tanh")
    count = judge.parameter_count(3, 64)
    expect(seen["parameters"] == count, f"deep_mlp{args} has {seen['parameters']:,} parameters, expected {count:,}.")
    expect(seen["sequential"], f"deep_mlp{args} must return an nn.Sequential, not a {seen['type']}.")
    return f"{' -> '.join(judge.layout(layers))}: {count:,} parameters"


@check("2.2", "deep_mlp: each of the six activation names gives its function", points=2)
def mlp_activations(sub: Submission) -> None:
    calls = [[1, 8, name, "xavier_normal", 5, 3] for name in judge.ACTIVATION_FUNCTIONS]
    for args, seen in zip(calls, sub.run(probes.mlps, calls, GRID)):
        layers = judge.read_mlp(f"deep_mlp{tuple(args)}", seen)
        judge.expect_layout(f"deep_mlp{tuple(args)}", layers, 1, 8, args[2], 5, 3)


@check("2.3", "deep_mlp: ValueError for an unknown activation or init", points=1)
def mlp_value_errors(sub: Submission) -> None:
    for args in ([2, 8, "swish", "xavier_normal"], [2, 8, "relu", "he_normal"]):
        raised = sub.run(common.raises, "deep_mlp", *args)
        expect(raised == "ValueError", f"deep_mlp{tuple(args)}: expected ValueError, "
               + ("but nothing was raised." if raised is None else f"got {raised}."))


def _init_check(sub: Submission, schemes: tuple[str, ...]) -> str:
    """deep_mlp(2, 256, "tanh", scheme) for each scheme (one child), judged by :func:`judge.judge_init`."""
    calls = [[2, 256, "tanh", scheme] for scheme in schemes]
    notes = []
    for args, seen in zip(calls, sub.run(probes.mlps, calls, GRID)):
        what = f"deep_mlp{tuple(args)}"
        notes.append(f"{args[3]}: " + judge.judge_init(what, judge.read_mlp(what, seen), args[3]))
    return "\n".join(notes)


@check("2.4", "deep_mlp: 'zeros' gives all-zero weights, 'normal' N(0, 1); every bias 0", points=2)
def mlp_init_zeros_normal(sub: Submission) -> str:
    return _init_check(sub, ("zeros", "normal"))


@check("2.5", "deep_mlp: Xavier normal and uniform (std sqrt(2/(fan_in+fan_out)))", points=3)
def mlp_init_xavier(sub: Submission) -> str:
    """a1's judges on the 200,704 weights of Linear(784, 256) (mean, variance, bound, KS) and the 65,536
    of Linear(256, 256) (mean, variance, bound); together below 6e-7 for a correct initializer."""
    return _init_check(sub, ("xavier_normal", "xavier_uniform"))


@check("2.6", "deep_mlp: Kaiming normal and uniform (std sqrt(2/fan_in))", points=3)
def mlp_init_kaiming(sub: Submission) -> str:
    """As 2.5, with the Kaiming laws."""
    return _init_check(sub, ("kaiming_normal", "kaiming_uniform"))


# -- layer_gradient_norms ---------------------------------------------------------------------------

def grader_layers(sizes: list[int], activations: list[str], seed: int, scale: float = 1.0) -> list[judge.Layer]:
    """The grader's network: Linear layers of these sizes with the activations between them."""
    generator = torch.Generator().manual_seed(seed)
    layers: list[judge.Layer] = []
    for i in range(len(sizes) - 1):
        weight = torch.randn(sizes[i + 1], sizes[i], generator=generator) * scale / math.sqrt(sizes[i])
        layers.append({"weight": weight, "bias": 0.1 * torch.randn(sizes[i + 1], generator=generator)})
        if i < len(activations):
            layers.append({"activation": activations[i]})
    return layers


NORMS_HINT = ("model.zero_grad(); loss_fn(model(x), y).backward(); then [m.weight.grad.norm().item() for m in "
              "model.modules() if isinstance(m, nn.Linear)]: weights, not biases, input layer first.")


def judge_gradient_norms(sub: Submission, layers: list[judge.Layer], x: torch.Tensor, y: torch.Tensor,
                         loss: str) -> tuple[dict, list[float]]:
    seen = sub.run(probes.gradient_norms, layers, x, y, loss, 5)
    expected = judge.gradient_norms(layers, x, y, loss)
    mistakes = {"these are the norms of the biases' gradients: take each Linear's weight.grad.":
                judge.gradient_norms(layers, x, y, loss, of="bias"),
                "gradients add up in .grad: call model.zero_grad() first, or what is already there counts too.":
                judge.gradient_norms(layers, x, y, loss, added=old_weight_grads(layers, 5))}
    judge.expect_norms("layer_gradient_norms(model, x, y, loss_fn)", seen["first"], expected, NORMS_HINT, mistakes)
    return seen, expected


@check("3.1", "layer_gradient_norms: the grader's norms of every Linear weight's gradient, input layer first",
       points=3)
def gradient_norms_values(sub: Submission) -> str:
    layers = grader_layers([30, 40, 40, 40, 5], ["tanh", "sigmoid", "relu"], seed=31)
    x = torch.randn(64, 30, generator=torch.Generator().manual_seed(32))
    _, expected = judge_gradient_norms(sub, layers, x, torch.arange(64) % 5, "cross_entropy")
    return "norms " + ", ".join(f"{e:.4g}" for e in expected)


def old_weight_grads(layers: list[judge.Layer], seed: int) -> list[torch.Tensor]:
    """The values :func:`probes.gradient_norms` puts in every weight's ``.grad`` before the calls."""
    generator = torch.Generator().manual_seed(seed)
    junk = [torch.randn(t.shape, generator=generator) for layer in layers if "weight" in layer
            for t in (layer["weight"], layer["bias"])]
    return junk[::2]


@check("3.2", "layer_gradient_norms: old .grad values do not count, a second call agrees, the model is unchanged",
       points=2)
def gradient_norms_clean(sub: Submission) -> None:
    layers = grader_layers([20, 30, 30, 4], ["sigmoid", "relu"], seed=33)
    x = torch.randn(48, 20, generator=torch.Generator().manual_seed(34))
    y = torch.arange(48) % 4
    seen = sub.run(probes.gradient_norms, layers, x, y, "cross_entropy", 35)
    expected = judge.gradient_norms(layers, x, y)
    accumulated = judge.gradient_norms(layers, x, y, added=old_weight_grads(layers, 35))
    hint = ("gradients add up in .grad: call model.zero_grad() before backward(), or what is already in .grad "
            "(left by earlier calls) counts too.")
    first = judge.expect_norms("layer_gradient_norms on a model whose .grad already held values", seen["first"],
                               expected, NORMS_HINT, {hint: accumulated})
    judge.expect_norms("a second call of layer_gradient_norms on the same model", seen["second"], expected,
                       hint if first else NORMS_HINT)
    params = [t for layer in layers if "weight" in layer for t in (layer["weight"], layer["bias"])]
    after = seen["after"]
    for i, (before, now) in enumerate(zip(params, after)):
        expect(bool(torch.equal(before, expect_tensor(f"parameter {i} after the calls", now, finite=False))),
               f"layer_gradient_norms changed parameter {i} of the model.",
               "only measure: no optimizer step, no in-place change of the weights.")


#: The vanishing-gradient bounds; the docstrings give their calibration.
SIGMOID_RATIO_MAX = 1e-4
RELU_RATIO = (0.1, 10.0)


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
    layers = judge.read_mlp(f"deep_mlp{tuple(args)}", seen["model"])
    judge.expect_layout(f"deep_mlp{tuple(args)}", layers, 10, 128, activation)
    norms = judge.gradient_norms(layers, x, y)
    return norms[0] / norms[-1], norms, seen["norms"]


def _norms_note(norms: list[float], theirs: Any) -> str:
    shown = ", ".join(f"{n:.2g}" for n in norms)
    agree = (type(theirs) is list and len(theirs) == len(norms)
             and all(type(t) is float and math.isclose(t, n, rel_tol=1e-3) for t, n in zip(theirs, norms)))
    return f"gradient norms input -> output: {shown}" + ("" if agree else
                                                        " (your layer_gradient_norms reported different values)")


@check("3.3", "vanishing gradient: sigmoid + Xavier, depth 10: the first layer's gradient < 1e-4 x the last's",
       points=2)
def vanishing_sigmoid(sub: Submission) -> str:
    """Calibration (benchmarks/a4_sweep.py: the reference deep_mlp, seeds 0-49 for the weights and
    for the 256 training images): first/last ratio 8.6e-7 .. 2.2e-6, log10 mean -5.82, sd 0.080; the
    bound 1e-4 (log10 -4) is 22.8 sd above the mean. Each sigma' <= 0.25 shrinks the gradient:
    0.25^10 ~ 1e-6. Caught: 'sigmoid' built as ReLU (ratio ~ 2), N(0, 1) weights called Xavier
    (0.12 .. 0.46: weights of std 1 multiply the backward signal by about sqrt(128) ~ 11 per layer,
    which offsets sigma' <= 0.25; that network fails differently, its units saturate)."""
    ratio, norms, theirs = gradient_ratio(sub, "sigmoid", "xavier_normal")
    note = f"first/last = {ratio:.2e}; " + _norms_note(norms, theirs)
    expect(ratio < SIGMOID_RATIO_MAX, f"deep_mlp(10, 128, 'sigmoid', 'xavier_normal'): {note}; expected below "
           f"{SIGMOID_RATIO_MAX:g}: every sigmoid layer multiplies the gradient by sigma' <= 0.25.")
    return note


@check("3.4", "ReLU + Kaiming, depth 10: the first layer's gradient within [0.1, 10] x the last's", points=2)
def no_vanishing_relu(sub: Submission) -> str:
    """Calibration (benchmarks/a4_sweep.py, seeds 0-49): ratio 1.15 .. 3.35, log10 mean 0.33, sd
    0.105; 10 is 6.4 sd above the mean (normal tail 8e-11), 0.1 is 12.7 sd below. Caught: 'relu' built
    as a sigmoid (~1e-6). Not caught, by design: a wrong scale with ReLU. ReLU is positively
    homogeneous, so scaling the weights scales the forward and backward passes alike and the ratio
    barely moves (Xavier 1.6 .. 5.2, N(0, 1) 0.30 .. 0.79); check 2.6 judges the Kaiming law itself."""
    ratio, norms, theirs = gradient_ratio(sub, "relu", "kaiming_normal")
    note = f"first/last = {ratio:.3g}; " + _norms_note(norms, theirs)
    low, high = RELU_RATIO
    expect(low <= ratio <= high, f"deep_mlp(10, 128, 'relu', 'kaiming_normal'): {note}; expected within "
           f"[{low:g}, {high:g}]: Kaiming initialization keeps the gradient's scale through ReLU layers.")
    return note


# -- activation_stats -------------------------------------------------------------------------------

STATS_HINT = ("hook every activation module, forward x once under torch.no_grad(), then per module: "
              "out.mean().item(), out.std().item(), and the saturated fraction by the handout's rule "
              "(sigmoid-like |a - 0.5| > 0.49, tanh |a| > 0.98, ReLU family a <= 0).")


def judge_stats(what: str, observed: Any, expected: list[dict[str, float]]) -> None:
    """The student's list equals the grader's: mean (1e-5), std (biased or unbiased), saturated fraction."""
    if type(observed) not in (list, tuple) or len(observed) != len(expected):
        fail(f"{what}: expected a list of {len(expected)} dicts (one per activation module), got {describe(observed)}.",
             STATS_HINT)
    for i, (got, want) in enumerate(zip(observed, expected)):
        got = judge.expect_result_dict(f"{what}[{i}]", got, ("mean", "std", "saturated"))
        for key, tol in (("mean", 1e-5), ("std", 1e-3 * want["std"] + 1e-6), ("saturated", 1e-3)):
            value = judge.expect_float(f"{what}[{i}]['{key}']", got[key])
            expect(abs(value - want[key]) <= tol, f"{what}[{i}]['{key}'] is {value:.6g}, expected {want[key]:.6g} "
                   f"(activation module {i}).", STATS_HINT)


def stats_setup(seed: int, activations: list[str], width: int = 40) -> tuple[list[judge.Layer], torch.Tensor]:
    """A grader network with large weights (so activations saturate) and a batch, chosen here."""
    layers = grader_layers([30] + [width] * len(activations) + [5], activations, seed, scale=3.0)
    return layers, torch.randn(64, 30, generator=torch.Generator().manual_seed(seed + 1))


ALL_ACTIVATIONS = list(judge.ACTIVATION_FUNCTIONS)


@check("4.1", "activation_stats: mean, std and saturated fraction of every activation equal the grader's", points=3)
def stats_values(sub: Submission) -> str:
    layers, x = stats_setup(41, ALL_ACTIVATIONS)
    seen = sub.run(probes.activation_statistics, layers, x)
    expected = judge.activation_stats(layers, x)
    judge_stats("activation_stats(model, x)", seen["first"], expected)
    return "saturated: " + ", ".join(f"{a} {s['saturated']:.2f}" for a, s in zip(ALL_ACTIVATIONS, expected))


@check("4.2", "activation_stats: every hook removed, the model unchanged, a second call agrees", points=2)
def stats_hooks(sub: Submission) -> None:
    layers, x = stats_setup(42, ["sigmoid", "relu", "tanh"])
    seen = sub.run(probes.activation_statistics, layers, x)
    expect(seen["hooks"] == 0, f"activation_stats left {seen['hooks']} hook(s) on the model.",
           "keep the handle that register_forward_hook returns and call handle.remove() before returning "
           "(in a finally: block, so an exception removes them too).")
    expect(seen["types_after"] == seen["types_before"], f"activation_stats changed the model's modules: "
           f"{seen['types_before']} became {seen['types_after']}.", "put back every module you replaced.")
    expected = judge.activation_stats(layers, x)
    judge_stats("a second call of activation_stats(model, x)", seen["second"], expected)
    params = [t for layer in layers if "weight" in layer for t in (layer["weight"], layer["bias"])]
    expect(all(torch.equal(a, b) for a, b in zip(params, seen["after"])), "activation_stats changed the weights.")


# -- compare_initializers ---------------------------------------------------------------------------

SCHEMES = ["zeros", "normal", "xavier_normal", "kaiming_normal"]
COMPARE_SEED, EPOCHS, BATCH, N_TRAIN, N_VAL = 7, 2, 100, 3000, 1000
#: Xavier and Kaiming must end with a validation loss at least this much below N(0, 1)'s (see 5.3).
LOSS_MARGIN = 0.1


def split(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Training and validation indices, both from the official training set (test data stays out)."""
    perm = torch.randperm(60_000, generator=torch.Generator().manual_seed(seed))
    return perm[:N_TRAIN], perm[N_TRAIN:N_TRAIN + N_VAL]


def run_comparison(sub: Submission, schemes: list[str] = SCHEMES, activation: str = "sigmoid",
                   seed: int = COMPARE_SEED, epochs: int = EPOCHS) -> tuple[dict, int, torch.Tensor]:
    """compare_initializers on the grader's loaders; its results per scheme, the iterations, the val indices."""
    train_idx, val_idx = split(seed)
    seen = sub.run(probes.comparison, schemes, activation, epochs, seed, train_idx, val_idx, BATCH, GRID,
                   sandbox_seed=seed)  # one seed: checks 5.1-5.3 share the run (submission.FirstCalls)
    returned = seen["returned"]
    call = f"compare_initializers({schemes}, {activation!r}, epochs={epochs}, ...)"
    expect(type(returned) is dict and sorted(returned) == sorted(schemes),
           f"{call} must return a dict with one entry per scheme {schemes}; got "
           f"{sorted(returned) if type(returned) is dict else describe(returned)}.")
    for scheme in schemes:
        judge.expect_result_dict(f"{call}[{scheme!r}]", returned[scheme],
                                 ("losses", "val_accuracy", "junction", "model"))
    return returned, seen["iterations"], val_idx


def trained_layers(result: dict, scheme: str, activation: str = "sigmoid") -> list[judge.Layer]:
    layers = judge.read_mlp(f"the model trained with {scheme!r}", result["model"])
    judge.expect_layout(f"the model trained with {scheme!r}", layers, 1, 200, activation)
    return layers


def validation(layers: list[judge.Layer], val_idx: torch.Tensor) -> tuple[float, float]:
    """Loss and accuracy of a trained model on the validation images, computed here."""
    images, labels = _training_images()
    logits, _ = judge.forward(layers, images[val_idx].reshape(len(val_idx), -1).float() / 255.0)
    return float(F.cross_entropy(logits, labels[val_idx])), float((logits.argmax(1) == labels[val_idx]).double().mean())


@check("5.1", "compare_initializers: per scheme, one loss per iteration, the model's validation accuracy, "
              "its 2nd junction", points=2, timeout_s=30)
def comparison_returns(sub: Submission) -> str:
    return judge_returns(sub, SCHEMES, "sigmoid", COMPARE_SEED)


def judge_returns(sub: Submission, schemes: list[str], activation: str, seed: int, epochs: int = EPOCHS) -> str:
    """Lengths, the validation accuracy (recomputed here from the returned model) and the junction:
    each judged against the same run, so no number of epochs needs calibrating here."""
    returned, iterations, val_idx = run_comparison(sub, schemes, activation, seed, epochs)
    notes = []
    for scheme in schemes:
        result = returned[scheme]
        judge.expect_floats(f"results[{scheme!r}]['losses']", result["losses"], iterations)
        layers = trained_layers(result, scheme, activation)
        _, accuracy = validation(layers, val_idx)
        got = judge.expect_float(f"results[{scheme!r}]['val_accuracy']", result["val_accuracy"])
        expect(abs(got - accuracy) <= 1.5 / N_VAL, f"results[{scheme!r}]['val_accuracy'] is {got:.4f}, but the "
               f"returned model classifies {accuracy:.4f} of the {N_VAL} validation images correctly.",
               "evaluate the trained model on val_loader: correct predictions / samples.")
        junction = expect_tensor(f"results[{scheme!r}]['junction']", result["junction"], shape=(10, 200))
        expect(bool(torch.allclose(junction.float(), layers[-1]["weight"])),
               f"results[{scheme!r}]['junction'] is not the weight of the model's 2nd junction (200 -> 10).")
        notes.append(f"{scheme}: val accuracy {accuracy:.3f}")
    return f"{iterations} iterations per scheme; " + ", ".join(notes)


@check("5.2", "compare_initializers: zero init never breaks the symmetry (identical hidden units)", points=2,
       timeout_s=30)
def zero_init_symmetry(sub: Submission) -> str:
    returned, _, _ = run_comparison(sub)
    result = returned["zeros"]
    losses = judge.expect_floats("results['zeros']['losses']", result["losses"], len(result["losses"]))
    expect(bool(losses) and math.isclose(losses[0], math.log(10), rel_tol=1e-5),
           f"the first loss with zero init is {losses[0] if losses else None!r}; all-zero weights give logits 0, "
           f"so it must be ln(10) = {math.log(10):.6f}.")
    first = trained_layers(result, "zeros")[0]["weight"].double()
    spread = float((first - first[0]).abs().max())
    scale = float(first.abs().max())
    expect(spread <= 1e-6 * (1 + scale), f"after training from zero init, the rows of the first weight matrix "
           f"(one per hidden unit) differ by up to {spread:.3g}: the hidden units should all stay identical.",
           "with zero weights and zero biases every hidden unit gets the same gradient; check that 'zeros' sets "
           "every weight and bias to 0.")
    return f"200 identical hidden units (rows differ by {spread:.2g}); first loss ln(10)"


@check("5.3", "compare_initializers: with sigmoid, Xavier and Kaiming end with a lower loss than N(0, 1)",
       points=3, timeout_s=30)
def initializers_beat_normal(sub: Submission) -> str:
    """The grader computes each returned model's loss on 1,000 held-out training images.

    Calibration (benchmarks/a4_sweep.py, reference, 3,000 training images, 2 epochs of SGD lr 0.1,
    seeds 0-99 for the split, the loader and the weights): N(0, 1) minus Xavier normal 0.72 .. 1.52
    (mean 1.07, sd 0.166), minus Kaiming normal 0.75 .. 1.53 (mean 1.09, sd 0.166). LOSS_MARGIN =
    0.1 is 5.8 sd below the smaller mean (one-sided normal tail 3e-9; 6e-7 even with an sd 20 %
    larger than measured). Most of the spread is N(0, 1)'s: its sigmoids saturate (first-layer
    pre-activations of std ~ 11) and its loss stays near ln(10) (2.38 +- 0.17; Xavier 1.31 +- 0.02).
    'xavier_normal' drawing N(0, 1) gives a difference of exactly 0."""
    returned, _, val_idx = run_comparison(sub)
    loss = {s: validation(trained_layers(returned[s], s), val_idx)[0]
            for s in ("normal", "xavier_normal", "kaiming_normal")}
    note = ", ".join(f"{s} {v:.3f}" for s, v in loss.items())
    for scheme in ("xavier_normal", "kaiming_normal"):
        expect(loss[scheme] <= loss["normal"] - LOSS_MARGIN,
               f"validation loss after {EPOCHS} epochs: {note}; {scheme} should be at least {LOSS_MARGIN} "
               "below N(0, 1).",
               "each scheme starts from torch.manual_seed(seed) and deep_mlp(1, 200, activation, scheme); "
               "train with SGD(lr=0.1) and cross-entropy.")
    return f"validation loss: {note}"


# -- plot_comparison --------------------------------------------------------------------------------

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


def figure_image(sub: Submission) -> str:
    """The figure of the check's last ``plot_comparison`` call as a markdown image (Gradescope shows
    it), rendered in the check's child; nothing when there is no figure or it cannot be rendered."""
    try:
        png = sub.run(probes.figure_png)
    except SubmissionError:
        return ""
    if type(png) is not torch.Tensor or png.dtype != torch.uint8 or png.numel() > 400_000:
        return ""
    raw = png.numpy().tobytes()
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return ""
    return "\n\nYour figure:\n\n" + figures.png_markdown(raw, "plot_comparison's figure")


@contextmanager
def figure_on_failure(sub: Submission) -> Iterator[None]:
    """A failure judged from the figure's data shows the figure too (rendered only then)."""
    try:
        yield
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{figure_image(sub)}") from None


def read_figure(sub: Submission, results: dict) -> list[dict]:
    seen = sub.run(probes.figure, results, sandbox_seed=PLOT_SEED)
    expect(seen["type"] == "Figure", f"plot_comparison must return a matplotlib.figure.Figure; got a {seen['type']}.",
           "fig, axes = plt.subplots(...); ...; return fig")
    axes = seen["axes"]
    expect(len(axes) == 1 + len(results), f"the figure has {len(axes)} axes; expected {1 + len(results)}: one for "
           f"the loss curves and one histogram per scheme ({len(results)} schemes).")
    return axes


def judge_curves(axes: list[dict], results: dict) -> None:
    with_lines = [ax for ax in axes if any(not line["label"].startswith("_") for line in ax["lines"])]
    expect(len(with_lines) == 1, f"expected one axis with the labelled loss curves; found {len(with_lines)}.",
           "ax.plot(losses, label=scheme) for every scheme on the first axis.")
    ax = with_lines[0]
    for scheme, result in results.items():
        lines = [line for line in ax["lines"] if judge.names_scheme(line["label"], scheme)]
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


@check("6.1", "plot_comparison: a labelled loss curve per scheme, one point per iteration; axis labels, legend",
       points=2, timeout_s=20)
def plot_curves(sub: Submission) -> str:
    results = plot_results(PLOT_SEED)
    with figure_on_failure(sub):
        axes = read_figure(sub, results)
        judge_curves(axes, results)
    return f"{len(axes)} axes, {len(results)} labelled loss curves{figure_image(sub)}"


def judge_histograms(axes: list[dict], results: dict) -> None:
    for scheme, result in results.items():
        titled = [ax for ax in axes if judge.names_scheme(ax["title"], scheme)]
        expect(len(titled) == 1, f"expected one histogram axis titled with {scheme!r}; found {len(titled)} "
               f"(titles: {[ax['title'] for ax in axes]}).", "ax.set_title(scheme) on each histogram.")
        bars, junction = titled[0]["bars"], result["junction"]
        total = float(bars[:, 2].sum()) if len(bars) else 0.0
        expect(len(bars) > 0 and abs(total - junction.numel()) < 0.5,
               f"the histogram of {scheme!r} has {len(bars)} bars holding {total:g} values; the 2nd junction "
               f"(200 -> 10) has {junction.numel()} weights.",
               "ax.hist(results[scheme]['junction'].flatten().numpy(), bins=...) with counts (no density).")
        off = judge.bar_mismatch(bars, junction)
        expect(off <= 0.01 * junction.numel(), f"the histogram titled {scheme!r} does not count that scheme's "
               f"junction weights: {off} of {junction.numel()} values fall in other bars.",
               "plot results[scheme]['junction'] on the axis titled with the same scheme.")


@check("6.2", "plot_comparison: one histogram per scheme of its 2nd-junction weights (2,000 values)", points=2,
       timeout_s=20)
def plot_histograms(sub: Submission) -> str:
    results = plot_results(PLOT_SEED)  # 6.1's figure: drawn once for both checks (submission.FirstCalls)
    with figure_on_failure(sub):
        judge_histograms(read_figure(sub, results), results)
    return f"{len(results)} histograms of 2,000 weights each (the figure is shown under check 6.1)"
