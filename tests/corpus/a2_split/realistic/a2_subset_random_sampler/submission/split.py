"""Split + loaders, following the well-known StackOverflow answer
"How do I split a custom dataset into training and test datasets?" (SubsetRandomSampler)."""
import numpy as np
import torch
from torch.utils.data import DataLoader
from torch.utils.data.sampler import SubsetRandomSampler


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3 or min(fractions) < 0 or abs(sum(fractions) - 1) > 1e-6:
        raise ValueError("bad fractions: %r" % (fractions,))
    if n < 3:
        raise ValueError("dataset too small")
    indices = list(range(n))
    np.random.seed(seed)
    np.random.shuffle(indices)
    val_split = int(np.floor(fractions[1] * n))
    test_split = int(np.floor(fractions[2] * n))
    train_end = n - val_split - test_split
    train_indices = indices[:train_end]
    val_indices = indices[train_end:train_end + val_split]
    test_indices = indices[train_end + val_split:]
    return (torch.LongTensor(train_indices), torch.LongTensor(val_indices), torch.LongTensor(test_indices))


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    np.random.seed(seed * 1000 + epoch)
    perm = torch.from_numpy(np.random.permutation(len(train_idx)))
    shuffled = train_idx[perm]
    return [shuffled[i:i + batch_size] for i in range(0, len(shuffled), batch_size)]


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_indices, val_indices, test_indices = split_indices(len(dataset), fractions, seed)
    # Creating PT data samplers and loaders:
    train_sampler = SubsetRandomSampler(train_indices)
    valid_sampler = SubsetRandomSampler(val_indices)
    test_sampler = SubsetRandomSampler(test_indices)
    train_loader = DataLoader(dataset, batch_size=batch_size, sampler=train_sampler)
    validation_loader = DataLoader(dataset, batch_size=batch_size, sampler=valid_sampler)
    test_loader = DataLoader(dataset, batch_size=batch_size, sampler=test_sampler)
    return train_loader, validation_loader, test_loader
