"""Public checks of a2_split: split sizes and disjointness, real shuffling, epochs, DataLoaders."""

from __future__ import annotations

from typing import Any

import torch

from autograder.checks import a2_judge as judge
from autograder.checks.a1_judge import hint_on_error
from autograder.expect import expect, expect_tensor, fail
from autograder.probes import a2_split as probes
from autograder.probes import common as probes_common
from autograder.registry import check
from autograder.sandbox import SubmissionError
from autograder.submission import Submission

LECTURE = (0.70, 0.15, 0.15)
#: What each function must do: shown also when the student's code raises (feedback.explain).
SPLIT_HINT = hint_on_error("split_indices(n, fractions, seed) shuffles 0..n-1 once with "
                           "torch.randperm(n, generator=torch.Generator().manual_seed(seed)), then cuts "
                           "n_val = int(n * f_val), n_test = int(n * f_test), and train takes the rest.")
BATCHES_HINT = hint_on_error("epoch_batches(train_idx, batch_size, epoch, seed) permutes train_idx with a generator "
                             "seeded from (seed, epoch) and returns list(torch.split(shuffled, batch_size)).")


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


TRAIN_IDX = torch.arange(1003) * 3 + 5   # not 0..n-1: batches must hold these values, not positions


def judge_epoch(batches: object, batch_size: int, epoch: int, train_idx: torch.Tensor = TRAIN_IDX) -> torch.Tensor:
    """One epoch's batches: full batches of batch_size, one short last batch only when there is a remainder
    (never an empty one), holding every value of train_idx exactly once. Returns the epoch's order."""
    call = f"epoch_batches(train_idx of {train_idx.numel()}, batch_size={batch_size}, epoch={epoch})"
    if type(batches) not in (list, tuple) or not batches:
        fail(f"{call} must return a list of LongTensors; got {type(batches).__name__}.")
    tensors = [expect_tensor(f"batch {i} of {call}", b, dtype=torch.int64) for i, b in enumerate(batches)]
    sizes = [t.numel() for t in tensors]
    full, rest = divmod(train_idx.numel(), batch_size)
    wanted = [batch_size] * full + ([rest] if rest else [])
    expect(sizes == wanted, f"{call}: batch sizes {sizes[:3]}...{sizes[-2:]} ({len(sizes)} batches), "
           f"expected {full} batches of {batch_size}" + (f" and a last one of {rest}." if rest else " and no other."),
           "every index once: keep the short last batch, do not drop or pad it." if rest else
           "when batch_size divides len(train_idx) there is no short batch: do not append an empty one.")
    joined = torch.cat([t.reshape(-1) for t in tensors])
    expect(bool(torch.equal(joined.sort().values, train_idx.sort().values)),
           f"{call}: the batches do not hold every value of train_idx exactly once.",
           "permute the VALUES of train_idx (train_idx[perm]), not the positions 0..len-1.")
    return joined


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


def loaders_observed(sub: Submission, n: int, fractions: tuple[float, float, float], batch_size: int,
                     seed: int) -> dict:
    """make_loaders' three loaders, iterated twice each, and the split it got from split_indices."""
    try:
        with hint_on_error("make_loaders(dataset, fractions, batch_size, seed) calls split_indices(len(dataset), "
                           "fractions, seed) and wraps Subset(dataset, part.tolist()) of each part in a DataLoader."):
            observed = sub.run(probes.loaders, n, list(fractions), batch_size, seed, sandbox_seed=seed)
    except SubmissionError as error:
        _charge_split_failure(sub, n, fractions, seed, error)
        raise
    expect(observed["count"] == 3, f"make_loaders must return three DataLoaders (train, val, test); "
           f"got {observed['count']} items.")
    return observed


def _charge_split_failure(sub: Submission, n: int, fractions: tuple[float, float, float], seed: int,
                          error: SubmissionError) -> None:
    """make_loaders failed: when split_indices alone fails the same way, name check 1.1 (which charges it)
    instead of repeating its traceback."""
    try:
        sub.call("split_indices", n, fractions, seed=seed)
    except SubmissionError as own:
        if own.kind == error.kind:
            lead = "Not implemented yet: " if own.kind == "not_implemented" else ""
            fail(f"{lead}make_loaders cannot run because your split_indices fails ({own.kind.replace('_', ' ')}: "
                 f"{own.message[:200]}); that is charged in check 1.1, not here again.")


