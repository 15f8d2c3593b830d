"""Assignment a2_split: a train/validation/test split with shuffling.

Shuffle all the data once, then cut it into train, validation and test parts. Reshuffle only the
training part at the start of every epoch. Use ``torch.Generator`` objects seeded from the
arguments, so the same arguments always give the same result.
"""

import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    """Shuffle the indices 0..n-1 once, then cut them into (train_idx, val_idx, test_idx).

    n_val = int(n * fractions[1]), n_test = int(n * fractions[2]); train gets the rest.
    All three are LongTensors; together they hold every index exactly once.
    Raise ValueError when fractions are not three non-negative numbers summing to 1 (within 1e-6),
    or when n < 3.
    """
    # BEGIN SOLUTION validate the arguments, shuffle 0..n-1 with a seeded generator, cut in three
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError(f"fractions must be three non-negative numbers summing to 1, got {fractions!r}")
    if n < 3:
        raise ValueError(f"need at least 3 samples to split, got n={n}")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    n_train = n - n_val - n_test
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    # END SOLUTION


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    """The mini-batches of one epoch: a fresh permutation of ``train_idx`` cut into batches.

    The permutation depends only on (seed, epoch): the same epoch always gives the same batches,
    another epoch gives another order. Every index appears exactly once; the last batch may be
    shorter than ``batch_size``. Returns a list of LongTensors holding values of ``train_idx``.
    """
    # BEGIN SOLUTION permute train_idx with a generator seeded from (seed, epoch), then cut it
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    shuffled = train_idx[torch.randperm(len(train_idx), generator=generator)]
    return list(torch.split(shuffled, batch_size))
    # END SOLUTION


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    """DataLoaders (train, val, test) over ``Subset``s of ``dataset`` given by ``split_indices``.

    Only the training loader shuffles (anew every epoch); validation and test keep their order.
    """
    # BEGIN SOLUTION build three Subsets from split_indices and wrap each in a DataLoader
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    train = DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    val = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False)
    test = DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size, shuffle=False)
    return train, val, test
    # END SOLUTION
