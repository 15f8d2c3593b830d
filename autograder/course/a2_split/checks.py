"""Public checks of a2_split: split sizes and disjointness, real shuffling, epochs, DataLoaders."""

from __future__ import annotations

import torch

from autograder.course.a2_split import judge, probes
from autograder.course.a2_split.judge import (BATCHES_HINT, LECTURE, SPLIT_HINT, TRAIN_IDX, judge_epoch, judge_loaders,
                                              loaders_observed)
from autograder.expect import expect, fail
from autograder.registry import check
from autograder.sandbox import probes as probes_common
from autograder.submission import Submission


@check("1.1", "split_indices: the lecture's 100,000 samples give 70,000 / 15,000 / 15,000", points=2)
@SPLIT_HINT
def lecture_sizes(sub: Submission) -> str:
    parts = sub.call("split_indices", 100_000, LECTURE, seed=0)
    judge.judge_parts(parts, 100_000, LECTURE, "split_indices(100000)")
    return "sizes 70000 / 15000 / 15000, disjoint, covering every index"


@check("1.2", "split_indices: sizes use int(n * f) and train takes the remainder", points=2)
@SPLIT_HINT
def remainder_sizes(sub: Submission) -> None:
    # n = 19: int() truncation gives (15, 2, 2); random_split's round-robin remainder gives (14, 3, 2)
    for n, fractions in ((1001, (0.8, 0.1, 0.1)), (10, LECTURE), (7, (0.6, 0.2, 0.2)), (19, LECTURE)):
        judge.judge_parts(sub.call("split_indices", n, fractions, seed=1), n, fractions,
                          f"split_indices({n}, {fractions})")


@check("1.3", "split_indices: disjoint parts covering every index", points=3)
@SPLIT_HINT
def disjoint_cover(sub: Submission) -> None:
    """Sizes are charged in 1.1, 1.2 and 6.1 only; here the parts must be disjoint and cover 0..n-1."""
    for seed in (0, 1, 2):
        judge.judge_parts(sub.call("split_indices", 1000, LECTURE, seed=seed), 1000, LECTURE,
                          f"split_indices(1000, seed={seed})", sizes=False)


@check("2.1", "split_indices: the order is really shuffled (not sorted, rotated or reversed)", points=2)
@SPLIT_HINT
def really_shuffled(sub: Submission) -> None:
    orders = judge.split_orders(sub, 1000, LECTURE, [0, 7])
    for seed, order in zip((0, 7), orders):
        judge.judge_not_structured(order, f"cat(split_indices(1000, seed={seed}))")


@check("2.2", "split_indices: same seed, same split; another seed, another split", points=2)
@SPLIT_HINT
def seeded(sub: Submission) -> None:
    first, again, other = judge.split_orders(sub, 1000, LECTURE, [3, 3, 4])
    expect(bool(torch.equal(first, again)), "split_indices(1000, seed=3) gave two different splits.",
           "draw from a torch.Generator seeded with `seed`, not from the global generator.")
    expect(not bool(torch.equal(first, other)), "split_indices(1000, seed=3) and seed=4 gave the same split.",
           "the seed must change the permutation.")


@check("2.3", "split_indices: every index is equally likely in every position (chi-square over seeds)", points=3)
@SPLIT_HINT
def uniform_positions(sub: Submission) -> str:
    orders = judge.split_orders(sub, 10, (0.6, 0.2, 0.2), list(range(5000)))
    return judge.judge_uniform_positions(orders, "split_indices(10, (0.6, 0.2, 0.2))",
                                         judge.expected_sizes(10, (0.6, 0.2, 0.2)))


@check("3.1", "split_indices: ValueError for bad fractions or n < 3", points=2)
@SPLIT_HINT
def value_errors(sub: Submission) -> None:
    cases = [((100, (0.7, 0.2, 0.2)), "fractions summing to 1.1"),
             ((100, (1.2, -0.1, -0.1)), "negative fractions"),
             ((100, (0.8, 0.2)), "two fractions"),
             ((2, LECTURE), "n = 2")]
    for args, what in cases:
        raised = sub.run(probes_common.raises, "split_indices", *args)
        expect(raised == "ValueError", f"split_indices{args} ({what}): expected ValueError, "
               + ("nothing was raised." if raised is None else f"got {raised}."))


@check("4.1", "epoch_batches: a permutation of train_idx cut into batches, short last batch kept", points=3)
@BATCHES_HINT
def epoch_batches_cover(sub: Submission) -> None:
    observed = sub.run(probes.epoch_orders, TRAIN_IDX, 100, [0, 1], seed=0)
    for epoch, batches in zip((0, 1), observed["first"]):
        judge_epoch(batches, 100, epoch)


@check("4.2", "epoch_batches: a new order every epoch, the same for the same (seed, epoch)", points=2)
@BATCHES_HINT
def epoch_batches_reshuffle(sub: Submission) -> None:
    train_idx = TRAIN_IDX[:960]  # 15 batches of 64, no short one: how a short batch is cut is 4.1's charge
    observed = sub.run(probes.epoch_orders, train_idx, 64, [0, 1, 0, 2], seed=11)
    orders = observed["orders"]
    if orders is None:
        judge_epoch(observed["first"][0], 64, 0, train_idx)
        judge_epoch(observed["first"][1], 64, 1, train_idx)
        fail("epoch_batches returned batches that do not hold train_idx for some epoch.")
    expect(bool(torch.equal(orders[0], orders[2])), "epoch_batches(..., epoch=0, seed=11) differed between two calls.",
           "seed a torch.Generator from (seed, epoch); do not use the global generator.")
    expect(not bool(torch.equal(orders[0], orders[1])) and not bool(torch.equal(orders[1], orders[3])),
           "epoch_batches gave the same order in two different epochs.",
           "the lecture reshuffles the training part after every epoch: the epoch must change the permutation.")
    judge.judge_not_structured((orders[1] - 5) // 3, "the order of epoch 1")
    other_seed = sub.run(probes.epoch_orders, train_idx, 64, [0], seed=12)["orders"]
    expect(other_seed is not None and not bool(torch.equal(orders[0], other_seed[0])),
           "epoch_batches(..., epoch=0) gave the same order for seed=11 and seed=12.")


@check("5.1", "make_loaders: DataLoaders over Subsets of the split, with batch_size", points=3)
def loaders_are_the_split(sub: Submission) -> str:
    return judge_loaders(sub, 200, LECTURE, 16, seed=0)


@check("5.2", "make_loaders: only the training loader reshuffles each epoch", points=2)
def loaders_shuffle_train_only(sub: Submission) -> None:
    """Only the order of the passes is judged here; what the loaders hold is check 5.1's."""
    observed = loaders_observed(sub, 200, LECTURE, 16, seed=0)
    passes = {}
    for name in judge.PARTS:
        two = observed[name]["passes"]
        expect(all(two), f"the {name} loader yielded no batch, so its order cannot be judged (see check 5.1).")
        passes[name] = [torch.cat(p) for p in two]
    first, second = passes["train"]
    expect(not bool(torch.equal(first, second)), "the training loader gave the same order in two epochs.",
           "DataLoader(train_subset, shuffle=True) reshuffles at every pass.")
    for name in ("val", "test"):
        first, second = passes[name]
        expect(bool(torch.equal(first, second)), f"the {name} loader changed its order between two passes.",
               "only the training data is reshuffled: use shuffle=False for validation and test.")
