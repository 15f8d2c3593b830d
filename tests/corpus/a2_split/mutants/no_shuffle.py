"""No shuffle at all: the parts are consecutive ranges."""
MUST_FAIL = ["2.1", "2.2", "2.3"]
REPLACE = [("order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))", "order = torch.arange(n)")]
