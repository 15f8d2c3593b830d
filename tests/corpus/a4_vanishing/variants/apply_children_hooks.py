"""Correct, written differently: a stable sigmoid from torch.exp in one where with clamped exponents,
an init table applied with model.apply, hooks on model.children() removed in a finally, pyplot's
figure.add_subplot, weights histogrammed with numpy arrays."""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU,
               "elu": nn.ELU, "hardsigmoid": nn.Hardsigmoid}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    e_neg = torch.exp(torch.clamp(-x, max=0.0))   # exp(-x) for x >= 0, else 1
    e_pos = torch.exp(torch.clamp(x, max=0.0))    # exp(x) for x < 0, else 1
    return torch.where(x >= 0, 1 / (1 + e_neg), e_pos / (1 + e_pos))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s - s * s


def tanh_prime(x):
    t = torch.tanh(x)
    return (1 - t) * (1 + t)


def _init_fn(init):
    def fn(module):
        if type(module) is nn.Linear:
            out_f, in_f = module.weight.shape
            if init == "zeros":
                nn.init.constant_(module.weight, 0.0)
            elif init == "normal":
                nn.init.normal_(module.weight, std=1.0)
            elif init.startswith("xavier"):
                getattr(nn.init, init + "_")(module.weight, gain=1.0)
            elif init == "kaiming_normal":
                nn.init.normal_(module.weight, std=math.sqrt(2.0 / in_f))
            else:
                nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return fn


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(activation)
    if init not in INITS:
        raise ValueError(init)
    model = nn.Sequential()
    n = in_features
    for _ in range(depth):
        model.append(nn.Linear(n, width))
        model.append(ACTIVATIONS[activation]())
        n = width
    model.append(nn.Linear(n, out_features))
    model.apply(_init_fn(init))
    return model


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    norms = []
    for module in model.children():
        if isinstance(module, nn.Linear):
            norms.append(module.weight.grad.pow(2).sum().sqrt().item())
    return norms


def activation_stats(model, x):
    records = []
    handles = []
    try:
        for module in model.children():
            if isinstance(module, tuple(ACTIVATIONS.values())):
                handles.append(module.register_forward_hook(
                    lambda m, i, o: records.append((isinstance(m, (nn.Sigmoid, nn.Hardsigmoid)),
                                                    isinstance(m, nn.Tanh), o.detach().clone()))))
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    stats = []
    for sigmoid_like, tanh_like, out in records:
        if sigmoid_like:
            mask = (out - 0.5).abs() > 0.49
        elif tanh_like:
            mask = out.abs() > 0.98
        else:
            mask = out <= 0
        stats.append(dict(mean=out.mean().item(), std=out.std().item(), saturated=mask.float().mean().item()))
    return stats


def _accuracy(model, loader):
    model.eval()
    right = seen = 0
    with torch.no_grad():
        for images, labels in loader:
            right += (model(images.reshape(images.shape[0], -1)).argmax(dim=1) == labels).sum().item()
            seen += labels.shape[0]
    return right / seen


def compare_initializers(schemes, activation, epochs, seed, loaders):
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        for _ in range(epochs):
            model.train()
            for images, labels in loaders[0]:
                opt.zero_grad()
                loss = loss_fn(model(images.reshape(images.shape[0], -1)), labels)
                loss.backward()
                opt.step()
                losses.append(loss.item())
        results[scheme] = {"losses": losses, "val_accuracy": _accuracy(model, loaders[1]),
                           "junction": model[-1].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    fig = plt.figure(figsize=(15, 3))
    n = len(results) + 1
    ax = fig.add_subplot(1, n, 1)
    for name, res in results.items():
        ax.plot(res["losses"], label=name)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.legend(loc="upper right")
    for k, (name, res) in enumerate(results.items(), start=2):
        h = fig.add_subplot(1, n, k)
        h.hist(res["junction"].detach().numpy().ravel(), bins="auto", edgecolor="white")
        h.set_title("init: " + name)
        h.set_xlabel("weight")
    return fig
