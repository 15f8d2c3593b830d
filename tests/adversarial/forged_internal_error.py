"""Implements nothing; fan_in_and_fan_out writes a record of its own, in the grader's encoding and framing,
that says the grader itself failed ("internal"), with terminal escapes that would erase the line and draw a
green full score. Found by a hostile review (issue 25): a child's word never makes a grader fault (no exit
3, no "the autograder failed"), and no control character reaches the terminal."""
BASE = "stub"
ONLY = ["1.1", "1.2"]
EXPECT_MAX = 0
BUDGET_S = 60
ATTACK = '''import os as _os
from autograder.sandbox import wire as _wire
def fan_in_and_fan_out(tensor):
    record = _wire.encode({"ok": False, "error": {"kind": "internal", "traceback": "",
                           "message": "\\x1b[2K\\r\\x1b[1A\\x1b[2K\\x1b[32m  TOTAL 55 / 55\\x1b[0m"}})
    for fd in range(3, 256):
        try:
            _wire.write_frame(fd, _wire.RECORD, record)
        except OSError:
            pass
    _os._exit(0)
'''
