"""HW1 initializers.

Run ``python initializers.py`` to double-check that this file never pulls in torch.nn.init
(modulefinder lists every module the file imports).
"""
import math
import modulefinder
import sys

import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if tensor.ndimension() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    rf = 1
    for n in tensor.shape[2:]:
        rf *= n
    return tensor.shape[1] * rf, tensor.shape[0] * rf


def xavier_normal_(tensor, gain=1.0):
    a, b = fan_in_and_fan_out(tensor)
    with torch.no_grad():
        tensor.normal_(0.0, gain * (2.0 / (a + b)) ** 0.5)
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    a, b = fan_in_and_fan_out(tensor)
    limit = gain * (6.0 / (a + b)) ** 0.5
    with torch.no_grad():
        tensor.uniform_(-limit, limit)
    return tensor


def kaiming_normal_(tensor, mode="fan_in"):
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(tensor)))
    if mode not in fans:
        raise ValueError("mode must be one of " + ", ".join(fans))
    with torch.no_grad():
        tensor.normal_(0.0, math.sqrt(2.0 / fans[mode]))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(tensor)))
    if mode not in fans:
        raise ValueError("mode must be one of " + ", ".join(fans))
    limit = math.sqrt(6.0 / fans[mode])
    with torch.no_grad():
        tensor.uniform_(-limit, limit)
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    try:
        fn = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
              "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}[scheme]
    except KeyError:
        raise ValueError(f"unknown scheme {scheme}") from None
    if isinstance(module, nn.Linear):
        fn(module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)


if __name__ == "__main__":
    finder = modulefinder.ModuleFinder()
    finder.run_script(__file__)
    print("torch.nn.init imported:", "torch.nn.init" in finder.modules)
    sys.exit(0)
