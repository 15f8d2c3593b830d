"""Hidden checks of a4_vanishing: other sizes, another loss, another network and a smaller figure."""

from __future__ import annotations

import torch

from autograder.course.a4_vanishing import judge, probes
from autograder.course.a4_vanishing.judge import (figure_on_failure, grader_layers, judge_curves, judge_gradient_norms,
                                                  judge_histograms, judge_returns, judge_stats, plot_results,
                                                  read_figure, stats_setup)
from autograder.registry import check
from autograder.submission import Submission


@check("7.1", "deep_mlp(4, 96, 'elu', 'kaiming_uniform', in_features=100, out_features=7)", points=1,
       visibility="hidden", repeats=("2.1", "2.2", "2.6"))
def mlp_other_sizes(sub: Submission) -> None:
    args = (4, 96, "elu", "kaiming_uniform", 100, 7)
    layers = judge.read_mlp(f"deep_mlp{args}", sub.run(probes.mlp, list(args), judge.GRID))
    judge.expect_layout(f"deep_mlp{args}", layers, 4, 96, "elu", 100, 7)


@check("7.2", "layer_gradient_norms with MSELoss on another network", points=1, visibility="hidden",
       repeats=("3.1", "3.2"))
def gradient_norms_mse(sub: Submission) -> None:
    layers = grader_layers([12, 25, 25, 25, 25, 3], ["elu", "hardsigmoid", "leaky_relu", "tanh"], seed=71)
    generator = torch.Generator().manual_seed(72)
    x, y = torch.randn(40, 12, generator=generator), torch.randn(40, 3, generator=generator)
    judge_gradient_norms(sub, layers, x, y, "mse")


@check("7.3", "activation_stats on another network and batch", points=1, visibility="hidden",
       repeats=("4.1", "4.2"))
def stats_other(sub: Submission) -> None:
    layers, x = stats_setup(74, ["hardsigmoid", "elu", "sigmoid", "leaky_relu"], width=24)
    seen = sub.run(probes.activation_statistics, layers, x)
    judge_stats("activation_stats(model, x)", seen["first"], judge.activation_stats(layers, x))


@check("7.4", "plot_comparison with two schemes and 35 iterations", points=1, visibility="hidden", timeout_s=20,
       repeats=("6.1", "6.2"))
def plot_two_schemes(sub: Submission) -> None:
    results = plot_results(75, ["xavier_uniform", "kaiming_uniform"], iterations=35)
    with figure_on_failure(sub, results):
        axes = read_figure(sub, results)
        judge_curves(axes, results)
        judge_histograms(axes, results)


@check("7.5", "compare_initializers with ReLU, the two uniform schemes and one epoch", points=1,
       visibility="hidden", timeout_s=30, repeats=("5.1", "5.2", "5.3"))
def comparison_relu(sub: Submission) -> str:
    return judge_returns(sub, ["xavier_uniform", "kaiming_uniform"], "relu", seed=76, epochs=1)
