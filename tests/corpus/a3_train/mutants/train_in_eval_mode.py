"""Calls model.eval() in the training loop: dropout never acts during training."""
MUST_FAIL = ["3.1", "6.1"]
REPLACE = [("    model.train()\n    total_loss, correct, seen, losses = 0.0, 0, 0, []", "    model.eval()\n    total_loss, correct, seen, losses = 0.0, 0, 0, []")]
