"""Correct, written differently: sigmoid via tanh identity guarded by torch.exp, a Sequential built with
add_module, norms from named_modules, hooks that compute statistics inside the hook, a seaborn-free
'classic' style and step-free bar histograms with explicit bin edges."""
import torch
from torch import nn

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU,
               "elu": nn.ELU, "hardsigmoid": nn.Hardsigmoid}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    neg = x < 0
    z = torch.exp(torch.where(neg, x, -x))        # always exp of a non-positive number
    return torch.where(neg, z / (1 + z), 1 / (1 + z))


def sigmoid_prime(x):
    z = torch.exp(-x.abs())
    return z / (1 + z) / (1 + z)


def tanh_prime(x):
    return torch.cosh(x.clamp(-40, 40)).pow(-2)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError(f"bad activation/init: {activation}, {init}")
    model = nn.Sequential()
    dims = [in_features] + [width] * depth
    for i in range(depth):
        model.add_module(f"fc{i}", nn.Linear(dims[i], dims[i + 1]))
        model.add_module(f"{activation}{i}", ACTIVATIONS[activation]())
    model.add_module("out", nn.Linear(dims[-1], out_features))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            w = m.weight
            if init == "zeros":
                nn.init.zeros_(w)
            elif init == "normal":
                with torch.no_grad():
                    w.copy_(torch.randn_like(w))
            elif init == "xavier_normal":
                nn.init.xavier_normal_(w)
            elif init == "xavier_uniform":
                nn.init.xavier_uniform_(w)
            elif init == "kaiming_normal":
                nn.init.kaiming_normal_(w, nonlinearity="relu")
            else:
                nn.init.kaiming_uniform_(w, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    loss_fn(model(x), y).backward()
    return [float(m.weight.grad.norm(p="fro")) for _, m in model.named_modules() if isinstance(m, nn.Linear)]


def activation_stats(model, x):
    stats = []

    def hook(module, inputs, out):
        if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
            sat = ((out - 0.5).abs() > 0.49)
        elif isinstance(module, nn.Tanh):
            sat = out.abs() > 0.98
        else:
            sat = out <= 0
        stats.append({"mean": out.mean().item(), "std": out.std().item(), "saturated": sat.float().mean().item()})

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, tuple(ACTIVATIONS.values()))]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    res = {}
    for s in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, s)
        sgd = torch.optim.SGD(model.parameters(), lr=0.1)
        ce = nn.CrossEntropyLoss()
        curve = []
        for epoch in range(epochs):
            for x, y in train_loader:
                x = x.reshape(-1, 784)
                sgd.zero_grad()
                loss = ce(model(x), y)
                loss.backward()
                sgd.step()
                curve.append(loss.item())
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x.reshape(-1, 784)).argmax(-1) == y).sum().item()
        res[s] = {"losses": curve, "val_accuracy": correct / len(val_loader.dataset),
                  "junction": model.out.weight.detach().clone(), "model": model}
    return res


def plot_comparison(results):
    import matplotlib.pyplot as plt
    import numpy as np

    with plt.style.context("classic"):
        fig, axs = plt.subplots(1, 1 + len(results), figsize=(14, 3), squeeze=False)
        axs = axs[0]
        for s, r in results.items():
            axs[0].plot(np.arange(len(r["losses"])), np.array(r["losses"]), label=s)
        axs[0].set_xlabel("iteration")
        axs[0].set_ylabel("loss")
        axs[0].legend()
        for ax, (s, r) in zip(axs[1:], results.items()):
            w = r["junction"].numpy().ravel()
            ax.hist(w, bins=np.linspace(w.min(), w.max(), 21))
            ax.set_title(s)
    return fig
