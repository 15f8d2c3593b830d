"""HW5. The trained network works in float64 (named layers in an OrderedDict); it is built in
float32 right after seeding, exactly as nn.Linear initializes it, then converted with .double()."""
from collections import OrderedDict

import torch
import torch.nn as nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    left = torch.tensor([i / n for i in range(n)])
    right = torch.tensor([(i + 1) / n for i in range(n)])
    left[0] = -1 / n
    right[-1] = 1 + 1 / n
    heights = f((left.clamp(min=0) + right.clamp(max=1)) / 2)
    model = nn.Sequential(OrderedDict([
        ("steps", nn.Linear(1, 2 * n)),
        ("sigmoid", nn.Sigmoid()),
        ("heights", nn.Linear(2 * n, 1)),
    ]))
    with torch.no_grad():
        model.steps.weight.fill_(w)
        model.steps.bias.copy_(-w * torch.cat([left, right]))
        model.heights.weight.copy_(torch.cat([heights, -heights]).unsqueeze(0))
        model.heights.bias.zero_()
    return model


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = OrderedDict()
    width = 1
    for i, h in enumerate(hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, h)
        layers[f"relu{i}"] = nn.ReLU()
        width = h
    layers["out"] = nn.Linear(width, 1)
    model = nn.Sequential(layers).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1, dtype=torch.float64)
        y = f(x)
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
