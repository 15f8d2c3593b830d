"""sys.exit(0) at import, hoping a clean exit reads as success."""
BASE = "reference"
EXPECT_MAX = 0
ATTACK = "import sys\nsys.exit(0)\n"
