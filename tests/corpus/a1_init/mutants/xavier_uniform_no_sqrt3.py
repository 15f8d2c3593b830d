"""Uniform bound sqrt(2/(fan_in+fan_out)): forgets that U(-a, a) has variance a^2/3."""
MUST_FAIL = ["3.1", "3.2", "3.3"]
REPLACE = [("bound = gain * math.sqrt(6.0 / (fan_in + fan_out))", "bound = gain * math.sqrt(2.0 / (fan_in + fan_out))")]
