"""Public checks of a1_init: fans."""

from __future__ import annotations

import torch

from autograder.expect import expect_equal, fail
from autograder.registry import check
from autograder.sandbox import SubmissionError


@check("1.1", "fan_in_and_fan_out: Linear weight (out, in)", points=2)
def fans_linear(sub) -> None:
    fans = sub.call("fan_in_and_fan_out", torch.empty(128, 784))
    expect_equal("fan_in_and_fan_out(torch.empty(128, 784))", fans, (784, 128),
                 hint="a Linear weight has shape (out_features, in_features): fan_in is shape[1].")
