"""Correct, written differently: normal draws by the Box-Muller transform of torch.rand."""
import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise ValueError("fan_in_and_fan_out needs 2 or more dimensions")
    kernel = math.prod(shape[2:])
    return shape[1] * kernel, shape[0] * kernel


def _box_muller(shape):
    u1 = 1.0 - torch.rand(shape, dtype=torch.float64)   # in (0, 1]: log never sees 0
    u2 = torch.rand(shape, dtype=torch.float64)
    return torch.sqrt(-2.0 * torch.log(u1)) * torch.cos(2.0 * math.pi * u2)


@torch.no_grad()
def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    tensor.copy_(_box_muller(tensor.shape) * gain * math.sqrt(2.0 / (fan_in + fan_out)))
    return tensor


@torch.no_grad()
def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(3.0) * math.sqrt(2.0 / (fan_in + fan_out))
    tensor.uniform_(-a, a)
    return tensor


def _fan(tensor, mode):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"bad mode {mode}")


@torch.no_grad()
def kaiming_normal_(tensor, mode="fan_in"):
    std = math.sqrt(2.0) / math.sqrt(_fan(tensor, mode))
    tensor.copy_(_box_muller(tensor.shape) * std)
    return tensor


@torch.no_grad()
def kaiming_uniform_(tensor, mode="fan_in"):
    a = math.sqrt(3.0) * math.sqrt(2.0) / math.sqrt(_fan(tensor, mode))
    tensor.uniform_(-a, a)
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if not isinstance(module, nn.Linear):
        return
    globals()[scheme + "_"](module.weight)
    if module.bias is not None:
        with torch.no_grad():
            module.bias.zero_().add_(bias)
