"""Using torch.utils.data.random_split with explicit lengths and a seeded generator."""
import torch
from torch.utils.data import DataLoader, random_split


def _lengths(n, fractions):
    if len(fractions) != 3:
        raise ValueError("three fractions expected")
    if any(f < 0 for f in fractions):
        raise ValueError("negative fraction")
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError("fractions do not sum to 1")
    if n < 3:
        raise ValueError("not enough samples")
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    return [n - n_val - n_test, n_val, n_test]


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    lengths = _lengths(n, fractions)
    parts = random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed))
    return tuple(torch.tensor(part.indices, dtype=torch.long) for part in parts)


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    generator = torch.Generator().manual_seed(hash((seed, epoch)) % (2 ** 62))
    permuted = train_idx[torch.randperm(train_idx.numel(), generator=generator)]
    return list(permuted.split(batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_set, val_set, test_set = random_split(
        dataset, _lengths(len(dataset), fractions), generator=torch.Generator().manual_seed(seed))
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=batch_size, shuffle=False)
    test_loader = DataLoader(test_set, batch_size=batch_size, shuffle=False)
    return train_loader, val_loader, test_loader
