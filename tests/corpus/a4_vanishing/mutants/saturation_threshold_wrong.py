"""Sigmoid-like saturation counted at |a - 0.5| > 0.45 instead of 0.49."""
MUST_FAIL = ["4.1", "7.3"]
REPLACE = [("        return (output - 0.5).abs() > 0.49\n", "        return (output - 0.5).abs() > 0.45\n")]
