import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm.auto import trange


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * torch.square(x) + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    idx = torch.arange(n, dtype=torch.float32)
    s = torch.stack([idx / n, (idx + 1) / n], dim=1)      # row i: the bin's left and right edge
    s[0, 0] = -1 / n
    s[-1, 1] = 1 + 1 / n
    heights = f((idx + 0.5) / n)
    v = torch.stack([heights, -heights], dim=1)           # +height up, -height down
    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        net[0].weight.fill_(w)
        net[0].bias.copy_(-w * s.flatten())
        net[2].weight.copy_(v.flatten()[None])
        net[2].bias.zero_()
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    """Full batch: one fixed grid of 256 points of [0, 1], f evaluated once (batch_size is not used)."""
    torch.manual_seed(seed)
    layers, d = [], 1
    for h in hidden:
        layers += [nn.Linear(d, h), nn.ReLU()]
        d = h
    model = nn.Sequential(*layers, nn.Linear(d, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    x = torch.linspace(0, 1, 256).unsqueeze(1)
    y = f(x)
    losses = []
    bar = trange(steps, desc="fitting", leave=False)
    for _ in bar:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        bar.set_postfix(mse=f"{losses[-1]:.2e}")
    return model, losses
