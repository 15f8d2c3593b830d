"""a4_vanishing. deep_mlp builds my own nn.Module with the Linear layers and the activations in two
ModuleLists (like the MLP class from lab 3), so the depth can be anything."""
import torch
import torch.nn as nn

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
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


class DeepMLP(nn.Module):
    def __init__(self, depth, width, activation, in_features, out_features):
        super().__init__()
        sizes = [in_features] + [width] * depth + [out_features]
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.acts = nn.ModuleList([ACTIVATIONS[activation]() for _ in range(depth)])

    def forward(self, x):
        for layer, act in zip(self.layers[:-1], self.acts):
            x = act(layer(x))
        return self.layers[-1](x)


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation: {activation}")
    if init not in INITS:
        raise ValueError(f"unknown init: {init}")
    model = DeepMLP(depth, width, activation, in_features, out_features)
    for layer in model.layers:
        _initialize(layer.weight, init)
        nn.init.zeros_(layer.bias)
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, 0, 1)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight)
    elif init == "kaiming_normal":
        nn.init.kaiming_normal_(weight, nonlinearity="relu")
    elif init == "kaiming_uniform":
        nn.init.kaiming_uniform_(weight, nonlinearity="relu")


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    loss_fn(model(x), y).backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    outputs = []
    handles = []
    for m in model.modules():
        if isinstance(m, tuple(ACTIVATIONS.values())):
            handles.append(m.register_forward_hook(lambda mod, inp, out: outputs.append((mod, out.detach()))))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return [{"mean": o.mean().item(), "std": o.std().item(), "saturated": saturated(m, o).float().mean().item()}
            for m, o in outputs]


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
            for x, y in train_loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x.view(x.size(0), -1)), y)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        correct = total = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x.view(x.size(0), -1)).argmax(1) == y).sum().item()
                total += y.numel()
        results[scheme] = {"losses": losses, "val_accuracy": correct / total,
                           "junction": model.layers[1].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(4 * (len(results) + 1), 3.5))
    for name, r in results.items():
        axes[0].plot(r["losses"], label=name)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].legend()
    for ax, (name, r) in zip(axes[1:], results.items()):
        ax.hist(r["junction"].flatten().numpy(), bins=40)
        ax.set_title(name)
    fig.tight_layout()
    return fig
