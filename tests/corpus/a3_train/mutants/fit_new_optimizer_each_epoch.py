"""fit makes a new Adam every epoch: the running averages of the gradients start over each time."""
MUST_FAIL = ["5.2"]
REPLACE = [("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    loss_fn = nn.CrossEntropyLoss()\n",
            "    loss_fn = nn.CrossEntropyLoss()\n"),
           ("    for _ in range(epochs):\n        epoch = train_one_epoch(",
            "    for _ in range(epochs):\n        optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
            "        epoch = train_one_epoch(")]
