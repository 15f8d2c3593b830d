"""Public checks of a2_split: split sizes and disjointness, real shuffling, epochs, DataLoaders."""

from __future__ import annotations

import torch

from autograder.checks import a2_judge as judge
from autograder.expect import expect, expect_tensor, fail
from autograder.probes import a2_split as probes
from autograder.probes import common as probes_common
from autograder.registry import check
from autograder.submission import Submission

LECTURE = (0.70, 0.15, 0.15)


@check("1.1", "split_indices: the lecture's 100,000 samples give 70,000 / 15,000 / 15,000", points=2)
def lecture_sizes(sub: Submission) -> str:
    parts = sub.call("split_indices", 100_000, LECTURE, seed=0)
    judge.judge_parts(parts, 100_000, LECTURE, "split_indices(100000)")
    return "sizes 70000 / 15000 / 15000, disjoint, covering every index"


@check("1.2", "split_indices: sizes use int(n * f) and train takes the remainder", points=2)
def remainder_sizes(sub: Submission) -> None:
    for n, fractions in ((1001, (0.8, 0.1, 0.1)), (10, LECTURE), (7, (0.6, 0.2, 0.2))):
        judge.judge_parts(sub.call("split_indices", n, fractions, seed=1), n, fractions,
                          f"split_indices({n}, {fractions})")


@check("1.3", "split_indices: disjoint parts covering every index", points=3)
def disjoint_cover(sub: Submission) -> None:
    for seed in (0, 1, 2):
        judge.judge_parts(sub.call("split_indices", 1000, LECTURE, seed=seed), 1000, LECTURE,
                          f"split_indices(1000, seed={seed})")


@check("2.1", "split_indices: the order is really shuffled (not sorted, rotated or reversed)", points=2)
def really_shuffled(sub: Submission) -> None:
    orders = judge.split_orders(sub, 1000, LECTURE, [0, 7])
    for seed, order in zip((0, 7), orders):
        judge.judge_not_structured(order, f"cat(split_indices(1000, seed={seed}))")


@check("2.2", "split_indices: same seed, same split; another seed, another split", points=2)
def seeded(sub: Submission) -> None:
    first, again, other = judge.split_orders(sub, 1000, LECTURE, [3, 3, 4])
    expect(bool(torch.equal(first, again)), "split_indices(1000, seed=3) gave two different splits.",
           "draw from a torch.Generator seeded with `seed`, not from the global generator.")
    expect(not bool(torch.equal(first, other)), "split_indices(1000, seed=3) and seed=4 gave the same split.",
           "the seed must change the permutation.")


@check("2.3", "split_indices: every index is equally likely in every position (chi-square over seeds)", points=3)
def uniform_positions(sub: Submission) -> str:
    orders = judge.split_orders(sub, 10, (0.6, 0.2, 0.2), list(range(5000)))
    return judge.judge_uniform_positions(orders, "split_indices(10, (0.6, 0.2, 0.2))")


@check("3.1", "split_indices: ValueError for bad fractions or n < 3", points=2)
def value_errors(sub: Submission) -> None:
    cases = [((100, (0.7, 0.2, 0.2)), "fractions summing to 1.1"),
             ((100, (1.2, -0.1, -0.1)), "negative fractions"),
             ((100, (0.8, 0.2)), "two fractions"),
             ((2, LECTURE), "n = 2")]
    for args, what in cases:
        raised = sub.run(probes_common.raises, "split_indices", *args)
        expect(raised == "ValueError", f"split_indices{args} ({what}): expected ValueError, "
               + ("nothing was raised." if raised is None else f"got {raised}."))


TRAIN_IDX = torch.arange(1003) * 3 + 5   # not 0..n-1: batches must hold these values, not positions


def _judge_epoch(batches: object, batch_size: int, epoch: int) -> torch.Tensor:
    call = f"epoch_batches(train_idx, batch_size={batch_size}, epoch={epoch})"
    if type(batches) not in (list, tuple) or not batches:
        fail(f"{call} must return a list of LongTensors; got {type(batches).__name__}.")
    tensors = [expect_tensor(f"batch {i} of {call}", b, dtype=torch.int64) for i, b in enumerate(batches)]
    sizes = [t.numel() for t in tensors]
    full, rest = divmod(TRAIN_IDX.numel(), batch_size)
    wanted = [batch_size] * full + ([rest] if rest else [])
    expect(sizes == wanted, f"{call}: batch sizes {sizes[:3]}...{sizes[-2:]} ({len(sizes)} batches), "
           f"expected {full} batches of {batch_size} and a last one of {rest}.",
           "every index once: keep the short last batch, do not drop or pad it.")
    joined = torch.cat([t.reshape(-1) for t in tensors])
    expect(bool(torch.equal(joined.sort().values, TRAIN_IDX)),
           f"{call}: the batches do not hold every value of train_idx exactly once.",
           "permute the VALUES of train_idx (train_idx[perm]), not the positions 0..len-1.")
    return joined


