"""Assignment a5_approx: the universal approximation theorem, by hand and by training.

Part 1 builds Nielsen's visual proof: a steep sigmoid is a step, two steps make a bump, and n bumps
side by side approximate any continuous f on [0, 1]; the network is written down, not trained.
Part 2 trains the lecture's deep ReLU network to fit the same function.
"""

import torch
from torch import nn


def step(x, s, w):
    """A steep sigmoid sigma(w * (x - s)): a step from 0 to 1 at position s.

    A hidden unit sigma(w * x + b) steps at s = -b / w; the larger w, the sharper the step.
    ``x`` is a tensor; returns a tensor of the same shape.
    """
    # BEGIN SOLUTION the sigmoid of w * (x - s)
    return torch.sigmoid(w * (x - s))
    # END SOLUTION


def bump(x, left, right, height, w):
    """A bump of ``height`` between ``left`` and ``right``: height * (step at left - step at right)."""
    # BEGIN SOLUTION the difference of two steps, scaled by height
    return height * (step(x, left, w) - step(x, right, w))
    # END SOLUTION


def neilson_example(x):
    """Nielsen's example function 0.2 + 0.4 x^2 + 0.3 x sin(15 x) + 0.05 cos(50 x), for tensors."""
    # BEGIN SOLUTION the formula, with torch functions
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)
    # END SOLUTION


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
    # BEGIN SOLUTION place the 2n steps and set both layers' weights
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
    # END SOLUTION


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    """Fit f on [0, 1] with a deep ReLU network; returns ``(model, losses)``.

    The network is nn.Sequential(Linear(1, h1), ReLU(), ..., Linear(h_last, 1)) with one hidden layer
    per entry of ``hidden`` (the lecture's 3 x 64). Call ``torch.manual_seed(seed)`` first, then build
    the network (PyTorch's default initialization), then train for ``steps`` steps of Adam(lr) on the
    mean squared error. Each step draws ``batch_size`` points uniformly in [0, 1) as a tensor of shape
    (batch_size, 1), evaluates f on them once, and makes one optimizer step (full-batch training is
    allowed too: one fixed set of points in [0, 1], f evaluated on it once, every step on all of
    them). ``losses`` holds the loss of every step as a float.
    """
    # BEGIN SOLUTION seed, build the network, then the training loop
    torch.manual_seed(seed)
    sizes = (1, *hidden)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(sizes[-1], 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1)
        y = f(x)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
    # END SOLUTION
