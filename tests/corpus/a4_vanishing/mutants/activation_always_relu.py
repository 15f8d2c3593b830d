"""The activation name is ignored: every block gets a ReLU (no vanishing gradient with sigmoid)."""
MUST_FAIL = ["2.1", "2.2", "3.3", "7.1"]
REPLACE = [("ACTIVATIONS[activation]()]", "nn.ReLU()]")]
