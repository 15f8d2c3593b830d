# HW4 -- vanishing gradients
# I wrote the sigmoid the way it is in my logistic regression notes: e^x / (1 + e^x).
# Everything else follows the handout; nn.init does the initializers.

import torch
from torch import nn
import matplotlib.pyplot as plt

ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "hardsigmoid": nn.Hardsigmoid,
}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    ex = torch.exp(x)
    return ex / (1 + ex)


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x).pow(2)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError("unknown activation: " + str(activation))
    if init not in INITS:
        raise ValueError("unknown init: " + str(init))
    blocks = []
    fan_in = in_features
    for _ in range(depth):
        blocks.append(nn.Linear(fan_in, width))
        blocks.append(ACTIVATIONS[activation]())
        fan_in = width
    blocks.append(nn.Linear(fan_in, out_features))
    net = nn.Sequential(*blocks)
    for layer in net:
        if isinstance(layer, nn.Linear):
            _initialize(layer.weight, init)
            nn.init.zeros_(layer.bias)
    return net


def _initialize(weight, init):
    # nn.init has a function for each name: zeros_, normal_ (mean 0, std 1 by default),
    # xavier_*_ (gain 1), kaiming_*_ (defaults: fan_in, gain sqrt(2))
    getattr(nn.init, init + "_")(weight)


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    norms = []
    for m in model.modules():
        if isinstance(m, nn.Linear):
            norms.append(m.weight.grad.norm().item())
    return norms


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    kinds = tuple(ACTIVATIONS.values())
    recorded = []
    handles = []

    def hook(module, inputs, output):
        recorded.append((module, output.detach()))

    for m in model.modules():
        if isinstance(m, kinds):
            handles.append(m.register_forward_hook(hook))
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    stats = []
    for m, out in recorded:
        stats.append({
            "mean": out.mean().item(),
            "std": out.std().item(),
            "saturated": saturated(m, out).float().mean().item(),
        })
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = nn.CrossEntropyLoss()
        losses = []
        for epoch in range(epochs):
            model.train()
            for X, y in train_loader:
                X = X.view(X.size(0), -1)
                opt.zero_grad()
                loss = criterion(model(X), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
        model.eval()
        n_correct = 0
        n_total = 0
        with torch.no_grad():
            for X, y in val_loader:
                pred = model(X.view(X.size(0), -1)).argmax(1)
                n_correct += (pred == y).sum().item()
                n_total += y.size(0)
        results[scheme] = {
            "losses": losses,
            "val_accuracy": n_correct / n_total,
            "junction": model[2].weight.detach().clone(),
            "model": model,
        }
    return results


def plot_comparison(results):
    n = len(results)
    fig, axs = plt.subplots(1, n + 1, figsize=(4 * (n + 1), 3))
    for name, res in results.items():
        axs[0].plot(res["losses"], label=name)
    axs[0].set_xlabel("iteration")
    axs[0].set_ylabel("loss")
    axs[0].legend()
    for ax, (name, res) in zip(axs[1:], results.items()):
        ax.hist(res["junction"].flatten().numpy(), bins=50)
        ax.set_title(name)
    fig.tight_layout()
    return fig
