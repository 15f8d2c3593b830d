import math

import numpy as np
import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    """fan_in = in * prod(kernel), fan_out = out * prod(kernel)."""
    shape = np.array(tensor.shape)
    if shape.size < 2:
        raise ValueError(f"expected a weight with at least 2 dimensions, got shape {tuple(tensor.shape)}")
    receptive_field = np.prod(shape[2:])      # 1 for a Linear weight (empty product)
    fan_in = shape[1] * receptive_field
    fan_out = shape[0] * receptive_field
    return fan_in, fan_out


def _normal(tensor, std):
    with torch.no_grad():
        tensor.copy_(torch.randn(*tensor.shape) * std)
    return tensor


def _uniform(tensor, bound):
    with torch.no_grad():
        tensor.copy_((torch.rand(*tensor.shape) * 2.0 - 1.0) * bound)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _normal(tensor, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _uniform(tensor, gain * math.sqrt(6.0 / (fan_in + fan_out)))


def _fan(tensor, mode):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"mode should be 'fan_in' or 'fan_out', got {mode!r}")


def kaiming_normal_(tensor, mode="fan_in"):
    return _normal(tensor, math.sqrt(2.0 / _fan(tensor, mode)))


def kaiming_uniform_(tensor, mode="fan_in"):
    return _uniform(tensor, math.sqrt(6.0 / _fan(tensor, mode)))


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    initializer = {
        "xavier_normal": xavier_normal_,
        "xavier_uniform": xavier_uniform_,
        "kaiming_normal": kaiming_normal_,
        "kaiming_uniform": kaiming_uniform_,
    }.get(scheme)
    if initializer is None:
        raise ValueError(f"unknown scheme {scheme!r}")
    if isinstance(module, nn.Linear):
        initializer(module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
