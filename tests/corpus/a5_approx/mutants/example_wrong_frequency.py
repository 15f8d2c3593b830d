"""neilson_example with cos(5 x) instead of cos(50 x)."""
MUST_FAIL = ["1.3"]
REPLACE = [("0.05 * torch.cos(50 * x)\n", "0.05 * torch.cos(5 * x)\n")]
