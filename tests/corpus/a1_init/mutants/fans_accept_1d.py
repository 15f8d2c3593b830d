"""No ValueError for a 1-D tensor: crashes later with an IndexError instead."""
MUST_FAIL = ["1.3"]
REPLACE = [("    if tensor.dim() < 2:\n        raise ValueError(\"fan_in and fan_out need a tensor with at least 2 dimensions\")\n", "")]
