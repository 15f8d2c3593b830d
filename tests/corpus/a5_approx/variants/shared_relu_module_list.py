"""A correct a5_approx written differently: the trained network is an nn.Module with its hidden layers in a
ModuleList and one ReLU module, registered before the layers and applied after each of them."""

import torch
from torch import nn


def step(x, s, w):
    """A steep sigmoid sigma(w * (x - s)): a step from 0 to 1 at position s.

    A hidden unit sigma(w * x + b) steps at s = -b / w; the larger w, the sharper the step.
    ``x`` is a tensor; returns a tensor of the same shape.
    """
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    """A bump of ``height`` between ``left`` and ``right``: height * (step at left - step at right)."""
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    """Nielsen's example function 0.2 + 0.4 x^2 + 0.3 x sin(15 x) + 0.05 cos(50 x), for tensors."""
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    """The sum of n bumps approximating f on [0, 1], as nn.Sequential(Linear(1, 2n), Sigmoid(), Linear(2n, 1)).

    Set the weights by hand (no training, under ``torch.no_grad()``): bin i is [i/n, (i+1)/n]; its bump
    has height f((i + 1/2)/n), the value of f at the bin's centre, and uses two hidden units: a step up
    at the bin's left edge (output weight +height) and a step down at its right edge (output weight
    -height). Every first-layer weight is w, and the bias of a unit stepping at s is -w * s; the
    output bias is 0. At x = 0 and x = 1 a step sits exactly at the edge and only reaches half its
    height, so move the first bin's left step one bin further left (to -1/n) and the last bin's right
    step one bin further right (to 1 + 1/n). ``f`` takes a tensor (or a numpy array, or a float) and
    answers in kind.
    """
    edges = torch.arange(n + 1, dtype=torch.float32) / n
    left, right = edges[:-1].clone(), edges[1:].clone()
    left[0], right[-1] = -1.0 / n, 1.0 + 1.0 / n
    heights = f((edges[:-1] + edges[1:]) / 2).reshape(n).float()
    model = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        model[0].weight.fill_(w)
        model[0].bias.copy_(-w * torch.cat([left, right]))
        model[2].weight.copy_(torch.cat([heights, -heights]).reshape(1, 2 * n))
        model[2].bias.zero_()
    return model


class DeepReLU(nn.Module):
    """Hidden layers in a ModuleList and one ReLU module, registered before them and shared by all."""

    def __init__(self, hidden):
        super().__init__()
        sizes = (1, *hidden)
        self.act = nn.ReLU()  # registered first, applied after every hidden layer
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.head = nn.Linear(sizes[-1], 1)

    def forward(self, x):
        for layer in self.hidden:
            x = self.act(layer(x))
        return self.head(x)


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    """Seed, build, then Adam on the mean squared error, one fresh batch per step."""
    torch.manual_seed(seed)
    model = DeepReLU(hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1)
        loss = torch.mean((model(x) - f(x)) ** 2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
