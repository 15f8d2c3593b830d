"""Cuts 0..n-1 first and shuffles inside each part: index 0 is always in train."""
MUST_FAIL = ["2.3"]
REPLACE = [("    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]",
            "    generator = torch.Generator().manual_seed(seed)\n    parts = torch.arange(n).split([n_train, n_val, n_test])\n"
            "    return tuple(p[torch.randperm(len(p), generator=generator)] for p in parts)")]
