"""Detaches the hidden activations: no gradient reaches the first layer."""
MUST_FAIL = ["2.1"]
REPLACE = [("        return self.output(torch.relu(self.hidden(x)))", "        return self.output(torch.relu(self.hidden(x)).detach())")]
