"""Public checks of a4_vanishing: sigma and its derivative, deep_mlp (layers, activations, every
initialization's law), layer_gradient_norms against the grader's own backward pass, the vanishing
gradient itself, activation_stats, the initializer comparison on Fashion-MNIST, and its figure."""

from __future__ import annotations

import math

import torch

from autograder.course.a4_vanishing import judge, probes
from autograder.course.a4_vanishing.judge import (COMPARED_SCHEMES, COMPARE_SEED, EPOCHS, GRID, NORMS_HINT, PLOT_SEED,
                                                  expect_elementwise, figure_image, figure_on_failure, grader_layers,
                                                  gradient_ratio, init_check, judge_curves, judge_gradient_norms,
                                                  judge_histograms, judge_returns, judge_stats, norms_note,
                                                  old_weight_grads, own_sigmoid_prime, plot_results, read_figure,
                                                  run_comparison, stats_setup, trained_models, validation)
from autograder.expect import expect, expect_tensor
from autograder.registry import check
from autograder.sandbox import probes as common
from autograder.submission import Submission


@check("1.1", "sigmoid: 1/(1+exp(-x)) on a grid, finite for |x| up to 1e4", points=2)
def sigmoid_values(sub: Submission) -> str:
    expect_elementwise(sub, "sigmoid", torch.sigmoid,
                       "exp(x) overflows to inf above x ~ 88 in float32, and inf/inf is NaN: only exponentiate "
                       "-|x| (z = exp(-|x|); sigma = 1/(1+z) for x >= 0, z/(1+z) for x < 0).")
    return "sigmoid matches on 610 points in [-1e4, 1e4]"


@check("1.2", "sigmoid_prime: sigma(1 - sigma), at most 0.25 (at 0), finite for |x| up to 1e4", points=2)
def sigmoid_prime_values(sub: Submission) -> str:
    """Judged against sigma(1 - sigma) and, point by point, against the same formula over the student's own
    sigmoid: a sigmoid_prime built on a sigmoid that 1.1 charged (an overflow, a wrong formula) is not
    charged again here; one that overflows by itself is."""
    own = own_sigmoid_prime(sub)
    got = expect_elementwise(sub, "sigmoid_prime", lambda t: torch.sigmoid(t) * (1 - torch.sigmoid(t)),
                             "sigma'(x) = sigma(x) * (1 - sigma(x)); exp(-x)/(1+exp(-x))^2 is NaN for x = -1e4.", own)
    top = float(torch.nan_to_num(got.double(), nan=-math.inf).max())
    peaks = [0.25] + ([float(torch.nan_to_num(own, nan=-math.inf).max())] if own is not None else [])
    expect(any(abs(top - peak) < 1e-7 for peak in peaks),
           f"the largest value of sigmoid_prime is {top:.7g}; sigma' peaks at 0.25 (x = 0).")
    return f"max {top:.4f} at x = 0: a sigmoid layer passes back at most a quarter of the gradient"


@check("1.3", "tanh_prime: 1 - tanh^2", points=1)
def tanh_prime_values(sub: Submission) -> None:
    expect_elementwise(sub, "tanh_prime", lambda t: 1 - torch.tanh(t) ** 2, "tanh'(x) = 1 - tanh(x)^2.")


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
    """Judged by what every activation module computes (the layout around them is 2.1's)."""
    calls = [[1, 8, name, "xavier_normal", 5, 3] for name in judge.ACTIVATION_FUNCTIONS]
    for args, seen in zip(calls, sub.run(probes.mlps, calls, GRID)):
        layers = judge.read_mlp(f"deep_mlp{tuple(args)}", seen)
        found = [layer["activation"] for layer in layers if "activation" in layer]
        expect(bool(found) and set(found) == {args[2]}, f"deep_mlp{tuple(args)}: its activation modules compute "
               f"{found or 'nothing'}; every one should compute {args[2]}.",
               "ACTIVATIONS[activation]() after each hidden Linear, with the module's default arguments.")


@check("2.3", "deep_mlp: ValueError for an unknown activation or init", points=1)
def mlp_value_errors(sub: Submission) -> None:
    for args in ([2, 8, "swish", "xavier_normal"], [2, 8, "relu", "he_normal"]):
        raised = sub.run(common.raises, "deep_mlp", *args)
        expect(raised == "ValueError", f"deep_mlp{tuple(args)}: expected ValueError, "
               + ("but nothing was raised." if raised is None else f"got {raised}."))


@check("2.4", "deep_mlp: 'zeros' gives all-zero weights, 'normal' N(0, 1); every bias 0", points=2)
def mlp_init_zeros_normal(sub: Submission) -> str:
    return init_check(sub, ("zeros", "normal"))


@check("2.5", "deep_mlp: Xavier normal and uniform (std sqrt(2/(fan_in+fan_out)))", points=3)
def mlp_init_xavier(sub: Submission) -> str:
    """a1's judges on the 200,704 weights of Linear(784, 256) (mean, variance, bound, KS) and the 65,536
    of Linear(256, 256) (mean, variance, bound); together below 6e-7 for a correct initializer."""
    return init_check(sub, ("xavier_normal", "xavier_uniform"))


