import torch
import torch.nn as nn


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    lefts = torch.tensor([i / n for i in range(n)])
    rights = lefts + 1 / n
    centres = lefts + 0.5 / n
    lefts[0] = -1 / n
    rights[-1] = 1 + 1 / n
    heights = f(centres)
    model = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        model[0].weight.fill_(w)
        model[0].bias.copy_(-w * torch.cat([lefts, rights]))
        model[2].weight.copy_(torch.cat([heights, -heights]).view(1, 2 * n))
        model[2].bias.zero_()
    return model


# https://stackoverflow.com/questions/49433936/how-do-i-initialize-weights-in-pytorch
def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = []
    n_in = 1
    for n_out in hidden:
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
        n_in = n_out
    layers.append(nn.Linear(n_in, 1))
    model = nn.Sequential(*layers)
    model.apply(init_weights)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    losses = []
    for _ in range(steps):
        x = torch.rand(batch_size, 1)
        y = f(x)
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
