"""Kaiming uniform draws a third of the values and tiles that block three times: right law, right bound,
KS passes, but two values in three repeat an earlier one."""
MUST_FAIL = ["5.1", "8.3"]
REPLACE = [("    bound = math.sqrt(6.0 / _fan(tensor, mode))\n    with torch.no_grad():\n        return tensor.uniform_(-bound, bound)",
            "    bound = math.sqrt(6.0 / _fan(tensor, mode))\n    with torch.no_grad():\n"
            "        block = torch.empty(tensor.numel() // 3 + 1).uniform_(-bound, bound)\n"
            "        return tensor.copy_(block.repeat(3)[:tensor.numel()].reshape(tensor.shape))")]
