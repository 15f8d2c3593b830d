"""N(0, 1) called Xavier: 'xavier_normal' draws from N(0, 1)."""
MUST_FAIL = ["2.5", "3.3", "5.3"]
REPLACE = [("        nn.init.xavier_normal_(weight)\n", "        nn.init.normal_(weight, 0.0, 1.0)\n")]
