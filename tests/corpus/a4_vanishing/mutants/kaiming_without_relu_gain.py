"""Kaiming without the ReLU gain sqrt(2): std sqrt(1/fan_in)."""
MUST_FAIL = ["2.6"]
REPLACE = [('nn.init.kaiming_normal_(weight, nonlinearity="relu")', 'nn.init.kaiming_normal_(weight, nonlinearity="linear")')]
