"""A hidden layer of 256 units instead of the lecture's 128."""
MUST_FAIL = ["1.1", "1.2"]
REPLACE = [("        self.hidden = nn.Linear(784, 128)\n        self.output = nn.Linear(128, 10)",
            "        self.hidden = nn.Linear(784, 256)\n        self.output = nn.Linear(256, 10)")]
