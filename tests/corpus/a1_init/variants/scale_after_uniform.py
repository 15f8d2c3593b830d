"""Correct, written differently: unit draws scaled in place, .data instead of torch.no_grad()."""
import math

from torch import nn


def fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("1-D tensors have no fan_in and fan_out")
    receptive = tensor[0][0].numel()
    return tensor.size(1) * receptive, tensor.size(0) * receptive


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    tensor.data.normal_().mul_(gain * math.sqrt(2.0 / float(fan_in + fan_out)))
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    tensor.data.uniform_(-1.0, 1.0).mul_(gain * math.sqrt(6.0 / float(fan_in + fan_out)))
    return tensor


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("mode must be fan_in or fan_out")
    return fan_in_and_fan_out(tensor)[0 if mode == "fan_in" else 1]


def kaiming_normal_(tensor, mode="fan_in"):
    tensor.data.normal_().mul_(math.sqrt(2.0 / _fan(tensor, mode)))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    tensor.data.uniform_(-1.0, 1.0).mul_(math.sqrt(6.0 / _fan(tensor, mode)))
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    schemes = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
               "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}
    if isinstance(module, nn.Linear):
        schemes[scheme](module.weight)
        if module.bias is not None:
            module.bias.data.fill_(bias)
