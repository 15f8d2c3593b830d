"""tanh' written with the sigmoid's formula t(1 - t)."""
MUST_FAIL = ["1.3"]
REPLACE = [("    return 1.0 - torch.tanh(x) ** 2\n", "    return torch.tanh(x) * (1.0 - torch.tanh(x))\n")]
