"""The fork server: a process that imports torch once and forks one fresh child per check.

Started by :class:`autograder.sandbox.ServerHandle` as ``python -m autograder.sandbox.server FD``. It never
runs student code itself; each child does, after dropping its privileges, and dies when the
grader ends its check. The server reaps the child, kills everything it left behind, and reports the exit status.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import json
import math
import os
import random
import resource
import selectors
import signal
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import torch

from autograder.sandbox import hugepages, jail, wire
from autograder.sandbox.probes import DoesNotFit, MissingFunction
from autograder.sandbox.wire import IMPORTED

PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 1, 38, 36
#: A spare child's answer once it holds its request (see _Children._hand_over).
RECEIVED = b"!"
_libc = ctypes.CDLL(None, use_errno=True)

#: What this fork server could isolate (set by serve(); reported with every child's result).
ISOLATION: dict[str, bool] = {"network": False, "hidden": False, "dropped": False, "no_userns": False,
                               "pivoted": False}


# -- child side ------------------------------------------------------------------------------------

def run_session(request: dict[str, Any], out_fd: int, result_fd: int, call_fd: int) -> NoReturn:
    """Body of one sandboxed child, which serves every call of one check: read the student's file from
    the grader (``call_fd``'s first frame: it never passes through the server, so no later child inherits
    it), isolate, write the file, then read calls from ``call_fd`` until the grader closes it. The
    student's module is imported at the first call; each call starts from the same seeded state (see
    :func:`reset_torch_state`)."""
    os.setsid()
    signal.set_wakeup_fd(-1)  # the server's; student code must not write to whatever gets its number
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for stream in (sys.stdout, sys.stderr):  # line-buffered: prints survive an os._exit
        stream.reconfigure(line_buffering=True)
    keep = sorted((result_fd, call_fd))
    os.closerange(3, keep[0])
    os.closerange(keep[0] + 1, keep[1])
    os.closerange(keep[1] + 1, 4096)
    first = wire.read_frame(call_fd)
    if first is None:  # the grader ended the check before it began
        os._exit(0)
    source = first[1]
    uid = request.get("uid")
    if uid is not None and ISOLATION["hidden"]:
        jail.enter_child_namespaces(uid)
    _write_student_file(request, source, uid)
    if uid is not None:
        _drop_privileges(uid)
    ISOLATION["no_userns"] = jail.forbid_new_namespaces()
    _set_limits(request["limits"], dropped=uid is not None)
    _reset_process_state(request)
    session = _Session(request, result_fd)
    while True:
        call = wire.read_frame(call_fd)
        if call is None:  # the grader ended the check
            os._exit(0)
        header, blob = call
        if not session.serve(json.loads(header), blob):
            os._exit(0)  # the import failed: nothing more can be called


class _Session:
    """The calls of one child: the module imported once, each call reported as one framed record."""

    def __init__(self, request: dict[str, Any], result_fd: int) -> None:
        self.request, self.result_fd, self.module = request, result_fd, None

    def serve(self, call: dict[str, Any], blob: bytes) -> bool:
        """Run one call and report it; False when the student's module could not be imported."""
        _limit_cpu(call["timeout_s"])
        record = self._run_probe(call, blob)
        record["isolation"] = ISOLATION
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 -- a replaced or closed stream
                pass
        _report(self.result_fd, record)
        return self.module is not None or not self.request["module_path"]

    def _run_probe(self, call: dict[str, Any], blob: bytes) -> dict[str, Any]:
        student_path = self.request["module_path"]
        try:
            args, kwargs = wire.decode(blob)
            module_name, _, qualname = call["probe"].partition(":")
            probe = getattr(importlib.import_module(module_name), qualname)
        except BaseException as exc:  # noqa: BLE001 -- a grader fault, reported as such
            return {"ok": False, "error": {"kind": "internal", "message": _describe(exc), "traceback": ""}}
        if student_path and self.module is None:
            reset_torch_state(call["seed"])
            try:
                self.module = import_student(self.request["module_name"], student_path)
            except BaseException as exc:  # noqa: BLE001 -- anything the student's import does
                return {"ok": False, "error": classify(exc, student_path, during_import=True)}
            wire.write_frame(self.result_fd, IMPORTED)
        try:
            reset_torch_state(call["seed"])
            value = probe(self.module, *args, **kwargs)
            return {"ok": True, "value": wire.to_plain(value)}
        except BaseException as exc:  # noqa: BLE001 -- anything the student's code raises
            return {"ok": False, "error": classify(exc, student_path, during_import=False)}


