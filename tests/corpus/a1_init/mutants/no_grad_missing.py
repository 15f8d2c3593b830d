"""Kaiming uniform fills without torch.no_grad(): fails on a Parameter that requires grad."""
MUST_FAIL = ["6.2", "8.4"]
REPLACE = [("    bound = math.sqrt(6.0 / _fan(tensor, mode))\n    with torch.no_grad():\n        return tensor.uniform_(-bound, bound)",
            "    bound = math.sqrt(6.0 / _fan(tensor, mode))\n    return tensor.uniform_(-bound, bound)")]
