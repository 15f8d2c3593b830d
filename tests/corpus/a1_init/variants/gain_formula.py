"""Correct, written differently: one generic helper, std = gain / sqrt(fan) with Kaiming's gain sqrt(2)."""
import math
from functools import reduce

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    dims = list(tensor.size())
    if len(dims) <= 1:
        raise ValueError("expected a weight with 2 or more dimensions")
    field = reduce(lambda x, y: x * y, dims[2:], 1)
    return dims[1] * field, dims[0] * field


def _draw(tensor, std, uniform):
    with torch.no_grad():
        if uniform:
            half_width = std * 3 ** 0.5
            tensor.uniform_(-half_width, half_width)
        else:
            tensor.normal_(mean=0.0, std=std)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    return _draw(tensor, gain / math.sqrt(sum(fan_in_and_fan_out(tensor)) / 2), uniform=False)


def xavier_uniform_(tensor, gain=1.0):
    return _draw(tensor, gain / math.sqrt(sum(fan_in_and_fan_out(tensor)) / 2), uniform=True)


def _kaiming_std(tensor, mode):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    fan = {"fan_in": fan_in, "fan_out": fan_out}.get(mode)
    if fan is None:
        raise ValueError(f"unknown mode {mode!r}")
    return math.sqrt(2.0) / math.sqrt(fan)


def kaiming_normal_(tensor, mode="fan_in"):
    return _draw(tensor, _kaiming_std(tensor, mode), uniform=False)


def kaiming_uniform_(tensor, mode="fan_in"):
    return _draw(tensor, _kaiming_std(tensor, mode), uniform=True)


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if isinstance(module, nn.Linear):
        kind, law = scheme.split("_")
        _draw(module.weight, (_kaiming_std(module.weight, "fan_in") if kind == "kaiming"
                              else 1 / math.sqrt(sum(fan_in_and_fan_out(module.weight)) / 2)),
              uniform=law == "uniform")
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
