"""compare_initializers computes every loss and backward pass but never calls optimizer.step(): the
returned models are the untrained ones (N(0, 1) still ends above Xavier and Kaiming, untrained)."""
MUST_FAIL = ["5.1", "5.2", "5.3", "7.5"]
REPLACE = [("                optimizer.step()\n", "")]
