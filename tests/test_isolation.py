"""The sandbox as root: a dropped uid, no network, hidden grader paths, nothing outside its copy."""

from __future__ import annotations

import socket
import textwrap

import torch

from autograder.assignments import SOLUTIONS_DIR, get_assignment
from autograder.sandbox import SANDBOX_UIDS
from autograder.submission import Submission
from tests.conftest import requires_root
from tests.mutation import write_submission

A1 = get_assignment("a1_init")


def _probe_file(tmp_path, port: int, outside) -> Submission:
    body = textwrap.dedent(f'''
        import os, socket
        def _try(action):
            try:
                action()
                return "allowed"
            except Exception as exc:
                return type(exc).__name__
        def _connect():
            with socket.create_connection(("127.0.0.1", {port}), timeout=2):
                pass
        def _write_outside():
            with open({str(outside)!r}, "w") as f:
                f.write("owned")
        def fan_in_and_fan_out(tensor):
            return {{
                "uid": os.getuid(),
                "read_solution": _try(lambda: open({str(SOLUTIONS_DIR / "a1_init" / "initializers.py")!r}).read()),
                "network": _try(_connect),
                "write_outside": _try(_write_outside),
                "write_cwd": _try(lambda: open("scratch.txt", "w").write("ok")),
                "env_keys": sorted(os.environ),
            }}
    ''')
    submission = write_submission(tmp_path / "sub", "a1_init", body)
    return submission / A1.filename


@requires_root
def test_root_child_is_unprivileged_offline_and_blind_to_solutions(grader, tmp_path):
    outside = tmp_path / "outside.txt"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        student = _probe_file(tmp_path, port, outside)
        seen = Submission(A1, student, grader.pool, "test/isolation", 10.0).call("fan_in_and_fan_out", torch.empty(2, 2))
    assert seen["uid"] in SANDBOX_UIDS
    assert seen["read_solution"] in ("PermissionError", "FileNotFoundError")
    assert seen["network"] != "allowed"
    assert seen["write_outside"] in ("PermissionError", "FileNotFoundError") and not outside.exists()
    assert seen["write_cwd"] == "allowed"
    assert set(seen["env_keys"]) <= {"HOME", "TMPDIR", "PATH", "LANG", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND"}
    assert (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text()  # the parent still reads it


def test_child_copy_is_private_and_the_original_is_untouched(grader, tmp_path):
    submission = write_submission(tmp_path, "a1_init", textwrap.dedent('''
        import os
        def fan_in_and_fan_out(tensor):
            os.remove(__file__)
            return os.getcwd()
    '''))
    original = (submission / A1.filename).read_text()
    cwd = Submission(A1, submission / A1.filename, grader.pool, "test/private", 10.0).call(
        "fan_in_and_fan_out", torch.empty(2, 2))
    assert cwd != str(submission)
    assert (submission / A1.filename).read_text() == original
