"""Train/val/test split.  An epoch = n_train / batch_size iterations (lecture: 70,000 / 70 = 1,000)."""
import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3:
        raise ValueError("expected 3 fractions")
    if any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-6:
        raise ValueError("fractions must be >= 0 and sum to 1")
    if n < 3:
        raise ValueError("need n >= 3")
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    n_train = n - n_val - n_test
    return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator().manual_seed(seed * 7919 + epoch)
    perm = train_idx[torch.randperm(len(train_idx), generator=g)]
    iterations = len(perm) // batch_size          # iterations per epoch
    return [perm[it * batch_size:(it + 1) * batch_size] for it in range(iterations)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    tr, va, te = split_indices(len(dataset), fractions, seed)
    return (DataLoader(Subset(dataset, tr.tolist()), batch_size=batch_size, shuffle=True),
            DataLoader(Subset(dataset, va.tolist()), batch_size=batch_size),
            DataLoader(Subset(dataset, te.tolist()), batch_size=batch_size))
