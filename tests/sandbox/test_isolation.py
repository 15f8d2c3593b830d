"""The sandbox as root: a dropped uid, no network, hidden grader paths, nothing outside its copy."""

from __future__ import annotations

import errno
import importlib
import importlib.util
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from autograder import data
from autograder.authoring.corpus import write_submission
from autograder.course import PROJECT_ROOT, SOLUTIONS_DIR, get_assignment
from autograder.sandbox import SANDBOX_UIDS, jail
from autograder.submission import Submission
from tests.conftest import requires_root

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


def _call(grader, tmp_path, body: str, name: str = "fan_in_and_fan_out", timeout_s: float = 30.0):
    submission = write_submission(tmp_path, "a1_init", textwrap.dedent(body))
    return Submission(A1, submission / A1.filename, grader.pool, f"test/{tmp_path.name}", timeout_s).call(
        name, torch.empty(2, 2))


@requires_root
def test_the_child_sees_an_allow_list_not_the_machine(grader, tmp_path):
    """Issue 12, class 3: no repository, .git, tests, class folder, reports or home directories."""
    classmate = tmp_path / "class" / "classmate" / "initializers.py"
    classmate.parent.mkdir(parents=True)
    classmate.write_text("SECRET = 1\n")
    seen = _call(grader, tmp_path, f'''
        import os
        def _state(path):
            try:
                return sorted(os.listdir(path)) if os.path.isdir(path) else "readable:" + open(path).read(20)
            except OSError as exc:
                return type(exc).__name__
        def fan_in_and_fan_out(tensor):
            paths = [{str(PROJECT_ROOT / ".git")!r}, {str(PROJECT_ROOT / "tests")!r}, {str(PROJECT_ROOT / "solutions")!r},
                     {str(classmate)!r}, {str(classmate.parent.parent)!r}, "/var/tmp", "/run/lock", "/home",
                     {str(PROJECT_ROOT / "autograder" / "course" / "a1_init" / "hidden.py")!r}]
            return {{"paths": {{p: _state(p) for p in paths}}, "root": sorted(os.listdir("/")),
                     "procs": [p for p in os.listdir("/proc") if p.isdigit()], "pid": os.getpid(),
                     "home_of_root": _state(os.path.expanduser("~root"))}}
    ''')
    for path, state in seen["paths"].items():
        assert state in ("FileNotFoundError", "PermissionError"), f"the child can see {path}: {state}"
    assert set(seen["root"]) <= {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "root", "sandbox",
                                 "sbin", "sys", "tmp", "usr", jail.STAGING.lstrip("/")} | {PROJECT_ROOT.parts[1]}
    assert seen["procs"] == [str(seen["pid"])], "the child sees processes of other users"


@requires_root
def test_the_machines_root_is_detached_not_just_out_of_reach(grader, tmp_path):
    """Issue 25, point 6: the fork server enters the allow-list root with pivot_root and detaches the
    machine's root, so it is not mounted anywhere a child could reach, even with a capability it does
    not have; a child also cannot chroot, no path (``..``, /proc/*/root) finds a file outside, and
    every mount is read-only but the child's scratch, /proc and the device nodes."""
    marker = Path("/var/tmp") / f"autograder-outside-{os.getpid()}-{tmp_path.name}"
    marker.write_text("outside")
    try:
        student = write_submission(tmp_path, "a1_init", textwrap.dedent(f'''
            import os
            def _try(action):
                try:
                    return repr(action())
                except OSError as exc:
                    return type(exc).__name__
            def fan_in_and_fan_out(tensor):
                paths = [{str(marker)!r}, "/.." + {str(marker)!r}, "/proc/self/root" + {str(marker)!r},
                         "/proc/1/root" + {str(marker)!r}, "/proc/1/root/etc/hostname"]
                return {{"read": {{p: _try(lambda p=p: open(p).read()) for p in paths}},
                        "chroot": _try(lambda: os.chroot(".")), "parent": sorted(os.listdir("/..")),
                        "root": sorted(os.listdir("/")),
                        "mounts": [line.split()[4] for line in open("/proc/self/mountinfo")],
                        "writable": [line.split()[4] for line in open("/proc/self/mountinfo")
                                     if not line.split()[5].startswith("ro")]}}
        '''))
        sub = Submission(A1, student / A1.filename, grader.pool, f"test/{tmp_path.name}", 30.0)
        seen = sub.call("fan_in_and_fan_out", torch.empty(2, 2))
    finally:
        marker.unlink()
    assert sub.outcomes[-1].isolation.get("pivoted") is True
    assert all(state in ("FileNotFoundError", "PermissionError") for state in seen["read"].values()), seen["read"]
    assert seen["chroot"] == "PermissionError" and seen["parent"] == seen["root"]
    assert jail.OLD_ROOT not in seen["mounts"] and "/" in seen["mounts"]
    scratch = {"/proc", jail.WORKDIR, *jail.SCRATCH_PATHS, *(f"/dev/{name}" for name in jail.DEVICES)}
    assert set(seen["writable"]) <= scratch, "read-only trees hold writable submounts (e.g. /sys/fs/cgroup)"


