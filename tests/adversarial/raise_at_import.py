"""An exception at import."""
BASE = "reference"
EXPECT_MAX = 0
ATTACK = "raise RuntimeError('boom at import')\n"
