"""Always seeds the generator with 0."""
MUST_FAIL = ["2.2", "2.3"]
REPLACE = [("order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
            "order = torch.randperm(n, generator=torch.Generator().manual_seed(0))")]
