"""exp(x) / (1 + exp(x)): exp overflows to inf above x ~ 88 and inf / inf is NaN."""
MUST_FAIL = ["1.1"]   # 1.2 builds on the student's sigmoid: charged once (issue 26)
REPLACE = [("    z = torch.exp(-x.abs())\n    return torch.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "    return torch.exp(x) / (1.0 + torch.exp(x))\n")]
