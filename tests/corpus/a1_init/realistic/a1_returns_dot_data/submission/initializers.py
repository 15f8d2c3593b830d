import math

import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("need at least 2 dimensions")
    out_features, in_features = tensor.shape[0], tensor.shape[1]
    k = 1
    for d in tensor.shape[2:]:
        k = k * d
    return in_features * k, out_features * k


# each initializer returns the filled tensor, like nn.init does
def xavier_normal_(w, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(w)
    return w.data.normal_(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform_(w, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(w)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return w.data.uniform_(-a, a)


def kaiming_normal_(w, mode="fan_in"):
    fan_in, fan_out = fan_in_and_fan_out(w)
    if mode == "fan_in":
        fan = fan_in
    elif mode == "fan_out":
        fan = fan_out
    else:
        raise ValueError("bad mode " + str(mode))
    return w.data.normal_(0.0, math.sqrt(2.0 / fan))


def kaiming_uniform_(w, mode="fan_in"):
    fan_in, fan_out = fan_in_and_fan_out(w)
    if mode == "fan_in":
        fan = fan_in
    elif mode == "fan_out":
        fan = fan_out
    else:
        raise ValueError("bad mode " + str(mode))
    a = math.sqrt(6.0 / fan)
    return w.data.uniform_(-a, a)


INITS = {"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
         "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if scheme not in INITS:
        raise ValueError("unknown scheme " + str(scheme))
    if isinstance(module, nn.Linear):
        INITS[scheme](module.weight)
        if module.bias is not None:
            module.bias.data.fill_(bias)
