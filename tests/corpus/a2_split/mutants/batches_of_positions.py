"""epoch_batches permutes positions 0..len-1 and forgets to look up train_idx's values."""
MUST_FAIL = ["4.1"]
REPLACE = [("shuffled = train_idx[torch.randperm(len(train_idx), generator=generator)]",
            "shuffled = torch.randperm(len(train_idx), generator=generator)")]
