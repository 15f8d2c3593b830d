# vanishing.py -- training loop in the style of Karpathy's makemore videos
# (minibatch, forward, backward, update by hand, track stats)

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
    # exp of -|x| only
    e = torch.exp(-x.abs())
    return torch.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_prime(x):
    return 1.0 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(activation)
    if init not in INITS:
        raise ValueError(init)
    layers = [nn.Linear(in_features, width), ACTIVATIONS[activation]()] if depth > 0 else []
    for _ in range(depth - 1):
        layers += [nn.Linear(width, width), ACTIVATIONS[activation]()]
    layers += [nn.Linear(width if depth > 0 else in_features, out_features)]
    for layer in layers:
        if isinstance(layer, nn.Linear):
            _initialize(layer.weight, init)
            nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight)
    elif init.startswith("xavier"):
        (nn.init.xavier_normal_ if init.endswith("normal") else nn.init.xavier_uniform_)(weight)
    else:
        (nn.init.kaiming_normal_ if init.endswith("normal") else nn.init.kaiming_uniform_)(weight, nonlinearity="relu")


def layer_gradient_norms(model, x, y, loss_fn):
    for p in model.parameters():
        p.grad = None
    loss = loss_fn(model(x), y)
    loss.backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    seen = []
    handles = [m.register_forward_hook(lambda mod, inp, out: seen.append((mod, out.detach())))
               for m in model.modules() if isinstance(m, tuple(ACTIVATIONS.values()))]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return [{"mean": t.mean().item(), "std": t.std().item(), "saturated": saturated(m, t).float().mean().item()}
            for m, t in seen]


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    lr = 0.1
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        parameters = list(model.parameters())
        lossi = []
        for epoch in range(epochs):
            for Xb, Yb in train_loader:
                # forward pass
                logits = model(Xb.view(Xb.shape[0], -1))
                loss = F.cross_entropy(logits, Yb)
                # backward pass
                for p in parameters:
                    p.grad = None
                loss.backward()
                # update (plain SGD)
                for p in parameters:
                    p.data += -lr * p.grad
                # track stats
                lossi.append(loss.log10().item())
        with torch.no_grad():
            correct = total = 0
            for Xb, Yb in val_loader:
                correct += (model(Xb.view(Xb.shape[0], -1)).argmax(1) == Yb).sum().item()
                total += Yb.numel()
        results[scheme] = {"losses": lossi, "val_accuracy": correct / total,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, len(results) + 1, figsize=(16, 3.5))
    for name, res in results.items():
        ax[0].plot(res["losses"], label=name)
    ax[0].set_xlabel("iteration")
    ax[0].set_ylabel("loss")
    ax[0].legend()
    for a, (name, res) in zip(ax[1:], results.items()):
        a.hist(res["junction"].view(-1).tolist(), bins=50)
        a.set_title(name)
    return fig
