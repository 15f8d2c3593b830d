"""Universal approximation (HW5).

Part 1 is Nielsen's construction from "Neural Networks and Deep Learning", ch. 4: split [0, 1]
into n intervals and put one bump on each, from its left edge to its right edge, as high as f in
the middle of the interval.
"""
import torch
import torch.nn as nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    edges = torch.linspace(0, 1, n + 1)
    starts, stops = edges[:-1], edges[1:]        # interval i = [starts[i], stops[i]]
    heights = f((starts + stops) / 2)
    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        net[0].weight.fill_(w)
        net[0].bias.copy_(torch.cat([-w * starts, -w * stops]))
        net[2].weight.copy_(torch.cat([heights, -heights]).view(1, -1))
        net[2].bias.zero_()
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = []
    prev = 1
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        prev = h
    layers.append(nn.Linear(prev, 1))
    model = nn.Sequential(*layers)
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
