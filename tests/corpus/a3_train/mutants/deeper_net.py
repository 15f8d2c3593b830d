"""Net is 784-256-128-10 (another architecture, computing logits through ReLUs): charged by 1.1 and 1.2,
its architecture; 1.3 and 1.4 judge it with its own weights and pass (issue 26)."""
MUST_FAIL = ["1.1", "1.2"]
REPLACE = [("        self.hidden = nn.Linear(784, 128)\n        self.output = nn.Linear(128, 10)\n",
            "        self.hidden = nn.Linear(784, 256)\n        self.middle = nn.Linear(256, 128)\n"
            "        self.output = nn.Linear(128, 10)\n"),
           ("        return self.output(torch.relu(self.hidden(x)))\n",
            "        return self.output(torch.relu(self.middle(torch.relu(self.hidden(x)))))\n")]
