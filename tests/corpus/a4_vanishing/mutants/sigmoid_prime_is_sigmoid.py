"""sigma' computed as sigma itself."""
MUST_FAIL = ["1.2"]
REPLACE = [("    s = sigmoid(x)\n    return s * (1.0 - s)\n", "    return sigmoid(x)\n")]
