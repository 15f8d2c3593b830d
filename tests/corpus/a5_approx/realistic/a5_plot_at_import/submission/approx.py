import matplotlib.pyplot as plt
import torch
import torch.nn as nn


def step(x, s, w):
    return 1.0 / (1.0 + torch.exp(-w * (x - s)))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    left = torch.arange(0, n) / n
    right = torch.arange(1, n + 1) / n
    heights = f(left + 0.5 / n)
    left[0] = -1 / n
    right[n - 1] = 1 + 1 / n
    W1 = torch.full((2 * n, 1), float(w))
    b1 = -w * torch.cat((left, right))
    W2 = torch.cat((heights, -heights)).reshape(1, 2 * n)
    model = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    model.load_state_dict({"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": torch.zeros(1)})
    return model


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    modules = []
    prev = 1
    for h in hidden:
        modules.append(nn.Linear(prev, h))
        modules.append(nn.ReLU())
        prev = h
    modules.append(nn.Linear(prev, 1))
    model = nn.Sequential(*modules)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1)
        y = f(x)
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, losses


# ---- figures for the report ---------------------------------------------------------------------
xs = torch.linspace(0, 1, 801).reshape(-1, 1)
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5))
for w, ax in zip((10, 100, 1000), axes):
    ax.plot(xs, step(xs, 0.5, w))
    ax.plot(xs, bump(xs, 0.3, 0.6, 0.8, w))
    ax.set_title(f"w = {w}")
plt.savefig("steps_and_bumps.png")

plt.figure()
plt.plot(xs, neilson_example(xs), "k", label="f")
with torch.no_grad():
    plt.plot(xs, bump_network(neilson_example, 20, 2000)(xs), label="20 bumps")
plt.legend()
plt.savefig("bumps.png")
plt.close("all")
