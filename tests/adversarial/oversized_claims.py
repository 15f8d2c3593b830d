"""Writes records the parent must refuse cheaply, in the grader's own encoding and framing: a tensor
claiming 150,000 x 150,000 floats with no data behind it, a list of ten million values, a 40 MB
error message (issue 12, class 5): bounded time, a small report."""
BASE = "stub"
EXPECT_MAX = 0
BUDGET_S = 60
ATTACK = '''import os, struct
from autograder.sandbox import wire
def _send(data):
    for fd in range(3, 256):
        try:
            wire.write_frame(fd, wire.RECORD, data)
        except OSError:
            pass
    os._exit(0)
def _count(n):
    return struct.pack("<I", n)
def _ok(value):
    return b"PW1d" + _count(2) + _count(2) + b"okT" + _count(5) + b"value" + value
def fan_in_and_fan_out(tensor):
    _send(_ok(b"X" + bytes((0, 2)) + struct.pack("<2q", 150_000, 150_000)))
def xavier_normal_(tensor, gain=1.0):
    _send(_ok(b"l" + _count(10_000_000) + b"N" * 10_000_000))
def kaiming_normal_(tensor, mode="fan_in"):
    _send(wire.encode({"ok": False, "error": {"kind": "exception", "message": "x" * 40_000_000,
                                             "traceback": "y" * 40_000_000}}))
def init_weights(module, scheme="kaiming_normal", bias=0.0):
    _send(wire.encode({"ok": False, "error": {"kind": "exception",
                                             "message": "`" * 100 + "\\x1b[2J fake PASS", "traceback": ""}}))
'''
