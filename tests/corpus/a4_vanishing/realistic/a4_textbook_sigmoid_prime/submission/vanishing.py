"""Assignment a4_vanishing.

sigma'(x) derived by hand:  d/dx (1 + e^-x)^-1 = e^-x / (1 + e^-x)^2.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

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
    # two formulas, each safe on its own side of 0
    pos = 1.0 / (1.0 + torch.exp(-x))
    neg = torch.exp(x) / (1.0 + torch.exp(x))
    return torch.where(x >= 0, pos, neg)


def sigmoid_prime(x):
    e = torch.exp(-x)
    return e / (1.0 + e) ** 2


def tanh_prime(x):
    return 1.0 - torch.tanh(x) * torch.tanh(x)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError(f"deep_mlp: bad activation {activation!r} or init {init!r}")
    sizes = [in_features] + [width] * depth
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [nn.Linear(a, b), ACTIVATIONS[activation]()]
    layers.append(nn.Linear(sizes[-1], out_features))
    model = nn.Sequential(*layers)

    def init_fn(m):
        if type(m) == nn.Linear:
            _initialize(m.weight, init)
            m.bias.data.fill_(0.0)

    model.apply(init_fn)
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.constant_(weight, 0.0)
    elif init == "normal":
        nn.init.normal_(weight, 0.0, 1.0)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight, gain=1.0)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight, gain=1.0)
    elif init == "kaiming_normal":
        nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu")
    elif init == "kaiming_uniform":
        nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu")
    else:
        raise ValueError(init)


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    loss_fn(model(x), y).backward()
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return [float(torch.linalg.norm(m.weight.grad)) for m in linears]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return torch.abs(output - 0.5) > 0.49
    elif isinstance(module, nn.Tanh):
        return torch.abs(output) > 0.98
    else:  # ReLU, LeakyReLU, ELU
        return output <= 0


def activation_stats(model, x):
    stats = []

    def record(module, inputs, output):
        stats.append({"mean": output.mean().item(),
                      "std": output.std().item(),
                      "saturated": saturated(module, output).float().mean().item()})

    handles = [m.register_forward_hook(record) for m in model.modules()
               if isinstance(m, tuple(ACTIVATIONS.values()))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    out = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        net = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
        history = []
        for _ in range(epochs):
            for images, labels in train_loader:
                logits = net(torch.flatten(images, 1))
                loss = F.cross_entropy(logits, labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                history.append(loss.item())
        correct = total = 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (net(torch.flatten(images, 1)).argmax(dim=1) == labels).sum().item()
                total += len(labels)
        out[scheme] = {"losses": history, "val_accuracy": correct / total,
                       "junction": net[2].weight.detach().clone(), "model": net}
    return out


def plot_comparison(results):
    import matplotlib.pyplot as plt

    k = len(results)
    fig = plt.figure(figsize=(3.5 * (k + 1), 3))
    ax = fig.add_subplot(1, k + 1, 1)
    for name, r in results.items():
        ax.plot(range(len(r["losses"])), r["losses"], label=name)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.legend(fontsize="small")
    for i, (name, r) in enumerate(results.items()):
        h = fig.add_subplot(1, k + 1, i + 2)
        h.hist(r["junction"].reshape(-1).tolist(), bins=40, color="C%d" % i)
        h.set_title(name)
    return fig
