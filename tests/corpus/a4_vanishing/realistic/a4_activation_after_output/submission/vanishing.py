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
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}")
    act = ACTIVATIONS[activation]()       # no parameters, so one module can be reused after every layer
    sizes = [in_features] + [width] * depth + [out_features]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), act]
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, nn.Linear):
            _initialize(m.weight, init)
            nn.init.zeros_(m.bias)
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, 0.0, 1.0)
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
    captured = []

    def hook(module, inputs, output):
        captured.append((module, output))

    handles = []
    for m in model.modules():
        if isinstance(m, tuple(ACTIVATIONS.values())):
            handles.append(m.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return [{"mean": o.mean().item(), "std": o.std().item(), "saturated": saturated(m, o).float().mean().item()}
            for m, o in captured]


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    loss_fn = nn.CrossEntropyLoss()
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        losses = []
        model.train()
        for epoch in range(epochs):
            for images, labels in train_loader:
                optimizer.zero_grad()
                loss = loss_fn(model(images.flatten(1)), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        model.eval()
        correct, count = 0, 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images.flatten(1)).argmax(1) == labels).sum().item()
                count += labels.numel()
        results[scheme] = {"losses": losses, "val_accuracy": correct / count,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 1 + len(results), figsize=(4 * (1 + len(results)), 3.5))
    for scheme, r in results.items():
        axes[0].plot(r["losses"], label=scheme)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].legend()
    for ax, (scheme, r) in zip(axes[1:], results.items()):
        ax.hist(r["junction"].flatten().numpy(), bins=40)
        ax.set_title(scheme)
    fig.tight_layout()
    return fig
