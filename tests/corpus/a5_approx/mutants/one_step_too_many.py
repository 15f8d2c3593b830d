"""range(steps + 1): one training step too many (and one loss too many); charged by the replay, 3.3, only."""
MUST_FAIL = ["3.3"]
REPLACE = [("    for _ in range(steps):", "    for _ in range(steps + 1):")]
