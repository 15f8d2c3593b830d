"""Correct, written differently: the standard library's random.shuffle on a list."""
import math
import random

import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if not isinstance(fractions, (tuple, list)) or len(fractions) != 3:
        raise ValueError("three fractions please")
    if any(f < 0 for f in fractions) or not math.isclose(math.fsum(fractions), 1.0, abs_tol=1e-6):
        raise ValueError("fractions must be >= 0 and sum to 1")
    if n < 3:
        raise ValueError("n must be at least 3")
    indices = list(range(n))
    random.Random(seed).shuffle(indices)
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    cut1, cut2 = n - n_val - n_test, n - n_test
    as_long = lambda xs: torch.tensor(xs, dtype=torch.long)
    return as_long(indices[:cut1]), as_long(indices[cut1:cut2]), as_long(indices[cut2:])


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    values = train_idx.tolist()
    random.Random(f"{seed}/{epoch}").shuffle(values)
    return [torch.tensor(values[i:i + batch_size], dtype=torch.long) for i in range(0, len(values), batch_size)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    loader = lambda idx, shuffle: DataLoader(Subset(dataset, idx), batch_size=batch_size, shuffle=shuffle)
    return loader(train_idx, True), loader(val_idx, False), loader(test_idx, False)
