"""The variance 2/(fan_in+fan_out) used as the standard deviation (a missing sqrt)."""
MUST_FAIL = ["2.1", "2.2", "2.3"]
REPLACE = [("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain * 2.0 / (fan_in + fan_out)")]
