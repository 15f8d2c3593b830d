"""train_approximator seeds torch only after building the network: the initial weights ignore the seed."""
MUST_FAIL = ["3.2"]
REPLACE = [("    torch.manual_seed(seed)\n    sizes = (1, *hidden)\n", "    sizes = (1, *hidden)\n"),
           ("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    loss_fn = nn.MSELoss()\n",
            "    torch.manual_seed(seed)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    loss_fn = nn.MSELoss()\n")]