@check("2.6", "deep_mlp: Kaiming normal and uniform (std sqrt(2/fan_in))", points=3)
def mlp_init_kaiming(sub: Submission) -> str:
    """As 2.5, with the Kaiming laws."""
    return init_check(sub, ("kaiming_normal", "kaiming_uniform"))


# -- layer_gradient_norms ---------------------------------------------------------------------------


@check("3.1", "layer_gradient_norms: the grader's norms of every Linear weight's gradient, input layer first",
       points=3)
def gradient_norms_values(sub: Submission) -> str:
    layers = grader_layers([30, 40, 40, 40, 5], ["tanh", "sigmoid", "relu"], seed=31)
    x = torch.randn(64, 30, generator=torch.Generator().manual_seed(32))
    _, expected = judge_gradient_norms(sub, layers, x, torch.arange(64) % 5, "cross_entropy")
    return "norms " + ", ".join(f"{e:.4g}" for e in expected)


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
RELU_RATIO = (0.1, 30.0)


@check("3.3", "vanishing gradient: sigmoid + Xavier, depth 10: the first layer's gradient < 1e-4 x the last's",
       points=2)
def vanishing_sigmoid(sub: Submission) -> str:
    """Calibration (benchmarks/a4_sweep.py --only sigmoid_tail --seeds 10000): the check's own 256 images,
    30,000 weight draws made three ways (the reference's deep_mlp, randn * std input layer first, normal_
    output layer first): first/last ratio 6.78e-7 .. 4.61e-6, log10 mean -5.811, sd 0.089, 99.99 %
    quantile 4.1e-6; an exponential fit to the top 1 % of log10 ratios (beyond -5.585, scale 0.0473)
    puts P(ratio > 1e-4) at 2.7e-17, and no draw comes within a factor 20 of the bound. Each
    sigma' <= 0.25 shrinks the gradient: 0.25^10 ~ 1e-6. Caught: 'sigmoid' built as ReLU (ratio ~ 2),
    N(0, 1) weights called Xavier (0.12 .. 0.46: weights of std 1 multiply the backward signal by about
    sqrt(128) ~ 11 per layer, which offsets sigma' <= 0.25; that network fails differently, its units
    saturate)."""
    ratio, norms, theirs = gradient_ratio(sub, "sigmoid", "xavier_normal")
    note = f"first/last = {ratio:.2e}; " + norms_note(norms, theirs)
    expect(ratio < SIGMOID_RATIO_MAX, f"deep_mlp(10, 128, 'sigmoid', 'xavier_normal'): {note}; expected below "
           f"{SIGMOID_RATIO_MAX:g}: every sigmoid layer multiplies the gradient by sigma' <= 0.25.")
    return note


@check("3.4", "ReLU + Kaiming, depth 10: the first layer's gradient within [0.1, 30] x the last's", points=2)
def no_vanishing_relu(sub: Submission) -> str:
    """Calibration (benchmarks/a4_sweep.py --only relu_tail --seeds 10000): the check's own 256 images,
    30,000 weight draws made three ways (the reference's deep_mlp, randn * std input layer first,
    normal_ output layer first): ratio 0.763 .. 7.92, log10 mean 0.341, sd 0.117, 99.99 % quantile 6.1.
    The upper tail is heavier than a normal one, so it is extrapolated from the draws themselves: an
    exponential fit to the top 1 % of log10 ratios (beyond u = 0.627, scale 0.0428 in log10)
    gives P(ratio > 10) = 1.6e-6, too likely, and P(ratio > 30) = 2.4e-11: the bound is 30. The lower
    tail is light (minimum 0.763; 0.1 is 11.5 sd below the mean). No mistake comes near 30 (seeds 0-19:
    Xavier 2.3 .. 5.1, fan_out 1.4 .. 3.3, no activation 1.8 .. 4.3, N(0, 1) 0.38 .. 0.84), so the
    wider bound catches what 10 caught. Caught: 'relu' built as a sigmoid (~1e-6). Not caught, by
    design: a wrong scale with ReLU. ReLU is positively homogeneous, so scaling the weights scales the
    forward and backward passes alike and the ratio barely moves; check 2.6 judges the Kaiming law."""
    ratio, norms, theirs = gradient_ratio(sub, "relu", "kaiming_normal")
    note = f"first/last = {ratio:.3g}; " + norms_note(norms, theirs)
    low, high = RELU_RATIO
    expect(low <= ratio <= high, f"deep_mlp(10, 128, 'relu', 'kaiming_normal'): {note}; expected within "
           f"[{low:g}, {high:g}]: Kaiming initialization keeps the gradient's scale through ReLU layers.")
    return note


