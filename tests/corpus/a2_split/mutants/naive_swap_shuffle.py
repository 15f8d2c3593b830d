"""The classic biased shuffle: swap every position with ANY position (not Fisher-Yates)."""
MUST_FAIL = ["2.3"]
REPLACE = [("order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
            "generator = torch.Generator().manual_seed(seed)\n    order = torch.arange(n)\n    for i in range(n):\n"
            "        j = int(torch.randint(n, (1,), generator=generator))\n        order[[i, j]] = order[[j, i]]")]
