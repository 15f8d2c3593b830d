"""Writes records the parent must refuse cheaply: a stride-0 tensor of 150,000 x 150,000, a pickle of
ten million objects, a 40 MB error message (issue 12, class 5): bounded time, a small report."""
BASE = "stub"
EXPECT_MAX = 0
BUDGET_S = 60
ATTACK = '''import io, os, torch
def _send(record):
    buffer = io.BytesIO()
    torch.save(record, buffer)
    for fd in range(3, 256):
        try:
            os.write(fd, buffer.getvalue())
        except OSError:
            pass
    os._exit(0)
def fan_in_and_fan_out(tensor):
    _send({"ok": True, "value": torch.zeros(1).expand(150_000, 150_000)})
def xavier_normal_(tensor, gain=1.0):
    _send({"ok": True, "value": list(range(10_000_000))})
def kaiming_normal_(tensor, mode="fan_in"):
    _send({"ok": False, "error": {"kind": "exception", "message": "x" * 40_000_000, "traceback": "y" * 40_000_000}})
def init_weights(module, scheme="kaiming_normal", bias=0.0):
    _send({"ok": False, "error": {"kind": "exception", "message": "`" * 100 + "\\x1b[2J fake PASS", "traceback": ""}})
'''
