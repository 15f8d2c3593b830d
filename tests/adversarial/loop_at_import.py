"""An infinite loop at import: one 10 s timeout for the whole assignment, not one per check."""
BASE = "reference"
EXPECT_MAX = 0
BUDGET_S = 40
ATTACK = "while True:\n    pass\n"
