"""epoch_batches ignores the epoch: the training order never changes."""
MUST_FAIL = ["4.2", "6.2"]
REPLACE = [("generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)",
            "generator = torch.Generator().manual_seed(seed)")]
