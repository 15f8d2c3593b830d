"""Kaiming normal with a hard-coded std (the value for a 784-input layer) whatever the shape."""
MUST_FAIL = ["4.1", "4.2", "8.3"]
REPLACE = [("    std = math.sqrt(2.0 / _fan(tensor, mode))\n", "    _fan(tensor, mode)\n    std = 0.0505\n")]
