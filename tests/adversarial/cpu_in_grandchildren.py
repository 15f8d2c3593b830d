"""fan_in_and_fan_out hands its work to three grandchildren (double fork, each in a session of its own,
never waited for by the child), which spin 5 s of CPU each while the child sleeps on a pipe: 15 s of CPU
in a call limited to 10, of which the child's own counters show none. Issue 25, class "CPU in
grandchildren is not counted": as root, every child is counted with everything it starts (a cgroup of
its own), so the call times out and every process of it is killed."""
BASE = "reference"
ROOT_ONLY = True
ONLY = ["1.1"]
EXPECT_FAIL = ["1.1"]
BUDGET_S = 90
ATTACK = '''import os as _os, time as _time
_honest_fans = fan_in_and_fan_out


def fan_in_and_fan_out(tensor):
    done_r, done_w = _os.pipe()
    for _ in range(3):
        if _os.fork() == 0:
            if _os.fork() == 0:
                _os.setsid()
                end = _time.process_time() + 5.0
                while _time.process_time() < end:
                    pass
                _os.write(done_w, b"x")
                _os._exit(0)
            _os._exit(0)
        _os.wait()
    for _ in range(3):
        _os.read(done_r, 1)
    return _honest_fans(tensor)
'''
