"""compare_initializers seeds once, before the loop over schemes: every scheme after the first starts
from another random state, so the schemes are not compared from the same draws."""
MUST_FAIL = ["5.1", "7.5"]
REPLACE = [("    for scheme in schemes:\n        torch.manual_seed(seed)\n",
            "    torch.manual_seed(seed)\n    for scheme in schemes:\n")]
