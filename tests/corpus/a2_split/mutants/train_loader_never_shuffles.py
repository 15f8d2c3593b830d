"""The training loader keeps one order for every epoch."""
MUST_FAIL = ["5.2"]
REPLACE = [("batch_size=batch_size, shuffle=True,\n", "batch_size=batch_size, shuffle=False,\n")]
