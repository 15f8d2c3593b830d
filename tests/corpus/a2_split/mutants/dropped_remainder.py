"""Train gets int(n * f_train): the rounding remainder is silently dropped."""
MUST_FAIL = ["1.2", "6.1"]
REPLACE = [("    n_train = n - n_val - n_test\n    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]",
            "    n_train = int(n * fractions[0])\n    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:n_train + n_val + n_test]")]
