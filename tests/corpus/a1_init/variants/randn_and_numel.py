"""Correct, written differently: fans from shape[1:].numel(), torch.randn / torch.rand copied in."""
import math

import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if len(tensor.shape) < 2:
        raise ValueError("need at least 2 dims")
    fan_in = tensor.shape[1:].numel()
    fan_out = tensor.shape[0] * tensor.shape[2:].numel()
    return fan_in, fan_out


def _fill(tensor, values):
    with torch.no_grad():
        tensor.copy_(values)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    a, b = fan_in_and_fan_out(tensor)
    return _fill(tensor, torch.randn(tensor.shape) * (gain * (2 / (a + b)) ** 0.5))


def xavier_uniform_(tensor, gain=1.0):
    a, b = fan_in_and_fan_out(tensor)
    limit = gain * (6 / (a + b)) ** 0.5
    return _fill(tensor, (torch.rand(tensor.shape) * 2 - 1) * limit)


def _pick(tensor, mode):
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(tensor)))
    if mode not in fans:
        raise ValueError(mode)
    return fans[mode]


def kaiming_normal_(tensor, mode="fan_in"):
    return _fill(tensor, torch.randn(tensor.shape) * math.sqrt(2 / _pick(tensor, mode)))


def kaiming_uniform_(tensor, mode="fan_in"):
    limit = math.sqrt(6 / _pick(tensor, mode))
    return _fill(tensor, torch.empty(tensor.shape).uniform_(-limit, limit))


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    chosen = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
              "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}[scheme]
    if type(module) is nn.Linear:
        chosen(module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.copy_(torch.full_like(module.bias, bias))
