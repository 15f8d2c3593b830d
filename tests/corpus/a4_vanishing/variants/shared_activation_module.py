"""Correct, written differently: deep_mlp places one shared activation module after every hidden Linear
(as much public code does); the grader reads the network in the order its forward pass applies the modules."""

import torch
from torch import nn

#: The activation names ``deep_mlp`` accepts, and the torch.nn module each one stands for.
ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "hardsigmoid": nn.Hardsigmoid,
}
#: The initialization schemes ``deep_mlp`` accepts.
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    """sigma(x) = 1 / (1 + exp(-x)), elementwise, written with ``torch.exp``.

    Must stay finite (no NaN, no inf) for |x| up to 1e4: exp(x) overflows float32 above x ~ 88.
    """
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_prime(x):
    """The derivative sigma'(x) = sigma(x) * (1 - sigma(x)); at most 0.25 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_prime(x):
    """The derivative of tanh: 1 - tanh(x)^2; at most 1 (at x = 0)."""
    return 1.0 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    """One activation module, placed after every hidden Linear (it holds no parameters, so sharing it is
    the same network)."""
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError(f"unknown activation {activation!r} or init {init!r}")
    act = ACTIVATIONS[activation]()
    sizes = [in_features] + [width] * depth
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), act]
    model = nn.Sequential(*layers, nn.Linear(sizes[-1], out_features))
    for module in model.modules():
        if isinstance(module, nn.Linear):
            _initialize(module.weight, init)
            nn.init.zeros_(module.bias)
    return model


def _initialize(weight, init):
    """Fill one weight in place with the named scheme (a helper for ``deep_mlp``)."""
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


def layer_gradient_norms(model, x, y, loss_fn):
    """One forward and backward pass of ``loss_fn(model(x), y)``; the Frobenius norm of the gradient
    of every ``nn.Linear`` weight, input layer first, as a list of floats.

    Gradients left in ``.grad`` by earlier calls must not count; the parameters must not change.
    """
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return [module.weight.grad.norm().item() for module in model.modules() if isinstance(module, nn.Linear)]


def saturated(module, output):
    """Which entries of an activation's ``output`` count as saturated (a bool tensor).

    Sigmoid-like (nn.Sigmoid, nn.Hardsigmoid): |a - 0.5| > 0.49, where sigma' is below 0.01.
    nn.Tanh: |a| > 0.98. ReLU family (nn.ReLU, nn.LeakyReLU, nn.ELU): a <= 0 (ReLU: exactly 0).
    """
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    """Statistics of every activation module's output (modules of the types in ``ACTIVATIONS``), in
    forward order, for one forward pass of ``x`` without a graph:
    ``[{"mean": float, "std": float, "saturated": fraction of saturated entries}, ...]``.

    Collect the outputs with forward hooks, and remove every hook before returning.
    """
    outputs = []
    handles = [module.register_forward_hook(lambda m, inputs, out: outputs.append((m, out.detach())))
               for module in model.modules() if isinstance(module, tuple(ACTIVATIONS.values()))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return [{"mean": out.mean().item(), "std": out.std().item(),
             "saturated": saturated(module, out).float().mean().item()} for module, out in outputs]


def compare_initializers(schemes, activation, epochs, seed, loaders):
    """The lecture's comparison: train ``deep_mlp(1, 200, activation, scheme)`` (784 -> 200 -> 10)
    once per scheme and report how each one learned.

    ``loaders`` is ``(train_loader, val_loader)``, batches of images (B, 1, 28, 28) and labels;
    flatten each batch to (B, 784). For each scheme: ``torch.manual_seed(seed)``, build the model,
    train ``epochs`` epochs with ``torch.optim.SGD(lr=0.1)`` and cross-entropy, then measure the
    accuracy on ``val_loader``. Returns ``{scheme: {"losses": [loss of every iteration],
    "val_accuracy": float, "junction": the 2nd junction's weights (200 -> 10, shape (10, 200)),
    "model": the trained model}}``.
    """
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        model.train()
        for _ in range(epochs):
            for images, labels in train_loader:
                optimizer.zero_grad()
                loss = loss_fn(model(images.reshape(len(images), -1)), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        model.eval()
        correct, seen = 0, 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images.reshape(len(images), -1)).argmax(dim=1) == labels).sum().item()
                seen += len(labels)
        results[scheme] = {"losses": losses, "val_accuracy": correct / seen,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    """The lecture's figure, from what ``compare_initializers`` returned: a
    ``matplotlib.figure.Figure`` with 1 + len(results) axes, in this order:

    - the loss curves: one line per scheme (``label=scheme``, one point per iteration), a legend,
      and axis labels ("iteration", "loss");
    - one histogram per scheme of its 2nd-junction weights (``ax.hist``, bars), titled with the
      scheme's name.

    Return the figure; do not call ``plt.show()``.
    """
    import matplotlib.pyplot as plt  # imported here: it takes 0.7 s, and only this function needs it

    fig, axes = plt.subplots(1, 1 + len(results), figsize=(4 * (1 + len(results)), 3.5))
    curves = axes[0]
    for scheme, result in results.items():
        curves.plot(result["losses"], label=scheme)
    curves.set_xlabel("iteration")
    curves.set_ylabel("loss")
    curves.set_title("training loss")
    curves.legend()
    for ax, (scheme, result) in zip(axes[1:], results.items()):
        ax.hist(result["junction"].flatten().numpy(), bins=40)
        ax.set_title(scheme)
        ax.set_xlabel("weight of the 2nd junction")
    fig.tight_layout()
    return fig
