"""Kaiming uniform bound sqrt(2/fan): the normal std used as the uniform bound."""
MUST_FAIL = ["5.1", "5.2", "8.3"]
REPLACE = [("bound = math.sqrt(6.0 / _fan(tensor, mode))", "bound = math.sqrt(2.0 / _fan(tensor, mode))")]
