"""Returns probabilities: a softmax after the output layer (CrossEntropyLoss applies its own)."""
MUST_FAIL = ["1.4"]
REPLACE = [("        return self.output(torch.relu(self.hidden(x)))", "        return torch.softmax(self.output(torch.relu(self.hidden(x))), dim=1)")]
