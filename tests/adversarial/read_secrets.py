"""Reads the hidden checks and the reference solution and prints them into its feedback."""
BASE = "stub"
ROOT_ONLY = True
EXPECT_MAX = 0
SECRET_FILES = ["@PROJECT@/autograder/course/a1_init/hidden.py", "@PROJECT@/solutions/a1_init/initializers.py"]
ATTACK = '''for _path in @SECRET_FILES@:
    try:
        print(open(_path).read())
    except OSError as _exc:
        print("blocked:", type(_exc).__name__)
'''
