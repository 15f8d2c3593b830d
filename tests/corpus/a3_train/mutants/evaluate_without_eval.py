"""evaluate never calls model.eval(): batch-norm updates its statistics and dropout stays on."""
MUST_FAIL = ["4.1"]
REPLACE = [("    model.eval()\n    total_loss, correct, seen = 0.0, 0, 0", "    total_loss, correct, seen = 0.0, 0, 0")]
