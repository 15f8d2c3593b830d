"""Plain SGD instead of Adam: the first steps differ and 1,500 steps (the final-error check) do not fit f."""
MUST_FAIL = ["3.3", "3.4"]
REPLACE = [("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    loss_fn",
            "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n    loss_fn")]
