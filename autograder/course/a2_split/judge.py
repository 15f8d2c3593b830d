"""How a2_split checks judge a split: sizes, disjointness, coverage, and randomness of the order."""

from __future__ import annotations

from typing import Any

import torch

from autograder import stats
from autograder.course.a2_split import probes
from autograder.expect import describe, expect, expect_tensor, fail, hint_on_error
from autograder.sandbox import SubmissionError
from autograder.submission import Submission

PARTS = ("train", "val", "test")


def expected_sizes(n: int, fractions: tuple[float, float, float]) -> tuple[int, int, int]:
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    return n - n_val - n_test, n_val, n_test


def judge_parts(parts: Any, n: int, fractions: tuple[float, float, float], call: str,
                sizes: bool = True) -> list[torch.Tensor]:
    """Three LongTensors of the right sizes, disjoint, covering 0..n-1; feedback names an example.

    ``sizes=False`` leaves the sizes to the checks that charge them (1.1, 1.2, 6.1): a wrong size is
    charged there once, not again in every check that needs a valid split.
    """
    if type(parts) not in (tuple, list) or len(parts) != 3:
        fail(f"{call} must return three tensors (train_idx, val_idx, test_idx); got {describe(parts)}.")
    tensors = [expect_tensor(f"{name}_idx of {call}", p, dtype=torch.int64) for name, p in zip(PARTS, parts)]
    observed = tuple(t.numel() for t in tensors)
    wanted = expected_sizes(n, fractions)
    expect(not sizes or observed == wanted, f"{call}: sizes (train, val, test) = {observed}, expected {wanted}.",
           "n_val = int(n * f_val), n_test = int(n * f_test); the training part gets all the rest, "
           "so no sample is dropped.")
    owner: dict[int, str] = {}
    for name, tensor in zip(PARTS, tensors):
        for index in tensor.reshape(-1).tolist():
            if not 0 <= index < n:
                fail(f"{call}: {name}_idx holds {index}, outside 0..{n - 1}.")
            if index in owner:
                where = "twice in " + name if owner[index] == name else f"in both {owner[index]} and {name}"
                fail(f"{call}: index {index} is {where}; the three parts must be disjoint.",
                     "cut one shuffled permutation into three consecutive pieces.")
            owner[index] = name
    expect(len(owner) == n,
           f"{call}: the three parts hold {len(owner)} of the {n} indices; every index must be in one part.",
           "cut one shuffled permutation of all n indices into three consecutive pieces.")
    return tensors


def judge_not_structured(order: torch.Tensor, what: str) -> None:
    """A shuffled order of 0..n-1 is neither sorted, a rotation, a reversal nor mostly consecutive.

    For a uniform permutation of n = 1,000 the number of k with order[k+1] = order[k] + 1 is about
    Poisson(1): P(more than 20) < 1e-19. Sorted, rotated or reversed orders have n - 2 or more.
    """
    steps = order[1:] - order[:-1]
    n = order.numel()
    ascending = int((steps == 1).sum())
    descending = int((steps == -1).sum())
    expect(ascending <= 20 and descending <= 20,
           f"{what} is not shuffled: {max(ascending, descending)} of its {n - 1} neighbours are consecutive "
           f"numbers (first ten: {order[:10].tolist()}).",
           "shuffle ALL indices once (torch.randperm with a seeded generator) before cutting.")


