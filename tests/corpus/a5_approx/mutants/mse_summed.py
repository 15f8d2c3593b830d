"""The squared errors are summed over the batch, not averaged: steps and losses 64 times too large."""
MUST_FAIL = ["3.3", "4.2"]
REPLACE = [("    loss_fn = nn.MSELoss()\n", "    loss_fn = nn.MSELoss(reduction=\"sum\")\n")]
