"""Initializers written with torch ops only (torch.sqrt instead of math.sqrt).

Filling through ``tensor.data`` means autograd never records the fill, so it also works on an
nn.Parameter that requires grad (that is how the old PyTorch examples do it).
"""
import torch
import torch.nn as nn


def fan_in_and_fan_out(tensor):
    dims = tensor.dim()
    if dims < 2:
        raise ValueError("fan_in_and_fan_out needs a weight with >= 2 dims")
    receptive = tensor[0][0].numel() if dims > 2 else 1
    return tensor.size(1) * receptive, tensor.size(0) * receptive


def xavier_normal_(tensor, gain=1.):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * torch.sqrt(torch.tensor(2. / (fan_in + fan_out)))
    tensor.data.normal_(0, std)
    return tensor


def xavier_uniform_(tensor, gain=1.):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * torch.sqrt(torch.tensor(6. / (fan_in + fan_out)))
    tensor.data.uniform_(-a, a)
    return tensor


def _fan(tensor, mode):
    if mode not in ['fan_in', 'fan_out']:
        raise ValueError('mode must be fan_in or fan_out, not ' + repr(mode))
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == 'fan_in' else fan_out


def kaiming_normal_(tensor, mode='fan_in'):
    std = torch.sqrt(torch.tensor(2. / _fan(tensor, mode)))
    tensor.data.normal_(0, std)
    return tensor


def kaiming_uniform_(tensor, mode='fan_in'):
    bound = torch.sqrt(torch.tensor(6. / _fan(tensor, mode)))
    tensor.data.uniform_(-bound, bound)
    return tensor


def init_weights(module, scheme='kaiming_normal', bias=0.0):
    fns = {'xavier_normal': xavier_normal_, 'xavier_uniform': xavier_uniform_,
           'kaiming_normal': kaiming_normal_, 'kaiming_uniform': kaiming_uniform_}
    if scheme not in fns:
        raise ValueError('unknown scheme ' + repr(scheme))
    if isinstance(module, nn.Linear):
        fns[scheme](module.weight)
        if module.bias is not None:
            module.bias.data.fill_(bias)
