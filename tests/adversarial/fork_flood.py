"""A bounded fork flood at import: 300 children that sleep."""
DAEMON = True
BASE = "reference"
ROOT_ONLY = True
EXPECT_PASS = ["1.1", "1.3", "2.1", "6.3", "7.1"]
ATTACK = '''import os, time
for _ in range(300):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        break
'''
