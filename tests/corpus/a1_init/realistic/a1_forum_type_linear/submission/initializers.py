import math

import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("tensor needs 2+ dims")
    receptive_field_size = 1
    if tensor.dim() > 2:
        receptive_field_size = tensor[0][0].numel()
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    with torch.no_grad():
        tensor.normal_(0, gain * math.sqrt(2.0 / (fan_in + fan_out)))
    return tensor


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor


def kaiming_normal_(tensor, mode="fan_in"):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("mode")
    fan = fan_in_and_fan_out(tensor)[0 if mode == "fan_in" else 1]
    with torch.no_grad():
        tensor.normal_(0, math.sqrt(2.0 / fan))
    return tensor


def kaiming_uniform_(tensor, mode="fan_in"):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("mode")
    fan = fan_in_and_fan_out(tensor)[0 if mode == "fan_in" else 1]
    bound = math.sqrt(6.0 / fan)
    with torch.no_grad():
        tensor.uniform_(-bound, bound)
    return tensor


# from the PyTorch forum answer "How to initialize weights in PyTorch?":
#     def init_weights(m):
#         if type(m) == nn.Linear:
#             torch.nn.init.xavier_uniform(m.weight)
#             m.bias.data.fill_(0.01)
#     net.apply(init_weights)
# rewritten with my own initializers and the scheme / bias arguments
def init_weights(m, scheme="kaiming_normal", bias=0.0):
    if scheme not in ("xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform"):
        raise ValueError("unknown scheme")
    if type(m) == nn.Linear:
        if scheme == "xavier_normal":
            xavier_normal_(m.weight)
        elif scheme == "xavier_uniform":
            xavier_uniform_(m.weight)
        elif scheme == "kaiming_normal":
            kaiming_normal_(m.weight)
        else:
            kaiming_uniform_(m.weight)
        m.bias.data.fill_(bias)