# -- activation_stats -------------------------------------------------------------------------------


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
    if not judge.same_values(seen["second"], seen["first"]):   # the same answer twice: its values are 4.1's
        judge_stats("a second call of activation_stats(model, x)", seen["second"], judge.activation_stats(layers, x))
    params = [t for layer in layers if "weight" in layer for t in (layer["weight"], layer["bias"])]
    expect(all(torch.equal(a, b) for a, b in zip(params, seen["after"])), "activation_stats changed the weights.")


# -- compare_initializers ---------------------------------------------------------------------------

#: Xavier and Kaiming must end with a validation loss at least this much below N(0, 1)'s (see 5.3).
LOSS_MARGIN = 0.1


@check("5.1", "compare_initializers: per scheme, one loss per iteration, the model's validation accuracy, "
       "its 2nd junction", points=2, timeout_s=30)
def comparison_returns(sub: Submission) -> str:
    return judge_returns(sub, COMPARED_SCHEMES, "sigmoid", COMPARE_SEED)


@check("5.2", "compare_initializers: zero init never breaks the symmetry (identical hidden units)", points=2,
       timeout_s=30)
def zero_init_symmetry(sub: Submission) -> str:
    """On the replayed zero-init model (its all-zero start judged by trained_models); the reported losses,
    ln(10) first among them, are 5.1's."""
    first = trained_models(sub, dependent=True)["zeros"][0]["weight"].double()
    spread = float((first - first[0]).abs().max())
    scale = float(first.abs().max())
    expect(spread <= 1e-6 * (1 + scale), f"after training from zero init, the rows of the first weight matrix "
           f"(one per hidden unit) differ by up to {spread:.3g}: the hidden units should all stay identical.",
           "with zero weights and zero biases every hidden unit gets the same gradient; check that 'zeros' sets "
           "every weight and bias to 0.")
    return f"200 identical hidden units (rows differ by {spread:.2g})"


@check("5.3", "compare_initializers: with sigmoid, Xavier and Kaiming end with a lower loss than N(0, 1)",
       points=3, timeout_s=30)
def initializers_beat_normal(sub: Submission) -> str:
    """The grader computes each returned model's loss on 1,000 held-out training images.

    Calibration (benchmarks/a4_sweep.py --only comparison --seeds 2000: the reference, 3,000 training
    images, 2 epochs of SGD lr 0.1, seeds 0-1999 for the split, the loader and the weights): N(0, 1)
    minus Xavier normal 0.545 .. 1.69 (mean 1.086, sd 0.160, 0.1 % quantile 0.616), minus Kaiming normal
    0.573 .. 1.72 (mean 1.104, sd 0.160). The lower tail, examined by an exponential fit to the bottom
    1 % of the gaps, puts P(gap < LOSS_MARGIN = 0.1) at 1.4e-7 for Xavier and 4.6e-8 for Kaiming:
    below 2e-7 for the check. Most of the spread is N(0, 1)'s: its sigmoids saturate (first-layer
    pre-activations of std ~ 11) and its loss stays near ln(10) (2.39 +- 0.17; Xavier 1.31 +- 0.02).
    'xavier_normal' drawing N(0, 1) gives a difference of exactly 0."""
    trained = trained_models(sub, dependent=True)
    _, _, (_, val_idx) = run_comparison(sub)
    loss = {s: validation(trained[s], val_idx)[0] for s in ("normal", "xavier_normal", "kaiming_normal")}
    note = ", ".join(f"{s} {v:.3f}" for s, v in loss.items())
    for scheme in ("xavier_normal", "kaiming_normal"):
        expect(loss[scheme] <= loss["normal"] - LOSS_MARGIN,
               f"validation loss after {EPOCHS} epochs: {note}; {scheme} should be at least {LOSS_MARGIN} "
               "below N(0, 1).",
               "each scheme starts from torch.manual_seed(seed) and deep_mlp(1, 200, activation, scheme); "
               "train with SGD(lr=0.1) and cross-entropy.")
    return f"validation loss: {note}"


# -- plot_comparison --------------------------------------------------------------------------------


@check("6.1", "plot_comparison: a labelled loss curve per scheme, one point per iteration; axis labels, legend",
       points=2, timeout_s=20)
def plot_curves(sub: Submission) -> str:
    results = plot_results(PLOT_SEED)
    with figure_on_failure(sub, results):
        axes = read_figure(sub, results)
        judge_curves(axes, results)
    return f"{len(axes)} axes, {len(results)} labelled loss curves{figure_image(sub, results)}"


@check("6.2", "plot_comparison: one histogram per scheme of its 2nd-junction weights (2,000 values)", points=2,
       timeout_s=20)
def plot_histograms(sub: Submission) -> str:
    results = plot_results(PLOT_SEED)  # 6.1's figure: drawn once for both checks (submission.FirstCalls)
    with figure_on_failure(sub, results):
        judge_histograms(read_figure(sub, results), results)
    return f"{len(results)} histograms of 2,000 weights each (the figure is shown under check 6.1)"
