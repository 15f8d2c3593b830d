import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    # nn.Linear stores its weight as (out_features, in_features)
    if tensor.dim() < 2:
        raise ValueError("expected a weight matrix")
    fan_out, fan_in = tensor.shape[0], tensor.shape[1]
    return fan_in, fan_out


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    with torch.no_grad():
        tensor.normal_(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-limit, limit)
    return tensor


def kaiming_normal_(tensor, mode="fan_in"):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"invalid mode {mode}")
    fan = fan_in if mode == "fan_in" else fan_out
    with torch.no_grad():
        tensor.normal_(0.0, math.sqrt(2.0 / fan))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"invalid mode {mode}")
    fan = fan_in if mode == "fan_in" else fan_out
    limit = math.sqrt(6.0 / fan)
    with torch.no_grad():
        tensor.uniform_(-limit, limit)
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    inits = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
             "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}
    if scheme not in inits:
        raise ValueError(f"unknown scheme {scheme}")
    if isinstance(module, nn.Linear):
        inits[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
