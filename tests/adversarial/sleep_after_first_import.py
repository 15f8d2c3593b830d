"""Imports fine for the import gate (seed 0), then sleeps at import in every later call: the time budget
ends each function after two timed-out checks and the assignment after six, instead of one wall-clock
backstop per check (issue 12, class 6; issue 24, point 5)."""
BASE = "reference"
ONLY = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"]
EXPECT_MAX = 0
BUDGET_S = 120
ATTACK = '''import random as _random, time as _time
if _random.random() != 0.8444218515250481:  # anything but the import gate's seed
    _time.sleep(10_000)
'''
