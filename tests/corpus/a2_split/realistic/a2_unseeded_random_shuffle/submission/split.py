import random

import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3:
        raise ValueError("fractions should be (train, val, test)")
    train_f, val_f, test_f = fractions
    if train_f < 0 or val_f < 0 or test_f < 0:
        raise ValueError("negative fraction")
    if abs(train_f + val_f + test_f - 1) > 1e-6:
        raise ValueError("fractions must sum to one")
    if n < 3:
        raise ValueError("too few samples")
    indices = list(range(n))
    random.shuffle(indices)               # shuffle everything once, then cut
    n_val = int(n * val_f)
    n_test = int(n * test_f)
    n_train = n - n_val - n_test
    train = torch.tensor(indices[:n_train], dtype=torch.long)
    val = torch.tensor(indices[n_train:n_train + n_val], dtype=torch.long)
    test = torch.tensor(indices[n_train + n_val:], dtype=torch.long)
    return train, val, test


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    gen = torch.Generator().manual_seed(seed * 100_000 + epoch)
    shuffled = train_idx[torch.randperm(len(train_idx), generator=gen)]
    batches = []
    for start in range(0, len(shuffled), batch_size):
        batches.append(shuffled[start:start + batch_size])
    return batches


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train, val, test = split_indices(len(dataset), fractions, seed)
    return (DataLoader(Subset(dataset, train.tolist()), batch_size=batch_size, shuffle=True),
            DataLoader(Subset(dataset, val.tolist()), batch_size=batch_size, shuffle=False),
            DataLoader(Subset(dataset, test.tolist()), batch_size=batch_size, shuffle=False))
