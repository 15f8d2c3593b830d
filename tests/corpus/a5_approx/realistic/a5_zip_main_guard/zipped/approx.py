"""Universal approximation, by hand and by training.

Run `python approx.py` to draw f, the bump networks and the trained network.
"""
import argparse

import torch
from torch import nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    edges = torch.arange(n + 1) / n
    up_at = edges[:-1].clone()
    down_at = edges[1:].clone()
    up_at[0] = -1.0 / n
    down_at[-1] = 1.0 + 1.0 / n
    heights = f((edges[:-1] + edges[1:]) / 2)
    first = nn.Linear(1, 2 * n)
    second = nn.Linear(2 * n, 1)
    with torch.no_grad():
        first.weight.copy_(w * torch.ones(2 * n, 1))
        first.bias.copy_(-w * torch.cat([up_at, down_at]))
        second.weight.copy_(torch.cat([heights, -heights]).reshape(1, 2 * n))
        second.bias.copy_(torch.zeros(1))
    return nn.Sequential(first, nn.Sigmoid(), second)


def make_mlp(hidden):
    layers, width = [], 1
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    model = make_mlp(hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1)
        y = f(x)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


def main():
    import matplotlib.pyplot as plt

    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--save", default="fits.png")
    args = parser.parse_args()

    xs = torch.linspace(0, 1, 1000).unsqueeze(1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    left.plot(xs, neilson_example(xs), "k", lw=2, label="f")
    for n in (10, 50, 200):
        with torch.no_grad():
            left.plot(xs, bump_network(neilson_example, n, 100 * n)(xs), label=f"{n} bumps")
    left.legend()
    model, losses = train_approximator(neilson_example, steps=args.steps)
    with torch.no_grad():
        left.plot(xs, model(xs), "--", label="trained")
    right.semilogy(losses)
    right.set_xlabel("step")
    right.set_ylabel("MSE")
    fig.savefig(args.save)


if __name__ == "__main__":
    main()
