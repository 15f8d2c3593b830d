"""Forgets optimizer.step(): the weights never change."""
MUST_FAIL = ["3.1", "3.2", "5.1"]
REPLACE = [("        loss.backward()\n        optimizer.step()\n", "        loss.backward()\n")]
