"""forward returns outputs of the right shape that do not come from x: the layers see an all-zero batch."""
MUST_FAIL = ["1.3", "1.4", "2.1"]
REPLACE = [("        x = x.reshape(x.shape[0], -1)\n", "        x = torch.zeros_like(x.reshape(x.shape[0], -1))\n")]
