"""Correct, written differently: every initializer draws from a private generator seeded from a salted
draw of the global RNG (so torch.manual_seed still reproduces it); normal values by interleaved
Box-Muller pairs (neighbours in memory share one radius), uniform values by inverse scaling of rand."""
import math

import torch
from torch import nn

_SALT = 0x5DEECE66D


def fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("needs a weight with 2 or more dimensions")
    receptive = 1
    for k in tensor.shape[2:]:
        receptive *= int(k)
    return int(tensor.shape[1]) * receptive, int(tensor.shape[0]) * receptive


def _generator():
    seed = int(torch.randint(0, 2**62, (1,))) ^ _SALT
    return torch.Generator().manual_seed(seed)


def _normal(n, generator):
    pairs = (n + 1) // 2
    u1 = 1.0 - torch.rand(pairs, dtype=torch.float64, generator=generator)
    u2 = torch.rand(pairs, dtype=torch.float64, generator=generator)
    radius = torch.sqrt(-2.0 * torch.log(u1))
    z = torch.stack([radius * torch.cos(2 * math.pi * u2), radius * torch.sin(2 * math.pi * u2)], dim=1)
    return z.flatten()[:n]


def _fill_normal(tensor, std):
    with torch.no_grad():
        tensor.copy_((_normal(tensor.numel(), _generator()) * std).reshape(tensor.shape))
    return tensor


def _fill_uniform(tensor, bound):
    with torch.no_grad():
        u = torch.rand(tensor.shape, dtype=torch.float64, generator=_generator())
        tensor.copy_(u * 2 * bound - bound)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _fill_normal(tensor, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return _fill_uniform(tensor, gain * math.sqrt(6.0 / (fan_in + fan_out)))


def _fan(tensor, mode):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"unknown mode {mode!r}")


def kaiming_normal_(tensor, mode="fan_in"):
    return _fill_normal(tensor, math.sqrt(2.0 / _fan(tensor, mode)))


def kaiming_uniform_(tensor, mode="fan_in"):
    return _fill_uniform(tensor, math.sqrt(6.0 / _fan(tensor, mode)))


_SCHEMES = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
            "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if scheme not in _SCHEMES:
        raise ValueError(scheme)
    if type(module) is nn.Linear or isinstance(module, nn.Linear):
        _SCHEMES[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
