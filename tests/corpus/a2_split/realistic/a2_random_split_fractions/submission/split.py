# random_split accepts fractions directly since torch 1.13, so no length arithmetic needed
import torch
from torch.utils.data import DataLoader, random_split


def _validate(n, fractions):
    if len(fractions) != 3:
        raise ValueError("fractions must have 3 entries")
    if any(f < 0 for f in fractions):
        raise ValueError("fractions must be non-negative")
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError("fractions must sum to 1")
    if n < 3:
        raise ValueError("n must be >= 3")


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    _validate(n, fractions)
    train, val, test = random_split(range(n), list(fractions), generator=torch.Generator().manual_seed(seed))
    return (torch.tensor(train.indices, dtype=torch.long),
            torch.tensor(val.indices, dtype=torch.long),
            torch.tensor(test.indices, dtype=torch.long))


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator().manual_seed(10_000 * seed + epoch)
    order = train_idx[torch.randperm(len(train_idx), generator=g)]
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    _validate(len(dataset), fractions)
    train, val, test = random_split(dataset, list(fractions), generator=torch.Generator().manual_seed(seed))
    return (DataLoader(train, batch_size=batch_size, shuffle=True),
            DataLoader(val, batch_size=batch_size),
            DataLoader(test, batch_size=batch_size))
