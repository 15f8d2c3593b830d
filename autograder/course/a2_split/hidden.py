"""Hidden checks of a2_split: other sizes and fractions, uniform epochs, other loader settings."""

from __future__ import annotations

import torch

from autograder.course.a2_split import judge, probes
from autograder.course.a2_split.judge import BATCHES_HINT, LECTURE, SPLIT_HINT, judge_epoch, judge_loaders
from autograder.expect import fail
from autograder.registry import check
from autograder.submission import Submission


@check("6.1", "split_indices: sizes for other n and fractions (incl. empty parts)", points=2, visibility="hidden",
       repeats=('1.1', '1.2', '1.3'))
@SPLIT_HINT
def other_sizes(sub: Submission) -> None:
    for n, fractions in ((3, (1 / 3, 1 / 3, 1 / 3)), (12345, (0.5, 0.25, 0.25)), (50, (1.0, 0.0, 0.0))):
        judge.judge_parts(sub.call("split_indices", n, fractions, seed=9), n, fractions,
                          f"split_indices({n}, {fractions})")


@check("6.2", "epoch_batches: every order equally likely across epochs (chi-square)", points=2, visibility="hidden",
       repeats=('4.1', '4.2'))
@BATCHES_HINT
def uniform_epochs(sub: Submission) -> str:
    train_idx = torch.arange(10) * 3 + 5
    observed = sub.run(probes.epoch_orders, train_idx, 3, list(range(5000)), seed=2)
    orders = observed["orders"]
    if orders is None or not bool((orders.sort(dim=1).values == train_idx).all()):
        fail("epoch_batches(train_idx, 3, epoch) did not return every index of train_idx once for some epoch.")
    return judge.judge_uniform_positions((orders - 5) // 3, "epoch_batches over 5,000 epochs")


@check("6.3", "make_loaders: other fractions, batch size and seed", points=1, visibility="hidden",
       repeats=('5.1', '5.2'))
def other_loaders(sub: Submission) -> str:
    return judge_loaders(sub, 103, (0.8, 0.1, 0.1), 7, seed=5)


#: (len(train_idx), batch_size): exact multiples (the lecture's 70,000 in batches of 70), one batch
#: exactly, a batch larger than the data, and batches of one.
EDGE_BATCHES = ((1000, 100), (70_000, 70), (1003, 1003), (1003, 2048), (37, 1))


@check("6.4", "epoch_batches and make_loaders: exact multiples of the batch size and other edge sizes", points=1,
       visibility="hidden", repeats=('4.1', '5.1'))
@BATCHES_HINT
def edge_sizes(sub: Submission) -> str:
    for length, batch_size in EDGE_BATCHES:
        train_idx = torch.arange(length) * 3 + 5
        observed = sub.run(probes.epoch_orders, train_idx, batch_size, [0, 1], seed=4)
        for epoch, batches in zip((0, 1), observed["first"]):
            judge_epoch(batches, batch_size, epoch, train_idx)
    judge_loaders(sub, 200, LECTURE, 35, seed=3)   # train 140 = 4 x 35: no empty last batch; val 30 < 35
    return "no empty or missing batch for " + ", ".join(f"{n} in batches of {b}" for n, b in EDGE_BATCHES)
