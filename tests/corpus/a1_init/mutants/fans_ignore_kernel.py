"""Fans of a conv weight without the kernel's receptive field."""
MUST_FAIL = ["1.2", "8.1"]
REPLACE = [("    for size in tensor.shape[2:]:\n        receptive_field *= size\n", "")]
