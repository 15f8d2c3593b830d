"""compare_initializers trains with Adam(lr=0.1) instead of the handout's SGD(lr=0.1): the comparison
is no longer the lecture's (Adam rescales every step and hides what the initializations do)."""
MUST_FAIL = ["5.1", "7.5"]
REPLACE = [("torch.optim.SGD(model.parameters(), lr=0.1)", "torch.optim.Adam(model.parameters(), lr=0.1)")]
