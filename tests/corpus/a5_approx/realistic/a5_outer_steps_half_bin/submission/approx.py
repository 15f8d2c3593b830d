import torch
from torch import nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    # bin i = [i/n, (i+1)/n], one bump per bin, height = f at the bin's centre
    edges = torch.linspace(0, 1, n + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    heights = f(centres)
    ups = edges[:-1].clone()
    downs = edges[1:].clone()
    # at x = 0 and x = 1 a step sitting on the end is only half way up; half a bin further out
    # sigma(w * 1/(2n)) = sigma(50) is 1 to float precision, which is all we need
    ups[0] = -0.5 / n
    downs[-1] = 1 + 0.5 / n
    model = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        model[0].weight.fill_(w)
        model[0].bias.copy_(-w * torch.cat([ups, downs]))
        model[2].weight.copy_(torch.cat([heights, -heights]).unsqueeze(0))
        model[2].bias.fill_(0.0)
    return model


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = []
    n_in = 1
    for n_out in hidden:
        layers.append(nn.Linear(n_in, n_out))
        layers.append(nn.ReLU())
        n_in = n_out
    layers.append(nn.Linear(n_in, 1))
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    mse = nn.MSELoss()
    losses = []
    for _ in range(steps):
        xb = torch.rand(batch_size, 1)
        yb = f(xb)
        opt.zero_grad()
        loss = mse(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, losses
