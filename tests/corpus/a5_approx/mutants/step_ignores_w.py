"""step forgets the steepness: sigma(x - s), a gentle slope instead of a step."""
MUST_FAIL = ["1.1"]
REPLACE = [("    return torch.sigmoid(w * (x - s))", "    return torch.sigmoid(x - s)")]
