import torch
import torch.nn as nn

# training settings
BATCH = 64          # points per step
PRINT_EVERY = 500


def step(x, s, w):
    return torch.sigmoid(w * (x - s))


def bump(x, left, right, height, w):
    return height * (step(x, left, w) - step(x, right, w))


def neilson_example(x):
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    edges = torch.arange(n + 1, dtype=torch.float32) / n
    mids = (edges[:-1] + edges[1:]) / 2
    heights = f(mids)
    starts, ends = edges[:-1].clone(), edges[1:].clone()
    starts[0] = -1 / n
    ends[-1] = 1 + 1 / n
    hidden = nn.Linear(1, 2 * n)
    output = nn.Linear(2 * n, 1)
    with torch.no_grad():
        hidden.weight.fill_(w)
        hidden.bias.copy_(torch.cat((-w * starts, -w * ends)))
        output.weight.copy_(torch.cat((heights, -heights))[None, :])
        output.bias.zero_()
    return nn.Sequential(hidden, nn.Sigmoid(), output)


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    layers = []
    fan_in = 1
    for width in hidden:
        layers.append(nn.Linear(fan_in, width))
        layers.append(nn.ReLU())
        fan_in = width
    layers.append(nn.Linear(fan_in, 1))
    net = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    criterion = nn.MSELoss()
    losses = []
    for it in range(steps):
        x = torch.rand(BATCH, 1)
        target = f(x)
        optimizer.zero_grad()
        loss = criterion(net(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if (it + 1) % PRINT_EVERY == 0:
            print(f"iter {it + 1}: mse {loss.item():.5f}")
    return net, losses
