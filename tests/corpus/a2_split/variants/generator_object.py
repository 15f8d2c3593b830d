"""Correct, written differently: one torch.Generator, index_select, a sampler for the train loader."""
import torch
from torch.utils.data import DataLoader, RandomSampler, Subset


def _check(n, fractions):
    if len(fractions) != 3:
        raise ValueError("need (train, val, test) fractions")
    if any(f < 0 for f in fractions):
        raise ValueError("fractions cannot be negative")
    if abs(sum(fractions) - 1) > 1e-6:
        raise ValueError("fractions must sum to 1")
    if n < 3:
        raise ValueError("at least 3 samples")


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    _check(n, fractions)
    g = torch.Generator()
    g.manual_seed(seed)
    shuffled = torch.arange(n).index_select(0, torch.randperm(n, generator=g))
    sizes = [0, int(n * fractions[1]), int(n * fractions[2])]
    sizes[0] = n - sizes[1] - sizes[2]
    train, val, test = torch.split(shuffled, sizes)
    return train.clone(), val.clone(), test.clone()


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator()
    g.manual_seed(hash((seed, epoch)) % (2 ** 62))
    permuted = train_idx.index_select(0, torch.randperm(train_idx.numel(), generator=g))
    return list(permuted.split(batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    train_set = Subset(dataset, train_idx)
    g = torch.Generator()
    g.manual_seed(seed)
    train = DataLoader(train_set, batch_size=batch_size, sampler=RandomSampler(train_set, generator=g))
    return train, DataLoader(Subset(dataset, val_idx), batch_size=batch_size), DataLoader(Subset(dataset, test_idx), batch_size=batch_size)