def _limit_cpu(timeout_s: float) -> None:
    """This call's CPU limit, counted from what the child has used so far (SIGXCPU past it). The
    grader measures each call's CPU time itself and does not rely on this."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit = math.ceil(usage.ru_utime + usage.ru_stime + timeout_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (limit, resource.RLIM_INFINITY))


def _write_student_file(request: dict[str, Any], source: bytes, uid: int | None) -> None:
    """The student's file, written by the child itself into its private working directory."""
    if uid is not None:
        os.chown(request["workdir"], uid, uid)
    if not request["module_path"]:
        return
    fd = os.open(request["module_path"], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(source)
    if uid is not None:
        os.chown(request["module_path"], uid, uid)


def _drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _vm_size_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _set_limits(limits: dict[str, Any], dropped: bool) -> None:
    """rlimits; the address-space cap counts from what torch already maps (3.2 GB for a CUDA build).
    The CPU limit is set per call (:func:`_limit_cpu`); its hard limit stays open for later calls."""
    rules = {
        resource.RLIMIT_AS: _vm_size_bytes() + limits["memory_mb"] * 2**20,
        resource.RLIMIT_FSIZE: limits["file_mb"] * 2**20,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NOFILE: 256,
    }
    if dropped:  # RLIMIT_NPROC counts every process of the uid: only meaningful for a private uid
        rules[resource.RLIMIT_NPROC] = limits["nproc"]
    for rule, value in rules.items():
        resource.setrlimit(rule, (value, value))
    resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _reset_process_state(request: dict[str, Any]) -> None:
    workdir = request["workdir"]
    os.environ.clear()
    os.environ.update(HOME=workdir, TMPDIR=workdir, PATH="/usr/bin:/bin", LANG="C.UTF-8",
                      OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg")
    os.chdir(workdir)
    sys.path.insert(0, workdir)
    sys.dont_write_bytecode = True


def _reaches_accelerators() -> bool:
    """Whether this process could use a device whose generators ``torch.manual_seed`` also seeds:
    a CUDA build on a machine with an NVIDIA device, or an XPU or MTIA build. Read from the build and
    /dev (in the fork server, before any isolation), never by initializing a device, which a fork
    server must not do (its children could not use it)."""
    cuda = torch.backends.cuda.is_built() and any(Path("/dev").glob("nvidia[0-9]*"))
    return cuda or any(getattr(getattr(torch, name, None), "_is_compiled", lambda: True)() for name in ("xpu", "mtia"))


#: Without an accelerator, seeding the CPU generator is all ``torch.manual_seed`` does, far cheaper
#: (``torch.manual_seed`` queues a seed for every device type, each with a formatted stack trace),
#: and it runs in every child.
SEED_ALL_DEVICES = _reaches_accelerators()


def reset_torch_state(seed: int) -> None:
    """Seeds, one thread, float32, grad mode on: before the import, and again after it, so whatever
    the student's module does at import (reseeding, set_default_dtype, threads) never leaks into a probe."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if SEED_ALL_DEVICES:
        torch.manual_seed(seed)
    else:
        torch.default_generator.manual_seed(seed)
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)


def import_student(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001 -- a hostile __str__
        text = "<unprintable>"
    return f"{type(exc).__name__}: {text}"[:2000] if text else type(exc).__name__


def classify(exc: BaseException, student_path: str, during_import: bool) -> dict[str, Any]:
    """Turn an exception into a kind the parent can explain, with only the student's traceback lines."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == student_path]
    if isinstance(exc, SyntaxError) and exc.filename == student_path:
        frames.append(traceback.FrameSummary(student_path, exc.lineno or 0, "<module>", line=exc.text or ""))
    trace = "".join(traceback.format_list(frames)).replace(student_path, os.path.basename(student_path))
    if isinstance(exc, MissingFunction):
        kind = "missing"
    elif isinstance(exc, DoesNotFit) and not frames:  # the probe's own finding, not raised by student code
        kind = "does_not_fit"
    elif isinstance(exc, NotImplementedError):
        kind = "not_implemented"
    elif isinstance(exc, SystemExit):
        kind = "exit"
    elif isinstance(exc, MemoryError) or "can't allocate memory" in _describe(exc):
        kind = "memory"
    elif during_import:
        kind = "import"
    else:
        kind = "exception"
    return {"kind": kind, "message": str(exc) if kind == "does_not_fit" else _describe(exc), "traceback": trace[-4000:]}


def _report(fd: int, record: dict[str, Any]) -> None:
    try:
        data = wire.encode(record)
    except BaseException as exc:  # noqa: BLE001 -- e.g. a monkeypatched torch.Tensor.numpy
        data = wire.encode({"ok": False, "error": {"kind": "bad_result", "message": _describe(exc), "traceback": ""}})
    wire.write_frame(fd, wire.RECORD, data)


# -- server side -----------------------------------------------------------------------------------

def _sweep(pgid: int, uid: int | None, live: set[int]) -> None:
    """Kill whatever a child left behind: its process group, every process of its uid, orphans
    (every child of ours but the ``live`` ones, which serve another check under another uid)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if uid is not None:
        _kill_uid(uid)
    for _ in range(1000):  # orphans reparent to us (we are a subreaper): kill and reap until none
        orphans = [pid for pid in children_of(os.getpid()) if pid not in live]
        if not orphans:
            return
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in orphans:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.001)


def _kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid`` (we are root), again until a pass finds none: a process
    forking between two passes is caught by the next one."""
    for _ in range(100):
        found = False
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.stat(f"/proc/{entry}").st_uid == uid:
                        os.kill(int(entry), signal.SIGKILL)
                        found = True
                except (FileNotFoundError, ProcessLookupError):
                    continue
        if not found:
            return


def children_of(parent: int) -> list[int]:
    """Every process whose parent is ``parent`` (zombies included: they still need reaping).

    Read from the kernel's list of each of its threads' children (one read per thread), else, where
    the kernel keeps no such list, from a walk of /proc (one read per process on the machine).
    A process forked or reparented during the read may be missed: the sweep reads again until a
    pass finds none, and kills every process of the child's uid by a walk of its own."""
    try:
        return [int(pid) for tid in os.listdir(f"/proc/{parent}/task")
                for pid in Path(f"/proc/{parent}/task/{tid}/children").read_text().split()]
    except OSError:
        return _children_by_walk(parent)


def _children_by_walk(parent: int) -> list[int]:
    me = str(parent)
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                found.append(int(entry))
    return found


def _preload(modules: list[str], prepare: dict[str, bool]) -> None:
    """Import what student code commonly imports, and warm up what the graded assignments' checks use
    (``prepare``: see :func:`autograder.sandbox.preparation`), once for every child."""
    torch.set_num_threads(1)
    for name in modules:
        importlib.import_module(name)
    from autograder.sandbox.warmup import warm_up
    warm_up(training=prepare["training"], figures=prepare["figures"])
    if prepare["dataset"]:
        from autograder import data
        data.preload()


def serve(sock: socket.socket) -> None:
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        header, _, _ = wire.recv_message(sock)
    except (EOFError, ConnectionError):
        return  # the grader went away before it needed us
    init = json.loads(header)
    _preload(init["preload"], init["prepare"])
    if init.get("isolate"):
        ISOLATION.update(_isolate(init))
    wire.send_message(sock, b'{"ready": true}')
    _Children(sock, init["tmp_root"], init["uids"]).serve()


class _Children:
    """The server's loop: fork a child per request, report each child's end, sweep after it.

    A spare child is forked ahead of time and waits for its request (as root, before any isolation,
    running nothing but this module), so a fork (copying the page tables of a process that maps torch)
    is not on the path of a check. With two private uids the spare is forked while the
    previous check's child still exits (its address space takes tens of milliseconds to tear down):
    each uid has at most one child, so the sweep of one never touches the other. Without privileges
    (one uid, ``None``) children take turns. A child the grader has ended but that does not exit
    within END_GRACE_S is killed.
    """

    END_GRACE_S = 1.0
    HAND_OVER_TRIES = 3
    HAND_OVER_TIMEOUT_S = 10.0

    def __init__(self, sock: socket.socket, tmp_root: str, uids: list[int | None]) -> None:
        self.sock, self.tmp_root, self.free = sock, tmp_root, list(uids)
        self.live: dict[int, tuple[int | None, str]] = {}   # pid -> (uid, its scratch folder or "")
        self.deadlines: dict[int, float] = {}               # pid -> when an ended child is killed
        self.spare: tuple[int, int | None, str, socket.socket] | None = None  # pid, uid, scratch, its channel
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)

    def serve(self) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self.sock, selectors.EVENT_READ)
        sel.register(self.wake_r, selectors.EVENT_READ)
        self._fork_spare()
        collapser = hugepages.Collapser()
        try:
            while True:
                events = sel.select(timeout=0 if collapser.pending else self._until_deadline())
                for key, _ in events:
                    if key.fd == self.wake_r:
                        os.read(self.wake_r, 4096)
                    else:
                        self._handle(*wire.recv_message(self.sock))
                if not events and collapser.pending:
                    collapser.step()  # idle: cheaper forks from now on
                self._reap()
        except (EOFError, ConnectionError):
            self._shutdown()

    def _handle(self, header: bytes, _blob: bytes, fds: list[int]) -> None:
        message = json.loads(header)
        if "end" in message:
            if message["end"] in self.live:
                self._end(message["end"], self.END_GRACE_S)
            return
        try:
            for attempt in range(1, self.HAND_OVER_TRIES + 1):
                if self._hand_over(message, fds, last=attempt == self.HAND_OVER_TRIES):
                    return
        finally:
            for fd in fds:
                os.close(fd)

    def _hand_over(self, request: dict[str, Any], fds: list[int], last: bool) -> bool:
        """Give the request (its settings and the grader's ends of the child's pipes, never the student's
        file) to the spare child, which becomes the check's child; fork the next spare.

        False when the spare did not acknowledge the request (killed from outside while it waited:
        the OOM killer, an operator): it ran no student code, so it is replaced, never reported as
        the check's child (whose death would read as the student's crash). On the ``last`` try it is
        reported all the same, so a failure that repeats cannot loop forever."""
        self._wait_for_spare()
        pid, uid, scratch, channel = self.spare
        self.spare = None
        workdir = scratch or jail.WORKDIR
        request.update(uid=uid, workdir=workdir,
                       module_path=os.path.join(workdir, request["module_name"] + ".py") if request["has_module"] else "")
        try:
            wire.send_message(channel, json.dumps(request).encode(), b"", fds)
            channel.settimeout(self.HAND_OVER_TIMEOUT_S)
            received = channel.recv(1) == RECEIVED  # a spare killed just now may have been sent it
        except OSError:  # timeouts included
            received = False
        finally:
            channel.close()
        if not received and not last:
            self.free.append(self._discard_spare(pid, uid, scratch))
            return False
        self.live[pid] = (uid, scratch)
        wire.send_message(self.sock, json.dumps({"pid": pid}).encode())
        self._fork_spare()
        return True

    def _discard_spare(self, pid: int, uid: int | None, scratch: str) -> int | None:
        """A spare that will serve no check: killed, reaped, swept; returns its uid."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        self._clean_up(pid, uid, scratch)
        return uid

    def _fork_spare(self) -> None:
        """Fork a child that waits for its request (when a uid is free and there is no spare yet)."""
        if self.spare is not None or not self.free:
            return
        uid = self.free.pop(0)
        # with the allow-list root the child mounts a fresh tmpfs on jail.WORKDIR: no folder to clean up
        scratch = "" if ISOLATION["hidden"] else tempfile.mkdtemp(prefix="call-", dir=self.tmp_root)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                signal.set_wakeup_fd(-1)  # the server's: its number may come back as one of this child's pipes
                keep = theirs.fileno()    # nothing else of the server's, e.g. the pipes of the check just handed over
                os.closerange(3, keep)
                os.closerange(keep + 1, 4096)
                _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # no spare outlives its server
                header, _, fds = wire.recv_message(theirs)
                theirs.sendall(RECEIVED)  # alive with its request: now it is the check's child
                theirs.close()
                run_session(json.loads(header), *fds)
            finally:
                os._exit(70)
        theirs.close()
        self.spare = (pid, uid, scratch, ours)

    def _end(self, pid: int, grace: float) -> None:
        self.deadlines[pid] = time.monotonic() + grace

    def _until_deadline(self) -> float | None:
        if not self.deadlines:
            return None
        return max(0.0, min(self.deadlines.values()) - time.monotonic())

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        for pid, deadline in list(self.deadlines.items()):
            if deadline <= now:
                del self.deadlines[pid]
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def _reap(self) -> None:
        """Report every child of ours that has ended; never blocks."""
        self._kill_overdue()
        for pid in list(self.live):
            pid_done, status, usage = os.wait4(pid, os.WNOHANG)
            if pid_done:
                self._finish(pid, status, usage)

    def _wait_for_spare(self) -> None:
        """Block until there is a spare child: until a uid is free, i.e. some child ended (overdue
        ones are killed on the way)."""
        while True:
            self._reap()
            self._fork_spare()
            if self.spare is not None:
                return
            timeout = self._until_deadline()
            time.sleep(min(0.005, timeout) if timeout is not None else 0.005)

    def _shutdown(self) -> None:
        """The grader is gone: nothing outlives it."""
        for pid in self.live:
            self._end(pid, 0.0)
        self._kill_overdue()
        if self.spare is not None:
            pid, uid, scratch, channel = self.spare
            channel.close()
            self.spare = None
            self._discard_spare(pid, uid, scratch)
        for pid in list(self.live):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            self._clean_up(pid, *self.live.pop(pid))

    def _finish(self, pid: int, status: int, usage: Any) -> None:
        uid, scratch = self.live.pop(pid)
        self._clean_up(pid, uid, scratch)
        self.deadlines.pop(pid, None)
        self.free.append(uid)
        wire.send_message(self.sock, json.dumps({"ended": pid, "status": status, "maxrss_kb": usage.ru_maxrss,
                                                 "cpu_s": usage.ru_utime + usage.ru_stime}).encode())
        self._fork_spare()

    def _clean_up(self, pid: int, uid: int | None, scratch: str) -> None:
        """After a child ended (no longer in ``live``): sweep what it left (sparing the other children)
        and its scratch folder."""
        _sweep(pid, uid, set(self.live) | ({self.spare[0]} if self.spare else set()))
        if scratch:
            jail.remove_tree(scratch)


def _loaded_package_files(package: str) -> list[str]:
    """The files of the grader package that this server's modules were loaded from (the probes, the
    encoding, the server): all a child may see of the package, so no code it can import computes what
    the parent judges with (judges, checks, hidden checks, recorded reference outcomes stay out)."""
    loaded = {os.path.realpath(module.__file__) for module in list(sys.modules.values())
              if isinstance(getattr(module, "__file__", None), str)}
    return sorted(path for path in loaded if path.startswith(package + os.sep))


def _isolate(init: dict[str, Any]) -> dict[str, bool]:
    """As root, once: the allow-list root (see :mod:`autograder.sandbox.jail`); children inherit it at fork."""
    new_root = os.path.join(init["tmp_root"], f"root-{os.getpid()}")
    os.mkdir(new_root, 0o755)
    try:
        from autograder import data
        from autograder.course import PACKAGE_DIR

        package = str(PACKAGE_DIR)
        pivoted = jail.build_root(new_root, init["visible"], init["hide"] + [str(p) for p in data.test_split_files()],
                                  package, _loaded_package_files(package))
    except OSError as exc:
        print(f"autograder: the sandbox could not build its private root ({exc}); children run "
              "with a dropped uid only", file=sys.stderr)
        return {"network": False, "hidden": False, "dropped": True}
    return {"network": True, "hidden": True, "dropped": True, "pivoted": pivoted}


if __name__ == "__main__":  # run through the imported module, so its classes are the ones probes see
    from autograder.sandbox import server

    server.serve(socket.socket(fileno=int(sys.argv[1])))
    os._exit(0)  # the grader is gone; an interpreter shutdown with torch and matplotlib loaded takes a second
