# a4: vanishing gradients -- written along the lines of Karpathy's "makemore part 3"
# (activations & gradients, a look inside the network), ported to nn.Sequential.

import math

import torch
from torch import nn
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
    z = torch.exp(-x.abs())            # never overflows: the exponent is <= 0
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    t = torch.tanh(x)
    return 1 - t**2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}")
    layers = []
    n_in = in_features
    for _ in range(depth):
        layers += [nn.Linear(n_in, width), ACTIVATIONS[activation]()]
        n_in = width
    layers += [nn.Linear(n_in, out_features)]
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, nn.Linear):
                _initialize(layer.weight, init)
                layer.bias.zero_()
    return nn.Sequential(*layers)


def _initialize(weight, init):
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        if init == "zeros":
            weight.zero_()
        elif init == "normal":
            weight.normal_()
        elif init == "xavier_normal":
            nn.init.xavier_normal_(weight)
        elif init == "xavier_uniform":
            nn.init.xavier_uniform_(weight)
        elif init == "kaiming_normal":
            nn.init.kaiming_normal_(weight, nonlinearity="relu")
        else:
            bound = math.sqrt(6 / fan_in)
            weight.uniform_(-bound, bound)


def layer_gradient_norms(model, x, y, loss_fn):
    # forward, backward, then look at the grad of every weight matrix (2-d parameters)
    logits = model(x)
    loss = loss_fn(logits, y)
    loss.backward()
    return [p.grad.norm().item() for p in model.parameters() if p.ndim == 2]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    acts = []
    hooks = []
    for layer in model.modules():
        if isinstance(layer, tuple(ACTIVATIONS.values())):
            hooks.append(layer.register_forward_hook(lambda m, i, o: acts.append((m, o))))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    result = []
    for layer, t in acts:
        result.append(dict(mean=t.mean().item(), std=t.std().item(),
                           saturated=saturated(layer, t).float().mean().item()))
    return result


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        lossi = []
        for epoch in range(epochs):
            for Xb, Yb in train_loader:
                logits = model(Xb.view(-1, 784))
                loss = F.cross_entropy(logits, Yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                lossi.append(loss.item())
        with torch.no_grad():
            hits, seen = 0, 0
            for Xb, Yb in val_loader:
                hits += (model(Xb.view(-1, 784)).argmax(1) == Yb).sum().item()
                seen += Yb.shape[0]
        results[scheme] = {"losses": lossi, "val_accuracy": hits / seen,
                           "junction": model[2].weight.data.clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(20, 4))
    for name, r in results.items():
        axes[0].plot(r["losses"], label=name)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].legend()
    for ax, (name, r) in zip(axes[1:], results.items()):
        ax.hist(r["junction"].view(-1).numpy(), 50)
        ax.set_title(name)
    return fig
