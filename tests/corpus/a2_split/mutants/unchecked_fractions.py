"""Never validates its arguments."""
MUST_FAIL = ["3.1"]
REPLACE = [("    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1.0) > 1e-6:\n"
            "        raise ValueError(f\"fractions must be three non-negative numbers summing to 1, got {fractions!r}\")\n"
            "    if n < 3:\n        raise ValueError(f\"need at least 3 samples to split, got n={n}\")\n", "")]
