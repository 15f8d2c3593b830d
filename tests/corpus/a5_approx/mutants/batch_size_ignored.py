"""Each step draws 64 points whatever batch_size says (the replay, on the student's own points, would match)."""
MUST_FAIL = ["3.3"]
REPLACE = [("torch.rand(batch_size, 1)", "torch.rand(64, 1)")]
