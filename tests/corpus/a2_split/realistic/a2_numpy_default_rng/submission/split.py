# Split with numpy's Generator API (np.random.default_rng), the way the numpy docs recommend.
import numpy as np
import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    fractions = tuple(fractions)
    if len(fractions) != 3 or any(f < 0 for f in fractions) or not np.isclose(sum(fractions), 1.0, rtol=0, atol=1e-6):
        raise ValueError(f"invalid fractions {fractions}")
    if n < 3:
        raise ValueError(f"n={n} is too small to split in three")
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    n_train = n - n_val - n_test
    train, val, test = np.split(perm, [n_train, n_train + n_val])
    return torch.from_numpy(train), torch.from_numpy(val), torch.from_numpy(test)


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    rng = np.random.default_rng([seed, epoch])
    order = torch.from_numpy(rng.permutation(len(train_idx)))
    shuffled = train_idx[order]
    return list(torch.split(shuffled, batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    g = torch.Generator().manual_seed(seed)
    return (
        DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True, generator=g),
        DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False),
        DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size, shuffle=False),
    )
