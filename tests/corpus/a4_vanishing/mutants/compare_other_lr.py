"""compare_initializers trains with SGD(lr=0.05), half the handout's learning rate."""
MUST_FAIL = ["5.1", "7.5"]
REPLACE = [("torch.optim.SGD(model.parameters(), lr=0.1)", "torch.optim.SGD(model.parameters(), lr=0.05)")]
