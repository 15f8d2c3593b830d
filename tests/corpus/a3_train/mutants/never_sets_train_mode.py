"""Never calls model.train(): a model left in eval mode trains without dropout."""
MUST_FAIL = ["3.1", "6.1"]
REPLACE = [("    model.train()\n    total_loss, correct, seen, losses = 0.0, 0, 0, []", "    total_loss, correct, seen, losses = 0.0, 0, 0, []")]
