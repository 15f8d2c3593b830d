"""xavier_uniform_ works its fans out itself and forgets the receptive field in fan_out (right for a
Linear weight, wrong for a conv kernel: Conv2d(16, 32, 5) gets 2.8 times the variance)."""
MUST_FAIL = ["8.2"]
REPLACE = [("""    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))""",
            """    fan_in, fan_out = fan_in_and_fan_out(tensor)[0], tensor.shape[0]
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))""")]
