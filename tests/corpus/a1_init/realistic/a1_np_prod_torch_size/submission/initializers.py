# Homework 1 -- initialisation
# receptive field = product of the kernel dims (np.prod of an empty shape is 1)
import math

import numpy as np
import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if len(tensor.shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field = np.prod(tensor.shape[2:])
    fan_in = tensor.shape[1] * receptive_field
    fan_out = tensor.shape[0] * receptive_field
    return fan_in, fan_out


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.normal_(0, std)
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor


def kaiming_normal_(tensor, mode="fan_in"):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("mode must be fan_in or fan_out")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    with torch.no_grad():
        tensor.normal_(0, math.sqrt(2.0 / fan))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("mode must be fan_in or fan_out")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    bound = math.sqrt(6.0 / fan)
    with torch.no_grad():
        tensor.uniform_(-bound, bound)
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if scheme == "xavier_normal":
        init = xavier_normal_
    elif scheme == "xavier_uniform":
        init = xavier_uniform_
    elif scheme == "kaiming_normal":
        init = kaiming_normal_
    elif scheme == "kaiming_uniform":
        init = kaiming_uniform_
    else:
        raise ValueError("unknown scheme: " + scheme)
    if isinstance(module, nn.Linear):
        init(module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
