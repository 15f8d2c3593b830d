# approx.py -- part 1: Nielsen's visual proof (bumps by hand), part 2: learn f with a deep ReLU net.
# Training loop written like in Karpathy's "zero to hero" notebooks.

import torch
import torch.nn as nn
import torch.nn.functional as F


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    i = torch.arange(n, dtype=torch.float32)
    lo, hi = i / n, (i + 1) / n
    h = f((i + 0.5) / n)
    lo[0], hi[-1] = -1.0 / n, 1.0 + 1.0 / n
    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.full((2 * n, 1), float(w)))
        net[0].bias.copy_(torch.cat([-w * lo, -w * hi]))
        net[2].weight.copy_(torch.cat([h, -h]).view(1, -1))
        net[2].bias.zero_()
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    dims = [1, *hidden]
    mlp = []
    for a, b in zip(dims, dims[1:]):
        mlp += [nn.Linear(a, b), nn.ReLU()]
    model = nn.Sequential(*mlp, nn.Linear(dims[-1], 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    lossi = []
    for i in range(steps):
        # minibatch
        Xb = torch.rand(batch_size, 1)
        Yb = f(Xb)
        # forward pass
        pred = model(Xb)
        loss = F.mse_loss(pred, Yb)
        # backward pass
        for p in model.parameters():
            p.grad = None
        loss.backward()
        # update
        optimizer.step()
        # track stats
        if i % 500 == 0:
            print(f"{i:7d}/{steps:7d}: {loss.item():.6f}")
        lossi.append(loss)
    return model, lossi
