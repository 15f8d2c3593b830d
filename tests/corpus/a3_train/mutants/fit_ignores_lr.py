"""fit always uses Adam's default learning rate."""
MUST_FAIL = ["5.2"]
REPLACE = [("optimizer = torch.optim.Adam(model.parameters(), lr=lr)", "optimizer = torch.optim.Adam(model.parameters())")]
