"""compare_initializers never zeroes the gradients: every step adds all earlier gradients again."""
MUST_FAIL = ["5.1", "7.5"]
REPLACE = [("                optimizer.zero_grad()\n", "")]
