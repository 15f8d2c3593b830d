"""Assignment a1_init: weight initialization from scratch.

Fill in every function below without calling anything in ``torch.nn.init``. Draw random numbers from
torch's global generator (``tensor.normal_``, ``tensor.uniform_``, ``torch.randn``, ``torch.rand``...)
so that ``torch.manual_seed`` makes your results reproducible. Each initializer fills the tensor in
place under ``torch.no_grad()`` and returns the same tensor object.
"""

import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    """Return ``(fan_in, fan_out)`` for a weight of shape ``(out, in, *kernel)``.

    fan_in  = in  * prod(kernel)
    fan_out = out * prod(kernel)

    A Linear weight has shape (out_features, in_features): no kernel, so the product is 1.
    Raise ``ValueError`` for tensors with fewer than 2 dimensions.
    """
    if len(tensor.shape) < 2:
        raise ValueError("at least 2 dims please")
    out_dim, in_dim, *kernel = tensor.shape
    k = math.prod(kernel)
    return in_dim * k, out_dim * k


def xavier_normal_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    with torch.no_grad():
        tensor.normal_(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).

    U(-a, a) has variance a^2 / 3 = gain^2 * 2 / (fan_in + fan_out): the same variance as Xavier normal.
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor


def _fan(tensor, mode):
    """The fan that Kaiming initialization preserves: fan_in (forward pass) or fan_out (backward pass)."""
    if mode == "fan_in":
        return fan_in_and_fan_out(tensor)[0]
    if mode == "fan_out":
        return fan_in_and_fan_out(tensor)[1]
    raise ValueError("mode must be fan_in or fan_out")


def kaiming_normal_(tensor, mode="fan_in"):
    """Fill ``tensor`` with samples of N(0, std^2), std = sqrt(2 / fan) (ReLU gain sqrt(2)).

    ``mode`` is "fan_in" (keeps the forward variance) or "fan_out" (keeps the backward variance);
    any other value raises ``ValueError``.
    """
    std = math.sqrt(2.0 / _fan(tensor, mode))
    with torch.no_grad():
        tensor.normal_(0.0, std)
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    """Fill ``tensor`` with samples of U(-a, a), a = sqrt(6 / fan), so that Var = a^2 / 3 = 2 / fan."""
    # TODO: fill tensor from a uniform distribution with the Kaiming bound
    raise NotImplementedError('fill tensor from a uniform distribution with the Kaiming bound')


SCHEMES = {
    "xavier_normal": xavier_normal_,
    "xavier_uniform": xavier_uniform_,
    "kaiming_normal": kaiming_normal_,
    "kaiming_uniform": kaiming_uniform_,
}


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    """Initialize one module; meant for ``model.apply(lambda m: init_weights(m, ...))``.

    An ``nn.Linear`` gets ``SCHEMES[scheme]`` on its weight and the constant ``bias`` on its bias
    (if it has one). Every other module is left untouched. Raise ``ValueError`` for an unknown scheme.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"no scheme called {scheme}")
    if isinstance(module, nn.Linear):
        SCHEMES[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
