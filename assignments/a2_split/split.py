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
    # TODO: validate the arguments, shuffle 0..n-1 with a seeded generator, cut in three
    raise NotImplementedError('validate the arguments, shuffle 0..n-1 with a seeded generator, cut in three')


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    """The mini-batches of one epoch: a fresh permutation of ``train_idx`` cut into batches.

    The permutation depends only on (seed, epoch): the same epoch always gives the same batches,
    another epoch gives another order. Every index appears exactly once; the last batch may be
    shorter than ``batch_size``. Returns a list of LongTensors holding values of ``train_idx``.
    """
    # TODO: permute train_idx with a generator seeded from (seed, epoch), then cut it
    raise NotImplementedError('permute train_idx with a generator seeded from (seed, epoch), then cut it')


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    """DataLoaders (train, val, test) over ``Subset``s of ``dataset`` given by ``split_indices``.

    Only the training loader shuffles (anew every epoch); validation and test keep their order.
    """
    # TODO: build three Subsets from split_indices and wrap each in a DataLoader
    raise NotImplementedError('build three Subsets from split_indices and wrap each in a DataLoader')
