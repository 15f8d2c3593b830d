"""Both Xavier initializers ignore `gain`."""
MUST_FAIL = ["2.3", "3.3", "8.2"]
REPLACE = [
    ("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = math.sqrt(2.0 / (fan_in + fan_out))"),
    ("bound = gain * math.sqrt(6.0 / (fan_in + fan_out))", "bound = math.sqrt(6.0 / (fan_in + fan_out))"),
]
