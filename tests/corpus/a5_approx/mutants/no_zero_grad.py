"""Gradients are never cleared: every step uses the sum of all gradients so far."""
MUST_FAIL = ["3.3", "4.2"]
REPLACE = [("        optimizer.zero_grad()\n        loss = loss_fn(model(x), y)", "        loss = loss_fn(model(x), y)")]
