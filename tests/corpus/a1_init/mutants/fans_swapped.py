"""fan_in and fan_out swapped (reading the shape as (in, out))."""
MUST_FAIL = ["1.1", "1.2", "8.1"]
REPLACE = [("    fan_in = tensor.shape[1] * receptive_field\n    fan_out = tensor.shape[0] * receptive_field\n",
            "    fan_in = tensor.shape[0] * receptive_field\n    fan_out = tensor.shape[1] * receptive_field\n")]
