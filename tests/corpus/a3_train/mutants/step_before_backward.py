"""optimizer.step() before loss.backward(): every step uses zeroed gradients."""
MUST_FAIL = ["3.1", "5.1", "6.1"]
REPLACE = [("        loss.backward()\n        optimizer.step()\n", "        optimizer.step()\n        loss.backward()\n")]
