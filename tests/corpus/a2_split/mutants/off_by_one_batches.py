"""Batches of batch_size - 1 from an off-by-one slice: some samples never train."""
MUST_FAIL = ["4.1"]
REPLACE = [("    return list(torch.split(shuffled, batch_size))",
            "    return [shuffled[i:i + batch_size - 1] for i in range(0, len(shuffled), batch_size)]")]
