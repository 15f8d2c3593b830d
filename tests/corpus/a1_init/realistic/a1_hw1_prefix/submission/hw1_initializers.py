#!/usr/bin/env python
# coding: utf-8
# HW1  (weight init)  -- renamed so I can keep all homeworks in one folder

import math

import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("fan_in/fan_out undefined for a %d-d tensor" % tensor.dim())
    fan_in = tensor.size(1)
    fan_out = tensor.size(0)
    if tensor.dim() > 2:
        ksize = math.prod(tensor.shape[2:])
        fan_in *= ksize
        fan_out *= ksize
    return fan_in, fan_out


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.copy_(torch.randn_like(tensor) * std)
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.copy_(torch.rand_like(tensor) * 2 * a - a)
    return tensor


def kaiming_normal_(tensor, mode="fan_in"):
    if mode == "fan_in":
        fan = fan_in_and_fan_out(tensor)[0]
    elif mode == "fan_out":
        fan = fan_in_and_fan_out(tensor)[1]
    else:
        raise ValueError("mode should be fan_in or fan_out")
    with torch.no_grad():
        tensor.copy_(torch.randn_like(tensor) * math.sqrt(2.0 / fan))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    if mode == "fan_in":
        fan = fan_in_and_fan_out(tensor)[0]
    elif mode == "fan_out":
        fan = fan_in_and_fan_out(tensor)[1]
    else:
        raise ValueError("mode should be fan_in or fan_out")
    a = math.sqrt(6.0 / fan)
    with torch.no_grad():
        tensor.copy_(torch.rand_like(tensor) * 2 * a - a)
    return tensor


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if scheme not in ("xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform"):
        raise ValueError(scheme)
    if isinstance(module, nn.Linear):
        globals()[scheme + "_"](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
