"""Reads what a child must not see: the repository's git objects, the mutants, the class folder next to
its own submission, root's home (issue 12, class 3), and prints it into its feedback."""
BASE = "stub"
ROOT_ONLY = True
EXPECT_MAX = 0
SECRET_FILES = ["@PROJECT@/.git/HEAD", "@PROJECT@/tests/course/test_assignments.py", "@PROJECT@/README.md"]
ATTACK = '''import os, subprocess
for _path in @SECRET_FILES@ + ["@SUBMISSION@/..", "/root", "@PROJECT@"]:
    try:
        print(open(_path).read() if os.path.isfile(_path) else os.listdir(_path))
    except OSError as _exc:
        print("blocked:", type(_exc).__name__)
try:
    print(subprocess.run(["git", "-C", "@PROJECT@", "show", "HEAD:solutions/a1_init/initializers.py"],
                         capture_output=True, text=True, timeout=5).stdout)
except Exception as _exc:
    print("git blocked:", type(_exc).__name__)
'''
