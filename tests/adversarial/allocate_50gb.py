"""Allocating 50 GB inside a function: a memory error for that check only."""
BASE = "reference"
EXPECT_PASS = ["1.1", "1.3", "7.1"]
EXPECT_FAIL = ["2.1"]
ATTACK = "def xavier_normal_(tensor, gain=1.0):\n    hog = bytearray(50 * 2**30)\n    return tensor\n"
