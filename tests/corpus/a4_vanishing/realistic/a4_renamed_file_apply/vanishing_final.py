"""Homework 4 (final version) -- vanishing gradients, activations and initializers compared."""

from functools import partial

import torch
import torch.nn as nn
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
    # 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) for x < 0, with the exponent clamped to <= 0
    e = torch.exp(torch.clamp(-x.abs(), max=0.0))
    return torch.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_prime(x):
    return 1.0 - torch.tanh(x).pow(2)


def _init_module(module, scheme):
    """Meant for model.apply: initializes every nn.Linear, leaves the activations alone."""
    if isinstance(module, nn.Linear):
        _initialize(module.weight, scheme)
        nn.init.constant_(module.bias, 0.0)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError("activation must be one of " + ", ".join(ACTIVATIONS))
    if init not in INITS:
        raise ValueError("init must be one of " + ", ".join(INITS))
    layers = []
    fan = in_features
    for _ in range(depth):
        layers.extend([nn.Linear(fan, width), ACTIVATIONS[activation]()])
        fan = width
    layers.append(nn.Linear(fan, out_features))
    model = nn.Sequential(*layers)
    model.apply(partial(_init_module, scheme=init))
    return model


def _initialize(weight, init):
    gain = nn.init.calculate_gain("linear")          # 1.0
    relu_gain = nn.init.calculate_gain("relu")       # sqrt(2)
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, mean=0.0, std=1.0)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight, gain=gain)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight, gain=gain)
    elif init == "kaiming_normal":
        fan_in = weight.shape[1]
        nn.init.normal_(weight, 0.0, relu_gain / fan_in ** 0.5)
    elif init == "kaiming_uniform":
        nn.init.kaiming_uniform_(weight, a=0, mode="fan_in", nonlinearity="relu")


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    norms = []
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            norms.append(module.weight.grad.norm(p="fro").item())
    return norms


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    stats = []
    handles = []

    def hook(module, inputs, output):
        a = output.detach()
        stats.append({"mean": a.mean().item(), "std": a.std().item(),
                      "saturated": saturated(module, a).sum().item() / a.numel()})

    for module in model.modules():
        if isinstance(module, tuple(ACTIVATIONS.values())):
            handles.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        while handles:
            handles.pop().remove()
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = nn.CrossEntropyLoss()
        losses = []
        for epoch in range(epochs):
            model.train()
            for batch, (X, y) in enumerate(train_loader):
                pred = model(X.reshape(X.shape[0], -1))
                loss = criterion(pred, y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        model.eval()
        correct, size = 0, 0
        with torch.no_grad():
            for X, y in val_loader:
                pred = model(X.reshape(X.shape[0], -1))
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()
                size += len(y)
        results[scheme] = {
            "losses": losses,
            "val_accuracy": correct / size,
            "junction": model[2].weight.detach().clone(),
            "model": model,
        }
    return results


def plot_comparison(results):
    fig, axs = plt.subplots(1, len(results) + 1, figsize=(4 * (len(results) + 1), 3.5), squeeze=False)
    ax = axs[0, 0]
    for scheme, res in results.items():
        ax.plot(res["losses"], label=scheme, linewidth=0.8)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.set_title("training loss")
    ax.legend()
    for j, (scheme, res) in enumerate(results.items(), start=1):
        axs[0, j].hist(res["junction"].numpy().reshape(-1), bins=40, alpha=0.8)
        axs[0, j].set_title(scheme)
        axs[0, j].set_xlabel("weight")
    fig.tight_layout()
    return fig
