"""Final version (initializers_old.py is my first try, kept for comparison)."""
import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("a weight has at least 2 dimensions (out, in, *kernel)")
    kernel = 1
    for k in tensor.shape[2:]:
        kernel *= k
    return tensor.shape[1] * kernel, tensor.shape[0] * kernel


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    with torch.no_grad():
        return tensor.normal_(0, gain * math.sqrt(2 / (fan_in + fan_out)))


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(mode)
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_normal_(tensor, mode="fan_in"):
    with torch.no_grad():
        return tensor.normal_(0, math.sqrt(2 / _fan(tensor, mode)))


def kaiming_uniform_(tensor, mode="fan_in"):
    a = math.sqrt(6 / _fan(tensor, mode))
    with torch.no_grad():
        return tensor.uniform_(-a, a)


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    fill = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
            "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}
    if scheme not in fill:
        raise ValueError(scheme)
    if isinstance(module, nn.Linear):
        fill[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
