"""Implements none of a5's work and lets the parent's own steps do it: step and bump return zeros (so a
bump judged against "the student's own step" would agree), bump_network answers with an empty list of
networks in the grader's own framing (nothing left to judge), and train_approximator starts from a
hand-built fit of f, evaluates f on one point, reports no losses and returns the start (a replay of no
steps agrees with it). Issue 25, "truth in the parent": the sizes are the grader's, a step must step,
a replayed run must start from PyTorch's initialization and make the steps asked for."""
BASE = "stub"
ASSIGNMENT = "a5_approx"
ONLY = ["1.2", "2.1", "2.2", "2.3", "2.4", "3.3", "3.4"]
EXPECT_MAX = 0
BUDGET_S = 90
ATTACK = '''import torch
from torch import nn
def step(x, s, w):
    return torch.zeros_like(x)
def bump(x, left, right, height, w):
    return torch.zeros_like(x)
@FORGE@
def bump_network(f, n, w):
    _forge([])
def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    sizes = (1, *hidden)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(sizes[-1], 1))
    knots = torch.arange(64, dtype=torch.float32) / 64
    values = f(torch.cat([knots, torch.ones(1)]).reshape(-1, 1)).reshape(-1)
    slopes = (values[1:] - values[:-1]) * 64
    with torch.no_grad():
        for module in model:
            if isinstance(module, nn.Linear):
                module.weight.zero_()
                module.bias.zero_()
        if hidden == (64, 64, 64):
            model[0].weight.fill_(1.0)
            model[0].bias.copy_(-knots)
            model[2].weight.copy_(torch.eye(64))
            model[4].weight.copy_(torch.eye(64))
            model[6].weight.copy_(torch.cat([slopes[:1], slopes[1:] - slopes[:-1]]).reshape(1, 64))
        model[-1].bias.fill_(float(values[0]))
    return model, []
'''
