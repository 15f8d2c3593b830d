"""compare_initializers always trains two epochs, whatever ``epochs`` says (the lecture's setting hard-coded)."""
MUST_FAIL = ["7.5"]
REPLACE = [("        for _ in range(epochs):\n", "        for _ in range(2):\n")]
