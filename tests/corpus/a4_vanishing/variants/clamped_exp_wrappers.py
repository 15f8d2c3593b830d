"""Correct, written differently: 1/(1+exp(-x)) with clamping, derivatives from exp, model.apply for the init,
torch.autograd.grad for the norms, module wrappers instead of hooks, matplotlib's object-oriented Figure
(no pyplot) with bars from torch.histogram."""
import math

import torch
import torch.nn as nn
from matplotlib.figure import Figure

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU,
               "elu": nn.ELU, "hardsigmoid": nn.Hardsigmoid}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    return 1 / (1 + torch.exp(-x.clamp(-80, 80)))


def sigmoid_prime(x):
    e = torch.exp(-x.abs().clamp(max=80))
    return e / (1 + e) ** 2


def tanh_prime(x):
    return 4 * sigmoid_prime(2 * x)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError("unknown activation or init")
    sizes = [in_features] + [width] * depth + [out_features]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < depth:
            layers.append(ACTIVATIONS[activation]())
    model = nn.Sequential(*layers)

    def fill(m):
        if not isinstance(m, nn.Linear):
            return
        fan_out, fan_in = m.weight.shape
        with torch.no_grad():
            m.bias.zero_()
            if init == "zeros":
                m.weight.zero_()
            elif init == "normal":
                m.weight.normal_()
            elif init == "xavier_normal":
                m.weight.normal_(0, math.sqrt(2 / (fan_in + fan_out)))
            elif init == "xavier_uniform":
                a = math.sqrt(6 / (fan_in + fan_out))
                m.weight.uniform_(-a, a)
            elif init == "kaiming_normal":
                m.weight.normal_(0, math.sqrt(2 / fan_in))
            else:
                a = math.sqrt(6 / fan_in)
                m.weight.uniform_(-a, a)

    model.apply(fill)
    return model


def layer_gradient_norms(model, x, y, loss_fn):
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    grads = torch.autograd.grad(loss_fn(model(x), y), weights)
    return [float(torch.sqrt((g ** 2).sum())) for g in grads]


class _Recorder(nn.Module):
    def __init__(self, inner, sink):
        super().__init__()
        self.inner, self.sink = inner, sink

    def forward(self, x):
        out = self.inner(x)
        self.sink.append((self.inner, out))
        return out


def activation_stats(model, x):
    seen = []
    originals = {}
    for name, child in list(model.named_children()):
        if isinstance(child, tuple(ACTIVATIONS.values())):
            originals[name] = child
            setattr(model, name, _Recorder(child, seen))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for name, child in originals.items():
            setattr(model, name, child)
    stats = []
    for module, a in seen:
        if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
            flat = torch.logical_or(a < 0.01, a > 0.99)
        elif isinstance(module, nn.Tanh):
            flat = torch.logical_or(a < -0.98, a > 0.98)
        else:
            flat = a <= 0
        stats.append({"mean": float(a.mean()), "std": float(a.std()), "saturated": flat.sum().item() / a.numel()})
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    out = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        net = deep_mlp(1, 200, activation, scheme)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        history = []
        for epoch in range(epochs):
            net.train()
            for xb, yb in train_loader:
                logits = net(xb.flatten(1))
                loss = nn.functional.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                history.append(float(loss))
        net.eval()
        hits = total = 0
        with torch.no_grad():
            for xb, yb in val_loader:
                hits += int((net(xb.flatten(1)).argmax(1) == yb).sum())
                total += yb.numel()
        linears = [m for m in net if isinstance(m, nn.Linear)]
        out[scheme] = {"losses": history, "val_accuracy": hits / total,
                       "junction": linears[1].weight.detach().clone(), "model": net}
    return out


def plot_comparison(results):
    fig = Figure(figsize=(3 * (len(results) + 1), 3))
    axes = fig.subplots(1, len(results) + 1)
    for scheme, r in results.items():
        axes[0].plot(range(1, len(r["losses"]) + 1), r["losses"], label=scheme)
    axes[0].set(xlabel="iteration", ylabel="cross-entropy loss", title="loss per iteration")
    axes[0].legend(fontsize=6)
    for ax, (scheme, r) in zip(axes[1:], results.items()):
        counts, edges = torch.histogram(r["junction"].flatten().double(), bins=30)
        ax.bar(edges[:-1].numpy(), counts.numpy(), width=(edges[1:] - edges[:-1]).numpy(), align="edge")
        ax.set_title(f"{scheme} (2nd junction)")
    return fig
