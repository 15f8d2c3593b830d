"""Assignment a4_vanishing: vanishing gradients, activation functions and initializers compared.

You may use ``torch.nn.init`` here (a1_init was the from-scratch part). Everything runs on the CPU.
"""

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
    # TODO: a numerically stable sigmoid: only ever exponentiate -|x|
    raise NotImplementedError('a numerically stable sigmoid: only ever exponentiate -|x|')


def sigmoid_prime(x):
    """The derivative sigma'(x) = sigma(x) * (1 - sigma(x)); at most 0.25 (at x = 0)."""
    # TODO: use your sigmoid
    raise NotImplementedError('use your sigmoid')


def tanh_prime(x):
    """The derivative of tanh: 1 - tanh(x)^2; at most 1 (at x = 0)."""
    # TODO: one line with torch.tanh
    raise NotImplementedError('one line with torch.tanh')


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    """An ``nn.Sequential`` of ``depth`` hidden blocks Linear -> activation, then an output Linear.

    ``deep_mlp(2, 64, "relu", "kaiming_normal")`` is
    Linear(784, 64), ReLU, Linear(64, 64), ReLU, Linear(64, 10).
    ``activation`` is a key of ``ACTIVATIONS``; ``init`` one of ``INITS``, applied to the weight of
    every Linear (the output layer too): "zeros", "normal" (N(0, 1)), "xavier_normal",
    "xavier_uniform" (gain 1), "kaiming_normal", "kaiming_uniform" (std sqrt(2 / fan_in), bound
    sqrt(6 / fan_in)). Every bias is 0. Raise ``ValueError`` for an unknown activation or init.
    """
    # TODO: build the layers, then initialize every Linear
    raise NotImplementedError('build the layers, then initialize every Linear')


def _initialize(weight, init):
    """Fill one weight in place with the named scheme (a helper for ``deep_mlp``)."""
    # TODO: one torch.nn.init call per scheme
    raise NotImplementedError('one torch.nn.init call per scheme')


def layer_gradient_norms(model, x, y, loss_fn):
    """One forward and backward pass of ``loss_fn(model(x), y)``; the Frobenius norm of the gradient
    of every ``nn.Linear`` weight, input layer first, as a list of floats.

    Gradients left in ``.grad`` by earlier calls must not count; the parameters must not change.
    """
    # TODO: zero the old gradients, backward once, read every Linear weight's .grad
    raise NotImplementedError("zero the old gradients, backward once, read every Linear weight's .grad")


def saturated(module, output):
    """Which entries of an activation's ``output`` count as saturated (a bool tensor).

    Sigmoid-like (nn.Sigmoid, nn.Hardsigmoid): |a - 0.5| > 0.49, where sigma' is below 0.01.
    nn.Tanh: |a| > 0.98. ReLU family (nn.ReLU, nn.LeakyReLU, nn.ELU): a <= 0 (ReLU: exactly 0).
    """
    # TODO: one rule per family
    raise NotImplementedError('one rule per family')


def activation_stats(model, x):
    """Statistics of every activation module's output (modules of the types in ``ACTIVATIONS``), in
    forward order, for one forward pass of ``x`` without a graph:
    ``[{"mean": float, "std": float, "saturated": fraction of saturated entries}, ...]``.

    Collect the outputs with forward hooks, and remove every hook before returning.
    """
    # TODO: register a forward hook on each activation, run forward, remove the hooks
    raise NotImplementedError('register a forward hook on each activation, run forward, remove the hooks')


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
    # TODO: one training run per scheme, from the same seed
    raise NotImplementedError('one training run per scheme, from the same seed')


def plot_comparison(results):
    """The lecture's figure, from what ``compare_initializers`` returned: a
    ``matplotlib.figure.Figure`` with 1 + len(results) axes, in this order:

    - the loss curves: one line per scheme (``label=scheme``, one point per iteration), a legend,
      and axis labels ("iteration", "loss");
    - one histogram per scheme of its 2nd-junction weights (``ax.hist``, bars), titled with the
      scheme's name.

    Return the figure; do not call ``plt.show()``.
    """
    # TODO: one row of axes: the losses, then a histogram per scheme
    raise NotImplementedError('one row of axes: the losses, then a histogram per scheme')
