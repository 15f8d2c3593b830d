"""The activation name is ignored: every block gets a sigmoid (the gradient vanishes with 'relu' too)."""
MUST_FAIL = ["2.1", "2.2", "3.4", "7.1"]
REPLACE = [("ACTIVATIONS[activation]()]", "nn.Sigmoid()]")]
