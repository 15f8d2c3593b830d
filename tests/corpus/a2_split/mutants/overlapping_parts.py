"""The test part starts where validation starts: val and test overlap."""
MUST_FAIL = ["1.1", "1.2", "1.3", "6.1"]
REPLACE = [("order[n_train + n_val:]", "order[n_train:n_train + n_test]")]
