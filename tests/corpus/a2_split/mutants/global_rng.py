"""Draws from the global generator: the same seed gives different splits."""
MUST_FAIL = ["2.2"]
REPLACE = [("order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))", "order = torch.randperm(n)")]
