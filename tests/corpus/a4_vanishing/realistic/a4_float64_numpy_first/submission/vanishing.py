"""a4 -- I keep everything in float64 like in numpy, so the tiny gradients of the deep sigmoid nets
are not rounded away; numpy for the bookkeeping (accuracy, histogram counts)."""
import numpy as np
import torch
from torch import nn

DTYPE = torch.float64

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
    z = torch.exp(-torch.abs(x))
    return torch.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_prime(x):
    return 1.0 - torch.square(torch.tanh(x))


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError("unknown activation %r" % (activation,))
    if init not in INITS:
        raise ValueError("unknown init %r" % (init,))
    widths = [in_features] + [width] * depth
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        layers.append(nn.Linear(n_in, n_out, dtype=DTYPE))
        layers.append(ACTIVATIONS[activation]())
    layers.append(nn.Linear(widths[-1], out_features, dtype=DTYPE))
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            _initialize(layer.weight, init)
            nn.init.zeros_(layer.bias)
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, mean=0.0, std=1.0)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight)
    elif init == "kaiming_normal":
        nn.init.kaiming_normal_(weight, nonlinearity="relu")
    else:
        nn.init.kaiming_uniform_(weight, nonlinearity="relu")


def _dtype_of(model):
    return next(model.parameters()).dtype


def layer_gradient_norms(model, x, y, loss_fn):
    dtype = _dtype_of(model)
    x = x.to(dtype)
    if y.is_floating_point():
        y = y.to(dtype)
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return [float(m.weight.grad.norm()) for m in model.modules() if isinstance(m, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    outputs = []
    handles = [m.register_forward_hook(lambda mod, args, out: outputs.append((mod, out.detach())))
               for m in model.modules() if isinstance(m, tuple(ACTIVATIONS.values()))]
    try:
        with torch.no_grad():
            model(x.to(_dtype_of(model)))
    finally:
        for h in handles:
            h.remove()
    return [{"mean": float(out.mean()), "std": float(out.std()),
             "saturated": float(saturated(mod, out).double().mean())} for mod, out in outputs]


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        for _ in range(epochs):
            for images, labels in train_loader:
                x = images.reshape(len(images), -1).to(DTYPE)
                optimizer.zero_grad()
                loss = loss_fn(model(x), labels)
                loss.backward()
                optimizer.step()
                losses.append(float(loss))
        predictions, truth = [], []
        with torch.no_grad():
            for images, labels in val_loader:
                x = images.reshape(len(images), -1).to(DTYPE)
                predictions.append(model(x).argmax(dim=1).numpy())
                truth.append(labels.numpy())
        accuracy = np.mean(np.concatenate(predictions) == np.concatenate(truth))
        results[scheme] = {"losses": losses, "val_accuracy": float(accuracy),
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(4.5 * (len(results) + 1), 3.5))
    for name, r in results.items():
        axes[0].plot(np.arange(len(r["losses"])), np.asarray(r["losses"]), label=name)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].legend()
    for ax, (name, r) in zip(axes[1:], results.items()):
        w = r["junction"].detach().numpy().ravel()
        ax.hist(w, bins=40)
        ax.set_title(name)
    return fig
