"""A Net of another architecture whose constructor sets its own weights (here: the middle layer scaled by 3):
it cannot escape the grader's starting weights that way, 5.1 requires nn.Linear's default initialization."""
MUST_FAIL = ["1.1", "1.2", "5.1"]
REPLACE = [("        self.hidden = nn.Linear(784, 128)\n        self.output = nn.Linear(128, 10)\n",
            "        self.hidden = nn.Linear(784, 256)\n        self.middle = nn.Linear(256, 128)\n"
            "        self.output = nn.Linear(128, 10)\n"
            "        with torch.no_grad():\n            self.middle.weight.mul_(3.0)\n"),
           ("        return self.output(torch.relu(self.hidden(x)))\n",
            "        return self.output(torch.relu(self.middle(torch.relu(self.hidden(x)))))\n")]
