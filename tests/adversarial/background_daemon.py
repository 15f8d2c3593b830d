"""A daemon that escapes its process group and outlives the check."""
DAEMON = True
BASE = "reference"
EXPECT_PASS = ["1.1", "1.3", "2.1", "6.3", "7.1"]
ATTACK = '''import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(120)
    os._exit(0)
'''
