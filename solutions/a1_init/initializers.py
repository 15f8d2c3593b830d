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
    # BEGIN SOLUTION compute fan_in and fan_out from tensor.shape
    if tensor.dim() < 2:
        raise ValueError("fan_in and fan_out need a tensor with at least 2 dimensions")
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    fan_in = tensor.shape[1] * receptive_field
    fan_out = tensor.shape[0] * receptive_field
    return fan_in, fan_out
    # END SOLUTION


def xavier_normal_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    # BEGIN SOLUTION fill tensor from a normal distribution with the Xavier std
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.normal_(0.0, std)
    # END SOLUTION


def xavier_uniform_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).

    U(-a, a) has variance a^2 / 3 = gain^2 * 2 / (fan_in + fan_out): the same variance as Xavier normal.
    """
    # BEGIN SOLUTION fill tensor from a uniform distribution with the Xavier bound
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)
    # END SOLUTION


def _fan(tensor, mode):
    """The fan that Kaiming initialization preserves: fan_in (forward pass) or fan_out (backward pass)."""
    # BEGIN SOLUTION pick fan_in or fan_out; ValueError for any other mode
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', not {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out
    # END SOLUTION


def kaiming_normal_(tensor, mode="fan_in"):
    """Fill ``tensor`` with samples of N(0, std^2), std = sqrt(2 / fan) (ReLU gain sqrt(2)).

    ``mode`` is "fan_in" (keeps the forward variance) or "fan_out" (keeps the backward variance);
    any other value raises ``ValueError``.
    """
    # BEGIN SOLUTION fill tensor from a normal distribution with the Kaiming std
    std = math.sqrt(2.0 / _fan(tensor, mode))
    with torch.no_grad():
        return tensor.normal_(0.0, std)
    # END SOLUTION


def kaiming_uniform_(tensor, mode="fan_in"):
    """Fill ``tensor`` with samples of U(-a, a), a = sqrt(6 / fan), so that Var = a^2 / 3 = 2 / fan."""
    # BEGIN SOLUTION fill tensor from a uniform distribution with the Kaiming bound
    bound = math.sqrt(6.0 / _fan(tensor, mode))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)
    # END SOLUTION


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
    # BEGIN SOLUTION initialize nn.Linear weights with the scheme and biases with the constant
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {sorted(SCHEMES)}")
    if isinstance(module, nn.Linear):
        SCHEMES[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
    # END SOLUTION
