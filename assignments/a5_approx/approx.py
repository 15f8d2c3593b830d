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
    # TODO: the sigmoid of w * (x - s)
    raise NotImplementedError('the sigmoid of w * (x - s)')


def bump(x, left, right, height, w):
    """A bump of ``height`` between ``left`` and ``right``: height * (step at left - step at right)."""
    # TODO: the difference of two steps, scaled by height
    raise NotImplementedError('the difference of two steps, scaled by height')


def neilson_example(x):
    """Nielsen's example function 0.2 + 0.4 x^2 + 0.3 x sin(15 x) + 0.05 cos(50 x), for tensors."""
    # TODO: the formula, with torch functions
    raise NotImplementedError('the formula, with torch functions')


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
    # TODO: place the 2n steps and set both layers' weights
    raise NotImplementedError("place the 2n steps and set both layers' weights")


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
    # TODO: seed, build the network, then the training loop
    raise NotImplementedError('seed, build the network, then the training loop')
