"""Sigmoid instead of ReLU in the hidden layer."""
MUST_FAIL = ["1.4"]
REPLACE = [("        return self.output(torch.relu(self.hidden(x)))", "        return self.output(torch.sigmoid(self.hidden(x)))")]
