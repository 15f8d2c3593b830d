"""Biases keep nn.Linear's random default: zero init no longer keeps the hidden units identical."""
MUST_FAIL = ["2.4", "5.2"]
REPLACE = [("            nn.init.zeros_(module.bias)\n", "            pass\n")]
