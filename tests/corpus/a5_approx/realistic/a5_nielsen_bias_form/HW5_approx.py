# HW5 -- universal approximation
#
# Following Nielsen, "Neural Networks and Deep Learning", chapter 4 ("A visual proof that neural
# nets can compute any function"): a hidden neuron sigma(w x + b) with a big weight is a step at
# s = -b / w.  I keep Nielsen's (w, b) form and get b from the step position.

import torch
import torch.nn as nn


def step(x, s, w):
    b = -w * s                      # the bias that puts the step at s
    return torch.sigmoid(w * x + b)


def bump(x, left, right, height, w):
    # Nielsen's "bump" = two neurons, output weights +h and -h
    up = step(x, left, w)
    down = step(x, right, w)
    return height * up - height * down


def neilson_example(x):
    return 0.2 + 0.4 * x * x + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)


def bump_network(f, n, w):
    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))
    with torch.no_grad():
        net[2].bias.zero_()
        for i in range(n):
            s_up = i / n
            s_down = (i + 1) / n
            if i == 0:
                s_up = -1 / n          # first bump already fully up at x = 0
            if i == n - 1:
                s_down = 1 + 1 / n     # last bump not yet down at x = 1
            h = f(torch.tensor((i + 0.5) / n)).item()
            # neuron 2i steps up, neuron 2i+1 steps down
            net[0].weight[2 * i, 0] = w
            net[0].weight[2 * i + 1, 0] = w
            net[0].bias[2 * i] = -w * s_up
            net[0].bias[2 * i + 1] = -w * s_down
            net[2].weight[0, 2 * i] = h
            net[2].weight[0, 2 * i + 1] = -h
    return net


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    sizes = [1] + list(hidden)
    layers = []
    for i in range(len(hidden)):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        layers.append(nn.ReLU())
    layers.append(nn.Linear(sizes[-1], 1))
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_function = nn.MSELoss()
    losses = []
    for t in range(steps):
        inputs = torch.rand(batch_size, 1)
        targets = f(inputs)
        predictions = model(inputs)
        loss = loss_function(predictions, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
