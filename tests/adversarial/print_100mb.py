"""Printing 100 MB inside a graded function: the output is truncated, the check still judged."""
BASE = "reference"
EXPECT_PASS = ["1.1", "1.3", "7.1"]
ATTACK = '''_original_fans = fan_in_and_fan_out
def fan_in_and_fan_out(tensor):
    print("x" * 100_000_000)
    return _original_fans(tensor)
'''
