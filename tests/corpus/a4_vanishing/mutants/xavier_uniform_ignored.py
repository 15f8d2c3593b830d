"""One scheme's init ignored: 'xavier_uniform' keeps nn.Linear's default initialization."""
MUST_FAIL = ["2.5"]
REPLACE = [("        nn.init.xavier_uniform_(weight)\n", "        pass\n")]
