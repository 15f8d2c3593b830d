"""HW4 vanishing gradients.

layer_gradient_norms does not read .grad at all: for y = x W^T + b the weight gradient is
dL/dW = (dL/dy)^T x, so a forward hook keeps each Linear's input x and a full backward hook its
output gradient dL/dy. Gradients left in .grad from earlier calls therefore cannot leak in.
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
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError(f"unknown activation {activation!r} or init {init!r}")
    layers = []
    for i in range(depth):
        layers.append(nn.Linear(in_features if i == 0 else width, width))
        layers.append(ACTIVATIONS[activation]())
    layers.append(nn.Linear(width if depth else in_features, out_features))
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear):
            _initialize(m.weight, init)
            nn.init.zeros_(m.bias)
    return model


def _initialize(weight, init):
    {
        "zeros": lambda w: nn.init.zeros_(w),
        "normal": lambda w: nn.init.normal_(w, 0.0, 1.0),
        "xavier_normal": lambda w: nn.init.xavier_normal_(w),
        "xavier_uniform": lambda w: nn.init.xavier_uniform_(w),
        "kaiming_normal": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
        "kaiming_uniform": lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
    }[init](weight)


def layer_gradient_norms(model, x, y, loss_fn):
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    inputs, grad_outputs = {}, {}

    def keep_input(module, args, output):
        inputs[module] = args[0].detach()

    def keep_grad(module, grad_input, grad_output):
        grad_outputs[module] = grad_output[0].detach()

    handles = []
    for m in linears:
        handles.append(m.register_forward_hook(keep_input))
        handles.append(m.register_full_backward_hook(keep_grad))
    try:
        loss = loss_fn(model(x), y)
        loss.backward()
    finally:
        for h in handles:
            h.remove()
    norms = []
    for m in linears:
        g, a = grad_outputs[m], inputs[m]
        grad_w = g.reshape(-1, g.shape[-1]).T @ a.reshape(-1, a.shape[-1])
        norms.append(grad_w.norm().item())
    return norms


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    outs = []
    handles = [m.register_forward_hook(lambda m, a, o: outs.append((m, o)))
               for m in model.modules() if isinstance(m, tuple(ACTIVATIONS.values()))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return [{"mean": o.mean().item(), "std": o.std().item(), "saturated": saturated(m, o).float().mean().item()}
            for m, o in outs]


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
                optimizer.zero_grad()
                loss = loss_fn(model(images.view(len(images), -1)), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        correct = seen = 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images.view(len(images), -1)).argmax(1) == labels).sum().item()
                seen += len(labels)
        results[scheme] = {"losses": losses, "val_accuracy": correct / seen,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(4 * len(results) + 4, 3.5))
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
