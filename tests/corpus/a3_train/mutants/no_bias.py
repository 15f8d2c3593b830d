"""Linear layers without bias: 101,632 parameters."""
MUST_FAIL = ["1.1", "1.2"]
REPLACE = [("        self.hidden = nn.Linear(784, 128)\n        self.output = nn.Linear(128, 10)",
            "        self.hidden = nn.Linear(784, 128, bias=False)\n        self.output = nn.Linear(128, 10, bias=False)")]
