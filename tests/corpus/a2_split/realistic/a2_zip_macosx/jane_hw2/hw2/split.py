import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-6:
        raise ValueError(f"bad fractions {fractions}")
    if n < 3:
        raise ValueError(f"bad n {n}")
    permutation = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    n_train = n - n_val - n_test
    train_idx, val_idx, test_idx = permutation.split([n_train, n_val, n_test])
    return train_idx, val_idx, test_idx


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator().manual_seed(seed * 65_537 + epoch)
    return list(train_idx[torch.randperm(train_idx.numel(), generator=g)].split(batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    return (DataLoader(Subset(dataset, train_idx.tolist()), batch_size, shuffle=True),
            DataLoader(Subset(dataset, val_idx.tolist()), batch_size, shuffle=False),
            DataLoader(Subset(dataset, test_idx.tolist()), batch_size, shuffle=False))
