"""Collects the loss tensors themselves instead of loss.item() in the per-iteration list."""
MUST_FAIL = ["3.2"]
REPLACE = [("        losses.append(loss.item())\n", "        losses.append(loss)\n")]
