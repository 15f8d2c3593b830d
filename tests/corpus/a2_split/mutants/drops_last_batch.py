"""epoch_batches drops the short last batch, like DataLoader(drop_last=True)."""
MUST_FAIL = ["4.1"]
REPLACE = [("    return list(torch.split(shuffled, batch_size))",
            "    return [b for b in torch.split(shuffled, batch_size) if len(b) == batch_size]")]
