"""os._exit(0) inside one function: only its checks fail."""
BASE = "reference"
EXPECT_PASS = ["1.1", "1.3", "7.1"]
EXPECT_FAIL = ["2.1"]
ATTACK = "import os\ndef xavier_normal_(tensor, gain=1.0):\n    os._exit(0)\n"
