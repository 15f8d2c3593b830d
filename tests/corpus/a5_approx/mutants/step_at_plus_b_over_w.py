"""step uses the wrong sign: sigma(w (x + s)), a step at -s (the position read as +b/w)."""
MUST_FAIL = ["1.1"]
REPLACE = [("    return torch.sigmoid(w * (x - s))", "    return torch.sigmoid(w * (x + s))")]
