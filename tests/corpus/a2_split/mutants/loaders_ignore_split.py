"""make_loaders ignores its seed and fractions: always splits with the defaults."""
MUST_FAIL = ["5.1", "6.3"]
REPLACE = [("train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)",
            "train_idx, val_idx, test_idx = split_indices(len(dataset), (0.7, 0.15, 0.15), seed + 1)")]
