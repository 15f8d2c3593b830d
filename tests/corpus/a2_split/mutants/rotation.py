"""A random rotation of 0..n-1 instead of a shuffle: positions are uniform, neighbours are not."""
MUST_FAIL = ["2.1"]
REPLACE = [("order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
            "order = torch.arange(n).roll(int(torch.randint(n, (1,), generator=torch.Generator().manual_seed(seed))))")]
