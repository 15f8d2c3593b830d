"""Adam always gets lr=1e-3, whatever lr is passed."""
MUST_FAIL = ["3.3", "4.2"]
REPLACE = [("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    loss_fn",
            "    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\n    loss_fn")]
