"""losses keeps the loss tensors (and with them every step's graph) instead of floats: 3.4 charges one point of six."""
MUST_FAIL = ["3.4"]
REPLACE = [("        losses.append(loss.item())", "        losses.append(loss)")]
