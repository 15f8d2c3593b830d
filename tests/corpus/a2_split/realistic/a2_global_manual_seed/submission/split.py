# seeding with torch.manual_seed(seed) like every tutorial does at the top of the script
import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3 or any(f < 0 for f in fractions):
        raise ValueError("fractions must be 3 non-negative numbers")
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError("fractions must sum to 1")
    if n < 3:
        raise ValueError("n < 3")
    torch.manual_seed(seed)
    idx = torch.randperm(n)
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    n_train = n - n_val - n_test
    return idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    torch.manual_seed(seed * 100_003 + epoch)
    shuffled = train_idx[torch.randperm(len(train_idx))]
    return list(torch.split(shuffled, batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    train_loader = DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False)
    test_loader = DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size, shuffle=False)
    return train_loader, val_loader, test_loader