@check("4.1", "epoch_batches: a permutation of train_idx cut into batches, short last batch kept", points=3)
def epoch_batches_cover(sub: Submission) -> None:
    observed = sub.run(probes.epoch_orders, TRAIN_IDX, 100, [0, 1], seed=0)
    for epoch, batches in zip((0, 1), observed["first"]):
        _judge_epoch(batches, 100, epoch)


@check("4.2", "epoch_batches: a new order every epoch, the same for the same (seed, epoch)", points=2)
def epoch_batches_reshuffle(sub: Submission) -> None:
    observed = sub.run(probes.epoch_orders, TRAIN_IDX, 64, [0, 1, 0, 2], seed=11)
    orders = observed["orders"]
    if orders is None:
        _judge_epoch(observed["first"][0], 64, 0)
        _judge_epoch(observed["first"][1], 64, 1)
        fail("epoch_batches returned batches that do not hold train_idx for some epoch.")
    expect(bool(torch.equal(orders[0], orders[2])), "epoch_batches(..., epoch=0, seed=11) differed between two calls.",
           "seed a torch.Generator from (seed, epoch); do not use the global generator.")
    expect(not bool(torch.equal(orders[0], orders[1])) and not bool(torch.equal(orders[1], orders[3])),
           "epoch_batches gave the same order in two different epochs.",
           "the lecture reshuffles the training part after every epoch: the epoch must change the permutation.")
    judge.judge_not_structured((orders[1] - 5) // 3, "the order of epoch 1")
    other_seed = sub.run(probes.epoch_orders, TRAIN_IDX, 64, [0], seed=12)["orders"]
    expect(other_seed is not None and not bool(torch.equal(orders[0], other_seed[0])),
           "epoch_batches(..., epoch=0) gave the same order for seed=11 and seed=12.")


def judge_loaders(sub: Submission, n: int, fractions: tuple[float, float, float], batch_size: int, seed: int) -> dict:
    observed = sub.run(probes.loaders, n, list(fractions), batch_size, seed)
    expect(observed["count"] == 3, f"make_loaders must return three DataLoaders (train, val, test); "
           f"got {observed['count']} items.")
    split = judge.judge_parts(observed["split"], n, fractions, f"split_indices({n}, {fractions}, seed={seed})")
    for name, part in zip(judge.PARTS, split):
        seen = observed[name]
        expect(seen["loader"] == "DataLoader" and seen["subset"] == "Subset" and seen["over_dataset"],
               f"the {name} loader must be a DataLoader over Subset(dataset, {name}_idx); got a "
               f"{seen['loader']} over a {seen['subset']}.")
        expect(bool(torch.equal(seen["indices"].sort().values, part.sort().values)),
               f"the {name} Subset does not hold split_indices(len(dataset), fractions, seed)'s {name}_idx.")
        for number, batches in enumerate(seen["passes"]):
            sizes = [int(b.numel()) for b in batches]
            expect(all(s == batch_size for s in sizes[:-1]) and 0 < sizes[-1] <= batch_size,
                   f"the {name} loader's batches have sizes {sizes}; expected batch_size={batch_size}.")
            order = torch.cat(batches)
            expect(bool(torch.equal(order.sort().values, part.sort().values)),
                   f"pass {number + 1} over the {name} loader does not yield each {name} sample exactly once.")
    return observed


@check("5.1", "make_loaders: DataLoaders over Subsets of the split, with batch_size", points=3)
def loaders_are_the_split(sub: Submission) -> None:
    judge_loaders(sub, 200, LECTURE, 16, seed=0)


@check("5.2", "make_loaders: only the training loader reshuffles each epoch", points=2)
def loaders_shuffle_train_only(sub: Submission) -> None:
    observed = judge_loaders(sub, 200, LECTURE, 16, seed=0)
    first, second = (torch.cat(p) for p in observed["train"]["passes"])
    expect(not bool(torch.equal(first, second)), "the training loader gave the same order in two epochs.",
           "DataLoader(train_subset, shuffle=True) reshuffles at every pass.")
    for name in ("val", "test"):
        first, second = (torch.cat(p) for p in observed[name]["passes"])
        expect(bool(torch.equal(first, second)), f"the {name} loader changed its order between two passes.",
               "only the training data is reshuffled: use shuffle=False for validation and test.")

