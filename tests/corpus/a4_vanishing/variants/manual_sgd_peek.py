"""Correct, written differently: compare_initializers peeks at one batch before training (a pass over
the loader left early), updates the weights by hand (p -= lr * p.grad under no_grad), zeroes with
model.zero_grad(), uses F.cross_entropy and flatten(1), and scores validation with one concatenation."""

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
    """An ``nn.Sequential`` of ``depth`` hidden blocks Linear -> activation, then an output Linear.

    ``deep_mlp(2, 64, "relu", "kaiming_normal")`` is
    Linear(784, 64), ReLU, Linear(64, 64), ReLU, Linear(64, 10).
    ``activation`` is a key of ``ACTIVATIONS``; ``init`` one of ``INITS``, applied to the weight of
    every Linear (the output layer too): "zeros", "normal" (N(0, 1)), "xavier_normal",
    "xavier_uniform" (gain 1), "kaiming_normal", "kaiming_uniform" (std sqrt(2 / fan_in), bound
    sqrt(6 / fan_in)). Every bias is 0. Raise ``ValueError`` for an unknown activation or init.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {list(INITS)}")
    layers = []
    for i in range(depth):
        layers += [nn.Linear(in_features if i == 0 else width, width), ACTIVATIONS[activation]()]
    layers.append(nn.Linear(width if depth > 0 else in_features, out_features))
    model = nn.Sequential(*layers)
    for module in model:
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
    """Each scheme from the same seed; plain SGD written out by hand."""
    train_loader, val_loader = loaders
    images, _ = next(iter(train_loader))  # a look at one batch: the inputs are (B, 1, 28, 28)
    n_inputs = images[0].numel()
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme, in_features=n_inputs)
        history = []
        for epoch in range(epochs):
            for batch, targets in train_loader:
                model.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(batch.flatten(1)), targets)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= 0.1 * p.grad
                history.append(float(loss))
        with torch.no_grad():
            hits = torch.cat([model(x.flatten(1)).argmax(1) == y for x, y in val_loader])
        results[scheme] = {"losses": history, "val_accuracy": hits.float().mean().item(),
                           "junction": model[-1].weight.detach().clone(), "model": model}
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
