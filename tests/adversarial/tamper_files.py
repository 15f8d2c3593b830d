"""Deletes and edits files of the submission and of the grader."""
BASE = "reference"
ROOT_ONLY = True
EXPECT_PASS = ["1.1", "1.3", "2.1", "6.3", "7.1"]
ATTACK = '''import os
for _path in ("@SUBMISSION@/initializers.py", "@PROJECT@/autograder/expect.py", "@PROJECT@/solutions/a1_init/initializers.py"):
    try:
        with open(_path, "a") as _handle:
            _handle.write("\\n# tampered\\n")
    except OSError:
        pass
    try:
        os.remove(_path)
    except OSError:
        pass
'''
