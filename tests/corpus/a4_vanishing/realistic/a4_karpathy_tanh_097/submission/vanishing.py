"""HW4: vanishing gradients.

activation_stats follows the "visualize the forward pass activations" cell of Karpathy's
makemore part 3 (mean, std and % saturated of every tanh layer), done with forward hooks.
"""
import torch
from torch import nn

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
    return torch.where(x < 0, z / (1 + z), 1 / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation}")
    if init not in INITS:
        raise ValueError(f"unknown init {init}")
    act = ACTIVATIONS[activation]
    dims = [in_features] + [width] * depth + [out_features]
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < depth:
            layers.append(act())
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            _initialize(layer.weight, init)
            nn.init.zeros_(layer.bias)
    return model


def _initialize(weight, init):
    table = {
        "zeros": nn.init.zeros_,
        "normal": lambda w: nn.init.normal_(w, 0.0, 1.0),
        "xavier_normal": nn.init.xavier_normal_,
        "xavier_uniform": nn.init.xavier_uniform_,
        "kaiming_normal": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
        "kaiming_uniform": lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
    }
    table[init](weight)


def layer_gradient_norms(model, x, y, loss_fn):
    for p in model.parameters():
        p.grad = None
    loss = loss_fn(model(x), y)
    loss.backward()
    return [layer.weight.grad.norm().item() for layer in model.modules() if isinstance(layer, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.97          # as in the lecture notebook: |t| > 0.97 is a saturated tanh
    return output <= 0


def activation_stats(model, x):
    outs = []
    handles = []
    for layer in model.modules():
        if isinstance(layer, tuple(ACTIVATIONS.values())):
            handles.append(layer.register_forward_hook(lambda m, inp, out: outs.append((m, out))))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    stats = []
    for i, (layer, t) in enumerate(outs):
        sat = saturated(layer, t).float().mean().item()
        # print('layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%' % (i, layer.__class__.__name__, t.mean(), t.std(), sat * 100))
        stats.append({"mean": t.mean().item(), "std": t.std().item(), "saturated": sat})
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    loss_fn = nn.CrossEntropyLoss()
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        lossi = []
        for _ in range(epochs):
            for xb, yb in train_loader:
                loss = loss_fn(model(xb.flatten(start_dim=1)), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                lossi.append(loss.item())
        model.eval()
        with torch.no_grad():
            right = sum((model(xb.flatten(start_dim=1)).argmax(1) == yb).sum().item() for xb, yb in val_loader)
            count = sum(len(yb) for _, yb in val_loader)
        results[scheme] = {"losses": lossi, "val_accuracy": right / count,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(18, 4))
    legends = []
    for name, r in results.items():
        axes[0].plot(r["losses"], label=name)
        legends.append(name)
    axes[0].legend(legends)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    for ax, (name, r) in zip(axes[1:], results.items()):
        ax.hist(r["junction"].flatten().tolist(), bins=50)
        ax.set_title(name)
    return fig