def judge_uniform_positions(orders: torch.Tensor, what: str, sizes: tuple[int, ...] | None = None) -> str:
    """Every index is equally likely at every position across seeds (Pearson chi-square).

    ``orders`` is (S, n): one permutation per seed. Because every row is a permutation, the statistic of
    the n x n (index, position) table is n/(n-1) * chi-square((n-1)^2) under a uniform shuffle
    (stats.chi_square_uniform), not chi-square((n-1)^2). The threshold is that law's exact upper 1e-8
    quantile: 193.1 for n = 10 (S = 5,000: 500 per cell, where the chi-square approximation of the
    multinomial table is close; benchmarks/calibration.py measures the statistic's mean and variance).
    A shuffle after the split never moves an index out of its part (statistic in the tens of thousands);
    the naive "swap i with any j" shuffle has a non-centrality of about 584 at S = 5,000 (cell
    probabilities from 200,000 simulated shuffles): its statistic is about 675 +- 50.
    """
    s, n = orders.shape
    if not bool((orders.sort(dim=1).values == torch.arange(n)).all()):  # what bincount below relies on
        fail(f"{what}: some order does not hold every index exactly once.")
    counts = torch.zeros(n, n, dtype=torch.int64)
    for position in range(n):
        counts[:, position] += torch.bincount(orders[:, position], minlength=n)[:n]
    statistic, df, scale = stats.chi_square_uniform(counts)
    threshold = stats.chi_square_threshold(df, scale)
    if statistic > threshold:
        index, position = divmod(int((counts - s / n).abs().argmax()), n)
        fail(f"{what}: over {s:,} seeds the positions are not uniformly random (chi-square {statistic:.0f}, "
             f"allowed {threshold:.0f} for {n}/{n - 1} x chi-square with {df} degrees of freedom); e.g. index "
             f"{index} landed at position {position} {int(counts[index, position])} times, expected about {s // n}.",
             _positions_hint(counts, sizes))
    return f"chi-square {statistic:.0f} (allowed {threshold:.0f}, df {df})"


def _positions_hint(counts: torch.Tensor, sizes: tuple[int, ...] | None) -> str:
    """Name "shuffled after the split" only on its signature: no index ever left the part it started in."""
    if sizes:
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        blocks = [(a, a + size) for a, size in zip(starts, sizes)]
        stays = all(any(int(counts[index, lo:hi].sum()) == int(counts[index].sum()) and lo <= index < hi
                        for lo, hi in blocks) for index in range(counts.shape[0]))
        if stays:
            return ("no index ever left the part it started in: the indices were cut first and shuffled within "
                    "each part. Shuffle ALL indices once (torch.randperm), then cut.")
    return ("some positions are more likely than others for some indices: a biased shuffle. torch.randperm with "
            "a seeded generator is uniform (a hand-written swap of i with ANY j is not).")


def split_orders(sub: Submission, n: int, fractions: tuple[float, float, float], seeds: list[int]) -> torch.Tensor:
    """The concatenated split of each seed, after checking each is a valid split."""
    observed = sub.run(probes.split_orders, n, list(fractions), seeds)
    if "bad_seed" in observed:
        judge_parts(observed["parts"], n, fractions, f"split_indices({n}, {fractions}, seed={observed['bad_seed']})",
                    sizes=False)
    orders = observed["orders"]
    expect(type(orders) is torch.Tensor and orders.shape == (len(seeds), n),
           f"split_indices({n}, {fractions}, seed=...) did not give {n} indices for each of {len(seeds)} seeds.")
    wrong = (orders.sort(dim=1).values != torch.arange(n)).any(dim=1).nonzero().flatten()  # all seeds at once
    if len(wrong):
        fail(f"split_indices({n}, {fractions}, seed={seeds[int(wrong[0])]}) does not hold every index exactly once.")
    return orders


LECTURE = (0.70, 0.15, 0.15)


#: What each function must do: shown also when the student's code raises (feedback.explain).
SPLIT_HINT = hint_on_error("split_indices(n, fractions, seed) shuffles 0..n-1 once with "
                           "torch.randperm(n, generator=torch.Generator().manual_seed(seed)), then cuts "
                           "n_val = int(n * f_val), n_test = int(n * f_test), and train takes the rest.")


BATCHES_HINT = hint_on_error("epoch_batches(train_idx, batch_size, epoch, seed) permutes train_idx with a generator "
                             "seeded from (seed, epoch) and returns list(torch.split(shuffled, batch_size)).")


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
    parts = [p.reshape(-1).long() for p in parts]
    expect(bool(torch.equal(torch.cat(parts).sort().values, torch.arange(n))),
           f"make_loaders cannot be judged: {call} did not return a partition of range({n}) (see checks 1.1-1.3): "
           "the loaders are judged over the split they were built from, which must hold every index once.")
    return parts


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
    for name, part in zip(PARTS, split):
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
