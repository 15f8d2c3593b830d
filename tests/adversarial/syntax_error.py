"""A file that does not parse."""
BASE = "none"
EXPECT_MAX = 0
ATTACK = "def fan_in_and_fan_out(tensor:\n    return 1\n"
