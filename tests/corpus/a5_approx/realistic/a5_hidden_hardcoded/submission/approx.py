import torch
from torch import nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    k = torch.arange(n).float()
    left_edges = k / n
    right_edges = (k + 1) / n
    left_edges[0] = -1 / n
    right_edges[-1] = 1 + 1 / n
    heights = f((k + 0.5) / n)

    net = nn.Sequential(
        nn.Linear(1, 2 * n),
        nn.Sigmoid(),
        nn.Linear(2 * n, 1),
    )
    with torch.no_grad():
        net[0].weight.fill_(w)
        net[0].bias.copy_(torch.cat([-w * left_edges, -w * right_edges]))
        net[2].weight.copy_(torch.cat([heights, -heights]).reshape(1, -1))
        net[2].bias.zero_()
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    # the network from the lecture slide
    model = nn.Sequential(
        nn.Linear(1, 64),
        nn.ReLU(),
        nn.Linear(64, 64),
        nn.ReLU(),
        nn.Linear(64, 64),
        nn.ReLU(),
        nn.Linear(64, 1),
    )
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
