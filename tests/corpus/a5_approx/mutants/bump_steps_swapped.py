"""bump subtracts the steps the wrong way round: a negative bump for a positive height."""
MUST_FAIL = ["1.2"]
REPLACE = [("    return height * (step(x, left, w) - step(x, right, w))",
            "    return height * (step(x, right, w) - step(x, left, w))")]
