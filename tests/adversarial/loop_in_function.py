"""An infinite loop inside make_loaders: its checks time out, the others score."""
ASSIGNMENT = "a2_split"
ONLY = ["1.1", "2.2", "4.1", "5.1"]
BASE = "reference"
EXPECT_PASS = ["1.1", "2.2", "4.1"]
EXPECT_FAIL = ["5.1"]
BUDGET_S = 40
ATTACK = "def make_loaders(dataset, fractions=(0.7, 0.15, 0.15), batch_size=100, seed=0):\n    while True:\n        pass\n"
