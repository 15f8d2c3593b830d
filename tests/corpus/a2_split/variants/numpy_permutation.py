"""Correct, written differently: numpy's Generator.permutation, test cut first."""
import numpy as np
import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    fractions = list(fractions)
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0, rtol=0, atol=1e-6):
        raise ValueError("bad fractions")
    if n < 3:
        raise ValueError("n too small")
    perm = torch.from_numpy(np.random.default_rng(seed).permutation(n)).long()
    n_test = int(n * fractions[2])
    n_val = int(n * fractions[1])
    test, val, train = perm[:n_test], perm[n_test:n_test + n_val], perm[n_test + n_val:]
    return train, val, test


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    rng = np.random.default_rng([seed, epoch])
    order = train_idx[torch.from_numpy(rng.permutation(len(train_idx))).long()]
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    parts = split_indices(len(dataset), fractions, seed)
    return tuple(DataLoader(Subset(dataset, p.tolist()), batch_size=batch_size, shuffle=(i == 0))
                 for i, p in enumerate(parts))
