"""Assignment 5: universal approximation by hand (bumps) and by training (deep ReLU net)."""

import math

import torch
from torch import nn


def step(x, s, w):
    """sigma(w (x - s)): 0 left of s, 1 right of s."""
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * step(x, left, w) - height * step(x, right, w)


def neilson_example(x):
    return 0.2 + 0.4 * x.pow(2) + 0.3 * x * torch.sin(15.0 * x) + 0.05 * torch.cos(50.0 * x)


def bump_network(f, n, w):
    model = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    positions, out_weights = [], []
    for i in range(n):
        left = i / n if i > 0 else -1 / n
        right = (i + 1) / n if i < n - 1 else 1 + 1 / n
        height = float(f(torch.tensor([(i + 0.5) / n])))
        positions += [left, right]
        out_weights += [height, -height]
    with torch.no_grad():
        model[0].weight.fill_(w)
        model[0].bias.copy_(-w * torch.tensor(positions))
        model[2].weight.copy_(torch.tensor([out_weights]))
        model[2].bias.zero_()
    return model


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers, prev = [], 1
    for width in hidden:
        layers += [nn.Linear(prev, width), nn.ReLU()]
        prev = width
    model = nn.Sequential(*layers, nn.Linear(prev, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    losses = []
    for step_no in range(steps + 1):          # + 1 so the last step gets printed too
        x = torch.rand(batch_size, 1)
        y = f(x)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step_no % 1000 == 0:
            print(f"step {step_no:5d}  loss {loss.item():.2e}  rmse {math.sqrt(loss.item()):.4f}")
    return model, losses
