"""HW1: weight initialisation.

We did the intro lab in numpy, so I generate the random numbers with numpy and copy them into the
torch tensor at the end (np.random.normal / np.random.uniform take the same arguments as in the lab).
"""
import math

import numpy as np
import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("fans are only defined for tensors with 2 or more dims, got %d" % tensor.dim())
    num_output_fmaps = tensor.size(0)
    num_input_fmaps = tensor.size(1)
    receptive_field_size = 1
    if tensor.dim() > 2:
        for s in tensor.shape[2:]:
            receptive_field_size *= s
    fan_in = num_input_fmaps * receptive_field_size
    fan_out = num_output_fmaps * receptive_field_size
    return fan_in, fan_out


def _copy_in(tensor, values):
    # copy the numpy samples into the (possibly requires_grad) tensor without autograd noticing
    with torch.no_grad():
        tensor.copy_(torch.from_numpy(values))
    return tensor


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _copy_in(tensor, np.random.normal(0.0, std, size=tuple(tensor.shape)))


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return _copy_in(tensor, np.random.uniform(-a, a, size=tuple(tensor.shape)))


def _kaiming_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ["fan_in", "fan_out"]:
        raise ValueError("Mode {} not supported, please use one of fan_in, fan_out".format(mode))
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_normal_(tensor, mode="fan_in"):
    std = math.sqrt(2.0) / math.sqrt(_kaiming_fan(tensor, mode))
    return _copy_in(tensor, np.random.normal(0.0, std, size=tuple(tensor.shape)))


def kaiming_uniform_(tensor, mode="fan_in"):
    bound = math.sqrt(3.0) * math.sqrt(2.0) / math.sqrt(_kaiming_fan(tensor, mode))
    return _copy_in(tensor, np.random.uniform(-bound, bound, size=tuple(tensor.shape)))


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    schemes = {
        "xavier_normal": xavier_normal_,
        "xavier_uniform": xavier_uniform_,
        "kaiming_normal": kaiming_normal_,
        "kaiming_uniform": kaiming_uniform_,
    }
    if scheme not in schemes:
        raise ValueError("unknown scheme " + str(scheme))
    if isinstance(module, nn.Linear):
        schemes[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
