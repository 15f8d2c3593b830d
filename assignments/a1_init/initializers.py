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
    # TODO: compute fan_in and fan_out from tensor.shape
    raise NotImplementedError('compute fan_in and fan_out from tensor.shape')


def xavier_normal_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    # TODO: fill tensor from a normal distribution with the Xavier std
    raise NotImplementedError('fill tensor from a normal distribution with the Xavier std')


def xavier_uniform_(tensor, gain=1.0):
    """Fill ``tensor`` with samples of U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).

    U(-a, a) has variance a^2 / 3 = gain^2 * 2 / (fan_in + fan_out): the same variance as Xavier normal.
    """
    # TODO: fill tensor from a uniform distribution with the Xavier bound
    raise NotImplementedError('fill tensor from a uniform distribution with the Xavier bound')


def _fan(tensor, mode):
    """The fan that Kaiming initialization preserves: fan_in (forward pass) or fan_out (backward pass)."""
    # TODO: pick fan_in or fan_out; ValueError for any other mode
    raise NotImplementedError('pick fan_in or fan_out; ValueError for any other mode')


def kaiming_normal_(tensor, mode="fan_in"):
    """Fill ``tensor`` with samples of N(0, std^2), std = sqrt(2 / fan) (ReLU gain sqrt(2)).

    ``mode`` is "fan_in" (keeps the forward variance) or "fan_out" (keeps the backward variance);
    any other value raises ``ValueError``.
    """
    # TODO: fill tensor from a normal distribution with the Kaiming std
    raise NotImplementedError('fill tensor from a normal distribution with the Kaiming std')


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
    # TODO: initialize nn.Linear weights with the scheme and biases with the constant
    raise NotImplementedError('initialize nn.Linear weights with the scheme and biases with the constant')