def _own_split(observed: dict, n: int, fractions: tuple[float, float, float], seed: int) -> list[torch.Tensor]:
    """The split the student's own split_indices gave make_loaders in this run (its flaws charged elsewhere)."""
    call = f"split_indices({n}, {fractions}, seed={seed}) (as called by make_loaders)"
    parts = observed["split"]
    if type(parts) not in (tuple, list) or len(parts) != 3 or any(type(p) is not torch.Tensor for p in parts):
        fail(f"make_loaders cannot be judged: {call} did not return three tensors (see checks 1.1-1.3).")
    return [p.reshape(-1).long() for p in parts]


def _same_split(first: Any, second: Any) -> bool:
    return (type(first) in (tuple, list) and type(second) in (tuple, list) and len(first) == len(second) == 3
            and all(type(a) is torch.Tensor and type(b) is torch.Tensor and a.shape == b.shape
                    and bool(torch.equal(a, b)) for a, b in zip(first, second)))


def _judge_split_arguments(observed: dict, split: list[torch.Tensor], n: int,
                           fractions: tuple[float, float, float], seed: int) -> None:
    """make_loaders must split with its own fractions and seed: its split equals split_indices(n, fractions, seed)
    whenever split_indices is deterministic (an unseeded one is charged in check 2.2, not here)."""
    again = observed.get("split_again")
    if type(again) is not list or len(again) != 2 or not _same_split(again[0], again[1]):
        return
    expect(_same_split(list(split), list(again[0])),
           f"make_loaders(dataset of {n}, {fractions}, seed={seed}) holds another split than "
           f"split_indices({n}, {fractions}, seed={seed}) returns.",
           "call split_indices(len(dataset), fractions, seed) with make_loaders' own fractions and seed.")


def judge_loaders(sub: Submission, n: int, fractions: tuple[float, float, float], batch_size: int, seed: int) -> str:
    """DataLoaders over Subsets of exactly the student's own split, batch_size respected, each sample once per pass.

    Judged against what split_indices returned to make_loaders in the same run: a wrong size or an
    unseeded split_indices is charged in 1.x / 2.2 only.
    """
    observed = loaders_observed(sub, n, fractions, batch_size, seed)
    split = _own_split(observed, n, fractions, seed)
    _judge_split_arguments(observed, split, n, fractions, seed)
    for name, part in zip(judge.PARTS, split):
        seen = observed[name]
        expect(seen["loader"] == "DataLoader" and seen["subset"] == "Subset" and seen["over_dataset"],
               f"the {name} loader must be a DataLoader over Subset(dataset, {name}_idx); got a "
               f"{seen['loader']} over a {seen['subset']}.")
        expect(bool(torch.equal(seen["indices"].sort().values, part.sort().values)),
               f"the {name} Subset does not hold the {name}_idx that split_indices(len(dataset), fractions, seed) "
               f"returned to make_loaders ({seen['indices'].numel()} indices, {name}_idx has {part.numel()}).",
               "pass fractions and seed through to split_indices unchanged.")
        for number, batches in enumerate(seen["passes"]):
            sizes = [int(b.numel()) for b in batches]
            expect(bool(sizes) or part.numel() == 0, f"the {name} loader yielded no batch.")
            expect(all(s == batch_size for s in sizes[:-1]) and all(0 < s <= batch_size for s in sizes[-1:]),
                   f"the {name} loader's batches have sizes {sizes}; expected batch_size={batch_size}.")
            order = torch.cat(batches) if batches else torch.empty(0, dtype=torch.int64)
            expect(bool(torch.equal(order.sort().values, part.sort().values)),
                   f"pass {number + 1} over the {name} loader does not yield each {name} sample exactly once.")
    note = "" if observed["split_recorded"] else " (make_loaders did not call split_indices; compared with a new call)"
    return f"three DataLoaders over the split make_loaders obtained{note}"


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
