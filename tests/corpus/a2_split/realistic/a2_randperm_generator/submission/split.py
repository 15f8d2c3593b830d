"""Lab 2: train / validation / test split (70 / 15 / 15) and per-epoch shuffling."""
import torch
from torch.utils.data import DataLoader, Subset


def _check(n, fractions):
    if len(fractions) != 3:
        raise ValueError("need three fractions (train, val, test)")
    if min(fractions) < 0:
        raise ValueError("fractions must be >= 0")
    if abs(sum(fractions) - 1) > 1e-6:
        raise ValueError(f"fractions must add up to 1, they add up to {sum(fractions)}")
    if n < 3:
        raise ValueError("n must be at least 3")


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    _check(n, fractions)
    g = torch.Generator()
    g.manual_seed(seed)
    perm = torch.randperm(n, generator=g)
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    n_train = n - n_val - n_test
    train_idx = perm[:n_train]
    val_idx = perm[n_train:n_train + n_val]
    test_idx = perm[n_train + n_val:]
    return train_idx, val_idx, test_idx


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator()
    g.manual_seed(seed + 1000 * epoch)
    shuffled = train_idx[torch.randperm(len(train_idx), generator=g)]
    return [shuffled[i:i + batch_size] for i in range(0, len(shuffled), batch_size)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    train_loader = DataLoader(Subset(dataset, train_idx), batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_idx), batch_size=batch_size)
    test_loader = DataLoader(Subset(dataset, test_idx), batch_size=batch_size)
    return train_loader, val_loader, test_loader
