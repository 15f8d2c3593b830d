"""Training points drawn from [0, 0.5) instead of [0, 1): every step is the right Adam step on the MSE (the
replays pass), but the network never sees the right half of f, so it misses the final error at every seed."""
MUST_FAIL = ["3.4"]
REPLACE = [("        x = torch.rand(batch_size, 1)\n", "        x = 0.5 * torch.rand(batch_size, 1)\n")]
