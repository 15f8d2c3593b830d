"""Lab 2. Run this file to see the split of the real Fashion-MNIST training set."""
import torch
from torch.utils.data import ConcatDataset, DataLoader, Subset
from torchvision import datasets, transforms


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3:
        raise ValueError("fractions needs 3 values")
    if any(f < 0 for f in fractions):
        raise ValueError("fractions can't be negative")
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError("fractions have to sum to 1")
    if n < 3:
        raise ValueError("n has to be at least 3")
    shuffled = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val = int(n * fractions[1])
    n_test = int(n * fractions[2])
    return torch.split(shuffled, [n - n_val - n_test, n_val, n_test])


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    g = torch.Generator().manual_seed(1_000_000 * seed + epoch)
    return list(train_idx[torch.randperm(len(train_idx), generator=g)].split(batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    parts = split_indices(len(dataset), fractions, seed)
    return tuple(DataLoader(Subset(dataset, part.tolist()), batch_size=batch_size, shuffle=(i == 0))
                 for i, part in enumerate(parts))


if __name__ == "__main__":
    tf = transforms.ToTensor()
    full = ConcatDataset([datasets.FashionMNIST("data", train=True, download=True, transform=tf),
                          datasets.FashionMNIST("data", train=False, download=True, transform=tf)])
    train_loader, val_loader, test_loader = make_loaders(full, batch_size=70)
    print(len(train_loader.dataset), len(val_loader.dataset), len(test_loader.dataset))
    print("iterations per epoch:", len(train_loader))
