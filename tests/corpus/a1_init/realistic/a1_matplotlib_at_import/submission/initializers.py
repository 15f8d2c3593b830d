"""Weight initialisation + a picture of the four laws (exported from my notebook with nbconvert)."""
import math

import matplotlib.pyplot as plt
import torch
from torch import nn


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field_size = 1
    if tensor.dim() > 2:
        receptive_field_size = math.prod(tensor.shape[2:])
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    with torch.no_grad():
        return tensor.normal_(0, std)


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # Calculate uniform bounds from standard deviation
    with torch.no_grad():
        return tensor.uniform_(-a, a)


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_normal_(tensor, mode="fan_in"):
    std = math.sqrt(2.0) / math.sqrt(_calculate_correct_fan(tensor, mode))
    with torch.no_grad():
        return tensor.normal_(0, std)


def kaiming_uniform_(tensor, mode="fan_in"):
    std = math.sqrt(2.0) / math.sqrt(_calculate_correct_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    fns = dict(xavier_normal=xavier_normal_, xavier_uniform=xavier_uniform_,
               kaiming_normal=kaiming_normal_, kaiming_uniform=kaiming_uniform_)
    if scheme not in fns:
        raise ValueError(f"unknown scheme {scheme}")
    if isinstance(module, nn.Linear):
        fns[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)


# --- cell 7 of the notebook: histograms of a 256 x 512 weight under each initializer ---
fig, axes = plt.subplots(1, 4, figsize=(14, 3))
for ax, fn in zip(axes, [xavier_normal_, xavier_uniform_, kaiming_normal_, kaiming_uniform_]):
    w = fn(torch.empty(256, 512))
    ax.hist(w.flatten().numpy(), bins=60)
    ax.set_title(fn.__name__)
plt.tight_layout()
plt.show()
