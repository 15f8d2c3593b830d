"""Hidden checks of a2_split: other sizes and fractions, uniform epochs, other loader settings."""

from __future__ import annotations

import torch

from autograder.checks import a2_judge as judge
from autograder.checks.a2_split import judge_loaders
from autograder.expect import fail
from autograder.probes import a2_split as probes
from autograder.registry import check
from autograder.submission import Submission


@check("6.1", "split_indices: sizes for other n and fractions (incl. empty parts)", points=2, visibility="hidden")
def other_sizes(sub: Submission) -> None:
    for n, fractions in ((3, (1 / 3, 1 / 3, 1 / 3)), (12345, (0.5, 0.25, 0.25)), (50, (1.0, 0.0, 0.0))):
        judge.judge_parts(sub.call("split_indices", n, fractions, seed=9), n, fractions,
                          f"split_indices({n}, {fractions})")


@check("6.2", "epoch_batches: every order equally likely across epochs (chi-square)", points=2, visibility="hidden")
def uniform_epochs(sub: Submission) -> str:
    train_idx = torch.arange(10) * 3 + 5
    observed = sub.run(probes.epoch_orders, train_idx, 3, list(range(5000)), seed=2)
    if observed["orders"] is None:
        fail("epoch_batches(train_idx, 3, epoch) did not return every index once for some epoch.")
    return judge.judge_uniform_positions((observed["orders"] - 5) // 3, "epoch_batches over 5,000 epochs")


@check("6.3", "make_loaders: other fractions, batch size and seed", points=2, visibility="hidden")
def other_loaders(sub: Submission) -> None:
    judge_loaders(sub, 103, (0.8, 0.1, 0.1), 7, seed=5)
