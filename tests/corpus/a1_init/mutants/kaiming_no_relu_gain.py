"""Kaiming normal with variance 1/fan: forgets ReLU's gain of 2."""
MUST_FAIL = ["4.1", "4.2"]
REPLACE = [("std = math.sqrt(2.0 / _fan(tensor, mode))", "std = math.sqrt(1.0 / _fan(tensor, mode))")]
