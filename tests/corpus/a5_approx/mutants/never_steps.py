"""optimizer.step() is missing: the network never learns."""
MUST_FAIL = ["3.3", "3.4", "4.2"]
REPLACE = [("        optimizer.step()\n        losses.append(loss.item())", "        losses.append(loss.item())")]