@requires_root
def test_the_child_sees_only_the_grader_modules_it_runs_and_no_test_split(grader, tmp_path):
    """Issue 25, point 2: of the grader's package a child reads the probes and the encoding, never a judge,
    a check, a hidden check, their bytecode or a template (none of it imports), nor a copy of the test split."""
    package = PROJECT_ROOT / "autograder"
    (package / "course" / "a4_vanishing" / "judge.py").read_text()   # the parent reads them all
    compiled = sorted(str(p) for p in (package / "course" / "a4_vanishing" / "__pycache__").glob("judge.*.pyc"))
    secret = [package / "course" / "a4_vanishing" / "judge.py", package / "course" / "a1_init" / "hidden.py",
              package / "course" / "a1_init" / "checks.py", package / "laws.py", package / "grading.py",
              package / "authoring" / "template" / "course" / "judge.py.tmpl", package / "gradescope" / "setup.sh",
              *compiled, *data.test_split_files()]
    seen = _call(grader, tmp_path, f'''
        import importlib, os
        def _read(path):
            try:
                return "readable:" + str(len(open(path, "rb").read()))
            except OSError as exc:
                return type(exc).__name__
        def _import(name):
            try:
                importlib.import_module(name)
                return "imported"
            except Exception as exc:
                return type(exc).__name__
        def fan_in_and_fan_out(tensor):
            return {{"secret": {{p: _read(p) for p in {[str(p) for p in secret]!r}}},
                     "probes": _read({str(package / "course" / "a4_vanishing" / "probes.py")!r}),
                     "wire": _read({str(package / "sandbox" / "wire.py")!r}),
                     "course": sorted(os.listdir({str(package / "course" / "a4_vanishing")!r})),
                     "imports": {{n: _import(n) for n in ("autograder.course.a4_vanishing.judge", "autograder.laws",
                                 "autograder.course.a5_approx.judge", "autograder.expect", "autograder.course.a1_init.hidden")}}}}
    ''')
    assert data.test_split_files(), "Fashion-MNIST's test split should be installed where the tests run"
    for path, state in seen["secret"].items():   # the package shows nothing else; a split file is masked
        assert state in ("FileNotFoundError", "PermissionError"), f"the child can read {path}: {state}"
    assert seen["probes"].startswith("readable:") and seen["wire"].startswith("readable:")
    assert seen["course"] == ["__init__.py", "probes.py"]
    assert set(seen["imports"].values()) == {"ModuleNotFoundError"}, seen["imports"]


@requires_root
@pytest.mark.skipif(platform.machine() not in jail._ARCH, reason="no seccomp filter on this architecture")
def test_the_child_cannot_keep_keys_in_the_kernel(grader, tmp_path):
    """A key in the uid's keyring would outlive the call (found by the hostile review): refused."""
    numbers = jail._ARCH[platform.machine()][2]
    seen = _call(grader, tmp_path, f'''
        import ctypes, os
        def fan_in_and_fan_out(tensor):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            text = ctypes.c_char_p(b"kept")
            result = libc.syscall(ctypes.c_long({numbers[0]}), ctypes.c_char_p(b"user"), ctypes.c_char_p(b"drop"),
                                  text, ctypes.c_long(4), ctypes.c_long(-4))
            return [result, ctypes.get_errno()]
    ''')
    assert seen == [-1, errno.ENOSYS]


