"""Xavier with fan_in alone (the variance of LeCun's init, not Glorot's)."""
MUST_FAIL = ["2.1", "2.2", "2.3", "8.2"]
REPLACE = [("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain * math.sqrt(2.0 / fan_in)")]
