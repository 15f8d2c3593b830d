"""Xavier / Kaiming init from scratch (second download of the starter file, hence the " (1)")."""

import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    """Return ``(fan_in, fan_out)`` for a weight of shape ``(out, in, *kernel)``."""
    if tensor.dim() < 2:
        raise ValueError("fan_in_and_fan_out needs at least 2 dimensions")
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fill_uniform(tensor, bound):
    # U(-a, a) from U(0, 1): scale to [0, 2a) and shift by -a
    with torch.no_grad():
        tensor.uniform_(0.0, 1.0).mul_(2 * bound).sub_(bound)
    return tensor


def _fill_normal(tensor, std):
    with torch.no_grad():
        tensor.normal_().mul_(std)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _fill_normal(tensor, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _fill_uniform(tensor, gain * math.sqrt(6.0 / (fan_in + fan_out)))


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', not {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_normal_(tensor, mode="fan_in"):
    return _fill_normal(tensor, math.sqrt(2.0 / _fan(tensor, mode)))


def kaiming_uniform_(tensor, mode="fan_in"):
    return _fill_uniform(tensor, math.sqrt(6.0 / _fan(tensor, mode)))


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    """For model.apply: nn.Linear weights get the scheme, their biases the constant."""
    schemes = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
               "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}
    if scheme not in schemes:
        raise ValueError(f"unknown scheme {scheme!r}")
    if isinstance(module, nn.Linear):
        schemes[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