UNDER_TMP_SCRIPT = '''
import json, sys, textwrap
from pathlib import Path
import torch
from autograder.course import get_assignment
from autograder.sandbox import SandboxPool
from autograder.submission import Submission
assignment, folder = get_assignment("a1_init"), Path(sys.argv[1])
(folder / "initializers.py").write_text(textwrap.dedent("""
    import autograder.course.a1_init.probes as probes
    def _read(path):
        try:
            return "readable:" + str(len(open(path).read()))
        except OSError as exc:
            return type(exc).__name__
    def fan_in_and_fan_out(tensor):
        with open("/tmp/mine", "w") as scratch:
            scratch.write("x")
        return {"probes": _read(probes.__file__), "judge": _read(probes.__file__.replace("probes.py", "judge.py")),
                "tmp": _read("/tmp/mine")}
"""))
with SandboxPool(1, assignments=["a1_init"]) as pool:
    print(json.dumps(Submission(assignment, folder / "initializers.py", pool, "test/under-tmp", 30.0)
                     .call("fan_in_and_fan_out", torch.empty(2, 2))))
'''


@requires_root
def test_the_sandbox_runs_from_a_checkout_below_tmp(tmp_path):
    """Issue 25, point 7: each child's fresh /tmp covers a grader installed below /tmp; the trees it may
    read are bound back into it (read-only), so a call reads them as from anywhere else."""
    checkout = tmp_path / "checkout"
    shutil.copytree(PROJECT_ROOT / "autograder", checkout / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    (checkout / "student").mkdir()
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, "-c", UNDER_TMP_SCRIPT, str(checkout / "student")], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["probes"].startswith("readable:") and seen["judge"] == "FileNotFoundError"
    assert seen["tmp"] == "readable:1"


@requires_root
def test_every_module_of_the_standard_library_imports_in_the_child(grader, tmp_path):
    """Issue 13, point 2: the interpreter's tree is readable inside the child, wherever it lives."""
    names = sorted(n for n in sys.stdlib_module_names if not n.startswith("_") and n not in ("antigravity", "this"))
    importable = [n for n in names if importlib.util.find_spec(n) is not None]
    failed = _call(grader, tmp_path, f'''
        import importlib
        def fan_in_and_fan_out(tensor):
            failed = []
            for name in {importable!r}:
                try:
                    importlib.import_module(name)
                except Exception as exc:
                    failed.append(f"{{name}}: {{type(exc).__name__}}: {{exc}}")
            import matplotlib.pyplot as plt, torchvision, tqdm, torchsummary  # noqa: F401
            plt.plot([1, 2]); plt.show()
            return failed
    ''', timeout_s=60.0)
    parent_failed = []
    for name in importable:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 -- some modules need a display or a platform feature
            parent_failed.append(name)
    assert [f for f in failed if f.split(":")[0] not in parent_failed] == []


@requires_root
def test_no_user_namespaces_and_nothing_left_behind_for_the_next_call(grader, tmp_path):
    """Issue 12, classes 3 and 6: /tmp, /dev/shm, the workdir and SysV memory die with the call."""
    body = '''
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def fan_in_and_fan_out(tensor):
            seen = {"userns": libc.unshare(0x10000000), "left": sorted(os.listdir("/tmp")) + sorted(os.listdir("/dev/shm")),
                    "shm": libc.shmget(0x5eed, 0, 0)}
            libc.shmget(0x5eed, 4096, 0o1666)
            for folder in ("/tmp", "/dev/shm"):
                open(folder + "/left-behind", "w").write("x")
            path = "deep"
            for _ in range(3000):
                os.mkdir(path)
                os.chdir(path)
            return seen
    '''
    first = _call(grader, tmp_path / "a", body)
    second = _call(grader, tmp_path / "b", body)
    assert first["userns"] == -1
    bound_back = {Path(path).relative_to(scratch).parts[0]   # a grader or venv below /tmp, read-only (point 7)
                  for path in (*jail.visible_paths(), str(PROJECT_ROOT / "autograder"))
                  for scratch in jail.SCRATCH_PATHS if path.startswith(scratch + "/")}
    assert set(second["left"]) == bound_back and second["shm"] == -1, second


def test_a_symlinked_submission_is_not_followed(grader, tmp_path):
    """Issue 12, class 4: a link to the reference solution is graded as nothing, not as the reference."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / A1.filename).symlink_to(SOLUTIONS_DIR / "a1_init" / A1.filename)
    report = grader.grade(folder, ["a1_init"], only={"1.1", "2.1"})
    assert report.score == 0
    assert all("link" in r.output or "not found" in r.output for r in report.results), report.results[0].output
