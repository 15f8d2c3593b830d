"""The outer steps stay at 0 and 1: the network is half of f at both ends (0.42 off at x = 1)."""
MUST_FAIL = ["2.3", "4.1"]   # 2.4 measures away from the ends: one charge (issue 26)
REPLACE = [("    left[0], right[-1] = -1.0 / n, 1.0 + 1.0 / n\n", "")]
