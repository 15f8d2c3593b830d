"""Homework 2 (resubmitted: fixed the ValueError for n < 3)."""
import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    fractions = list(fractions)
    if len(fractions) != 3:
        raise ValueError("expected (train, val, test) fractions")
    for f in fractions:
        if f < 0:
            raise ValueError("fraction below zero")
    if not -1e-6 <= sum(fractions) - 1 <= 1e-6:
        raise ValueError("fractions should sum to 1")
    if n < 3:
        raise ValueError("n should be at least 3")
    rng = torch.Generator()
    rng.manual_seed(seed)
    order = torch.randperm(n, generator=rng)
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    n_train = n - (n_val + n_test)
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    rng = torch.Generator()
    rng.manual_seed(seed * 31337 + epoch)
    shuffled = train_idx[torch.randperm(len(train_idx), generator=rng)]
    return list(shuffled.split(batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    train = DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True)
    val = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False)
    test = DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size, shuffle=False)
    return train, val, test
