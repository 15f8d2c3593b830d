"""HW5 - universal approximation.

step(x) is the logistic function e^t / (1 + e^t) of t = w (x - s), written out as in the slides.
"""
import torch
import torch.nn as nn


def step(x, s, w):
    t = w * (x - s)
    return torch.exp(t) / (1 + torch.exp(t))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    left = torch.arange(n) / n
    right = (torch.arange(n) + 1) / n
    centre = (left + right) / 2
    height = f(centre)
    left[0] = -1 / n            # so the first step is all the way up at x = 0
    right[-1] = 1 + 1 / n       # and the last one has not come down yet at x = 1
    with torch.no_grad():
        net[0].weight[:] = w
        net[0].bias[:n] = -w * left
        net[0].bias[n:] = -w * right
        net[2].weight[0, :n] = height
        net[2].weight[0, n:] = -height
        net[2].bias.zero_()
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = []
    width = 1
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 1))
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    losses = []
    for i in range(steps):
        x = torch.rand(batch_size, 1)
        y = f(x)
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
