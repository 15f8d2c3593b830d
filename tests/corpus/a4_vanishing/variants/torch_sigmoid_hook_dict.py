"""Correct, written differently: torch.sigmoid for the stable part, an OrderedDict Sequential, a
hook per activation that stores into a dict by name, population std, a ggplot style in a context."""
from collections import OrderedDict

import matplotlib.pyplot as plt
import torch
from torch import nn

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU,
               "elu": nn.ELU, "hardsigmoid": nn.Hardsigmoid}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")
_INIT = {
    "zeros": nn.init.zeros_,
    "normal": nn.init.normal_,
    "xavier_normal": nn.init.xavier_normal_,
    "xavier_uniform": nn.init.xavier_uniform_,
    "kaiming_normal": lambda w: nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu"),
    "kaiming_uniform": lambda w: nn.init.kaiming_uniform_(w, a=0),
}


def sigmoid(x):
    return torch.sigmoid(x)


def sigmoid_prime(x):
    return torch.sigmoid(x) * torch.sigmoid(-x)


def tanh_prime(x):
    return 1 - torch.tanh(x).pow(2)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    try:
        act, fill = ACTIVATIONS[activation], _INIT[init]
    except KeyError as exc:
        raise ValueError(f"unknown name {exc}") from None
    named = OrderedDict()
    n_in = in_features
    for i in range(depth):
        named[f"hidden{i}"] = nn.Linear(n_in, width)
        named[f"act{i}"] = act()
        n_in = width
    named["output"] = nn.Linear(n_in, out_features)
    for name, module in named.items():
        if isinstance(module, nn.Linear):
            fill(module.weight)
            nn.init.constant_(module.bias, 0.0)
    return nn.Sequential(named)


def layer_gradient_norms(model, x, y, loss_fn):
    for p in model.parameters():
        p.grad = None
    loss_fn(model(x), y).backward()
    return [torch.linalg.matrix_norm(p.grad).item() for n, p in model.named_parameters() if n.endswith("weight")]


def activation_stats(model, x):
    outs = {}
    handles = []
    for name, module in model.named_modules():
        if type(module) in ACTIVATIONS.values():
            def hook(m, inp, out, name=name):
                outs[name] = (m, out)
            handles.append(module.register_forward_hook(hook))
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    result = []
    for m, a in outs.values():
        if type(m) in (nn.Sigmoid, nn.Hardsigmoid):
            sat = (a - 0.5).abs().gt(0.49)
        elif type(m) is nn.Tanh:
            sat = a.abs().gt(0.98)
        else:
            sat = a.le(0)
        result.append({"mean": a.mean().item(), "std": a.std(unbiased=False).item(),
                       "saturated": sat.double().mean().item()})
    return result


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train, val = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = nn.CrossEntropyLoss()
        losses = []
        for _ in range(epochs):
            for images, labels in train:
                optimizer.zero_grad()
                loss = criterion(model(images.view(images.size(0), -1)), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        with torch.no_grad():
            preds = torch.cat([model(images.view(images.size(0), -1)).argmax(1) for images, _ in val])
            truth = torch.cat([labels for _, labels in val])
        results[scheme] = {"losses": losses, "val_accuracy": (preds == truth).float().mean().item(),
                           "junction": model.output.weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    with plt.style.context("ggplot"):
        fig, axes = plt.subplots(1, len(results) + 1, figsize=(16, 3))
        for scheme in results:
            axes[0].plot(results[scheme]["losses"], label=scheme, linewidth=0.8)
        axes[0].set_xlabel("iteration")
        axes[0].set_ylabel("training loss")
        axes[0].legend()
        for i, scheme in enumerate(results, start=1):
            axes[i].hist(results[scheme]["junction"].reshape(-1).tolist(), bins=25, color="C1")
            axes[i].set_title(scheme)
    return fig
