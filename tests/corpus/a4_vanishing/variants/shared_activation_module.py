"""Correct, written differently: deep_mlp places one shared activation module after every hidden Linear
(as much public code does); the grader reads the network in the order its forward pass applies the modules."""
import torch
from torch import nn

BASE = "reference"


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    """One activation module, placed after every hidden Linear (it holds no parameters, so sharing it is
    the same network)."""
    if activation not in ACTIVATIONS or init not in INITS:
        raise ValueError(f"unknown activation {activation!r} or init {init!r}")
    act = ACTIVATIONS[activation]()
    sizes = [in_features] + [width] * depth
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), act]
    model = nn.Sequential(*layers, nn.Linear(sizes[-1], out_features))
    for module in model.modules():
        if isinstance(module, nn.Linear):
            _initialize(module.weight, init)
            nn.init.zeros_(module.bias)
    return model
