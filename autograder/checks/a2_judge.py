"""How a2_split checks judge a split: sizes, disjointness, coverage, and randomness of the order."""

from __future__ import annotations

from typing import Any

import torch

from autograder import stats
from autograder.expect import describe, expect, expect_tensor, fail
from autograder.probes import a2_split as probes
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
