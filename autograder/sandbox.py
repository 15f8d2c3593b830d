"""Run untrusted student code in disposable, isolated children; return plain data or a clear error.

The parent keeps a pool of fork servers (:mod:`autograder.forkserver`), one per ``--jobs`` slot,
each with ``torch`` and the trusted probes preloaded, so a call costs a fork (milliseconds), not an
``import torch`` (seconds). Every call gets a fresh child with seeded RNGs, one torch thread,
rlimits, a private copy of the student file as its working directory and a scrubbed environment;
as root it also gets private network and mount namespaces, hidden grader paths and its own uid.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import queue
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from autograder import jail, wire
from autograder.discovery import SubmissionFileError, read_regular
from autograder.wire import IMPORTED

#: Imported once by each fork server, so that children do not pay for them again. Anything else
#: student code imports comes from the read-only interpreter tree in the child's root (see jail.py).
PRELOAD = (
    "abc", "argparse", "bisect", "collections", "collections.abc", "contextlib", "copy", "csv",
    "dataclasses", "encodings.ascii", "encodings.idna", "encodings.latin_1", "enum", "functools",
    "heapq", "io", "itertools", "json", "math", "numbers", "operator", "os", "pathlib", "pickle",
    "random", "re", "shutil", "socket", "statistics", "string", "struct", "subprocess", "sys",
    "tempfile", "threading", "time", "typing", "warnings", "zipfile",
    "numpy", "numpy.random", "torch", "torch.nn", "torch.nn.functional", "torch.nn.init",
    "torch.optim", "torch.utils.data", "torchsummary", "matplotlib", "matplotlib.pyplot", "matplotlib.figure", "autograder.probes",
)

#: Where the fork server finds Fashion-MNIST and its cache, as the grader does.
PASSED_ENV = ("HOME", "FASHION_MNIST_DIR", "AUTOGRADER_CACHE", "CUDA_VISIBLE_DEVICES")
SANDBOX_UIDS = range(61000, 62000)
UID_LOCK_DIR = Path("/run/autograder-uids") if Path("/run").is_dir() else Path("/tmp/autograder-uids")
RESULT_CAP_BYTES = 64 * 2**20
OUTPUT_CAP_BYTES = 8 * 1024
SOURCE_CAP_BYTES = 2 * 2**20
DRAIN_GRACE_S = 2.0
#: Verdicts judge CPU time, so a loaded machine never changes one. Wall-clock time only catches a
#: child that sleeps or blocks: past its CPU limit plus WALL_GRACE_S of wall-clock time, a child whose
#: CPU time is under IDLE_SHARE of the time elapsed is idle, not starved (on 2 cores that takes a load
#: above 40); past WALL_HARD_FACTOR times its limit, any child ends.
WALL_GRACE_S, IDLE_SHARE, WALL_HARD_FACTOR = 3.0, 0.05, 6.0
POLL_S = 0.25
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MESSAGE_CAP_CHARS, TRACEBACK_CAP_CHARS = 2000, 4000


def _child_memory_mb() -> int:
    """AUTOGRADER_CHILD_MEMORY_MB, else 2048; run_autograder lowers it to fit Gradescope's 768 MB."""
    return int(os.environ.get("AUTOGRADER_CHILD_MEMORY_MB", "2048"))


@dataclass(frozen=True)
class Limits:
    """Resources of one sandboxed call."""

    timeout_s: float = 10.0  # CPU seconds
    memory_mb: int = field(default_factory=_child_memory_mb)   # address space above what the child maps at fork
    nproc: int = 16         # processes and threads of the private uid (root only)
    file_mb: int = 16       # largest file the child may write


class SubmissionError(Exception):
    """The student's code failed in a way the grader can explain.

    ``kind`` is one of: not_implemented, missing, import, exception, exit, memory, timeout,
    crashed, exited, bad_result, internal.
    """

    def __init__(self, kind: str, message: str, traceback: str = "", output: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.traceback, self.output = kind, message, traceback, output


@dataclass
class Outcome:
    """What the parent learned from one child: a value or an error, and what it printed."""

    value: Any = None
    error: SubmissionError | None = None
    output: str = ""
    seconds: float = 0.0
    maxrss_kb: int = 0
    isolation: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One sandboxed call: run ``probe(student_module, *args, **kwargs)`` with a fixed seed."""

    probe: str                     # "module:function" of a trusted probe
    student_file: Path | None
    module_name: str
    seed: int
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    limits: Limits = Limits()


def probe_name(probe: Callable) -> str:
    return f"{probe.__module__}:{probe.__qualname__}"


def is_root() -> bool:
    return os.geteuid() == 0


def claim_uid() -> tuple[int, int]:
    """A sandbox uid no other grader on this machine is using, and the locked file that holds it.

    Children are cleaned up by killing every process of their uid, so two graders (a test run and
    a benchmark, two course batches) must never share one: each uid is held by an flock for as long
    as its fork server lives.
    """
    UID_LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    for uid in SANDBOX_UIDS:
        fd = os.open(UID_LOCK_DIR / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return uid, fd
        except BlockingIOError:
            os.close(fd)
    raise RuntimeError(f"all {len(SANDBOX_UIDS)} sandbox uids are in use by other graders")


class ForkServer:
    """One fork server process and the private uid its children run as (when root)."""

    def __init__(self, tmp_root: Path, hide: list[str], preload: tuple[str, ...] = PRELOAD,
                 dataset: bool = True, drop_privileges: bool = True) -> None:
        self.uid, self._uid_lock = claim_uid() if is_root() and drop_privileges else (None, None)
        self.tmp_root, self.hide, self.preload, self.dataset = tmp_root, hide, preload, dataset
        self.visible = jail.visible_paths(Path(__file__).resolve().parent)
        self._calls = 0
        self._start()

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "LANG": "C.UTF-8",
               "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograder.forkserver", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        self.sock = ours
        self._ready = False

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        init = {"preload": list(self.preload), "dataset": self.dataset, "isolate": self.uid is not None,
                "hide": self.hide, "visible": self.visible, "tmp_root": str(self.tmp_root)}
        wire.send_message(self.sock, json.dumps(init).encode())
        wire.recv_message(self.sock)
        self._ready = True

    def close(self) -> None:
        self._stop()
        if self._uid_lock is not None:
            os.close(self._uid_lock)  # releases the uid for other graders
            self._uid_lock = None

    def _stop(self) -> None:
        self.sock.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _restart(self) -> None:
        self.process.kill()
        self._stop()
        self._start()

    def run(self, request: Request) -> Outcome:
        """Run one request in a fresh child; never raises for anything the child does."""
        self._ensure_ready()
        self._calls += 1
        try:
            source = read_regular(request.student_file, SOURCE_CAP_BYTES) if request.student_file is not None else b""
        except SubmissionFileError as exc:
            return Outcome(error=SubmissionError("missing", str(exc)))
        try:
            return self._run_in(source, request)
        except (EOFError, ConnectionError, OSError) as exc:
            self._restart()
            return Outcome(error=SubmissionError("crashed", f"the sandbox was lost ({exc})"))

    def _run_in(self, source: bytes, request: Request) -> Outcome:
        header = {
            "probe": request.probe, "module_name": request.module_name, "seed": request.seed,
            "has_module": request.student_file is not None, "source_len": len(source),
            "uid": self.uid, "limits": asdict(request.limits),
        }
        blob = source + wire.encode((tuple(request.args), dict(request.kwargs)))
        out_r, out_w = os.pipe()
        res_r, res_w = os.pipe()
        started = time.monotonic()
        try:
            wire.send_message(self.sock, json.dumps(header).encode(), blob, [out_w, res_w])
        finally:
            os.close(out_w)
            os.close(res_w)
        try:
            pid = json.loads(wire.recv_message(self.sock)[0])["pid"]
            return self._collect(pid, out_r, res_r, started, request.limits.timeout_s)
        finally:
            os.close(out_r)
            os.close(res_r)

    def _collect(self, pid: int, out_r: int, res_r: int, started: float, timeout_s: float) -> Outcome:
        output, result = _CappedBuffer(OUTPUT_CAP_BYTES), _CappedBuffer(RESULT_CAP_BYTES)
        sel = selectors.DefaultSelector()
        sel.register(out_r, selectors.EVENT_READ, output)
        sel.register(res_r, selectors.EVENT_READ, result)
        sel.register(self.sock, selectors.EVENT_READ, None)
        status: dict[str, Any] | None = None
        timed_out = False
        soft, hard = started + timeout_s + WALL_GRACE_S, started + WALL_HARD_FACTOR * timeout_s + WALL_GRACE_S
        drain_until = 0.0
        while True:
            now = time.monotonic()
            if status is None and not timed_out and (
                    now >= hard or (now >= soft and _cpu_seconds(pid) < IDLE_SHARE * (now - started))):
                timed_out = True
                _kill_group(pid)
            if status is not None and (len(sel.get_map()) == 0 or now >= drain_until):
                break
            wait = POLL_S if status is None else max(0.0, drain_until - now)
            for key, _ in sel.select(timeout=wait):
                if key.data is None:
                    status = json.loads(wire.recv_message(self.sock)[0])
                    sel.unregister(self.sock)
                    drain_until = time.monotonic() + DRAIN_GRACE_S
                    continue
                chunk = os.read(key.fd, 1 << 16)
                if chunk:
                    key.data.add(chunk)
                else:
                    sel.unregister(key.fd)
        sel.close()
        return _outcome(status, timed_out, output, result, timeout_s, time.monotonic() - started)


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by the child (and the children it waited for); inf once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return math.inf
    return sum(int(f) for f in fields[11:15]) / _CLOCK_TICKS


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _CappedBuffer:
    """Keeps the first ``cap`` bytes and counts the rest, so a child printing 100 MB never blocks."""

    def __init__(self, cap: int) -> None:
        self.cap, self.parts, self.kept, self.total = cap, [], 0, 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(chunk[:room])
            self.kept += min(room, len(chunk))

    @property
    def overflowed(self) -> bool:
        return self.total > self.cap

    def bytes(self) -> bytes:
        return b"".join(self.parts)

    def text(self) -> str:
        text = self.bytes().decode("utf-8", errors="replace")
        if self.overflowed:
            text += f"\n... [output truncated: {self.total:,} bytes in all, first {self.cap:,} shown]"
        return text


_SIGNAL_MEANING = {
    signal.SIGXCPU: ("timeout", "used up its CPU time limit"),
    signal.SIGXFSZ: ("crashed", "wrote a file larger than the limit"),
    signal.SIGSEGV: ("crashed", "crashed with a segmentation fault"),
    signal.SIGKILL: ("crashed", "was killed (out of memory?)"),
    signal.SIGABRT: ("crashed", "aborted"),
}


def _outcome(status: dict | None, timed_out: bool, output: _CappedBuffer, result: _CappedBuffer,
             timeout_s: float, seconds: float) -> Outcome:
    printed = output.text()
    status = status or {}
    done = Outcome(output=printed, seconds=seconds, maxrss_kb=int(status.get("maxrss_kb", 0)))
    data = result.bytes()
    imported = data.startswith(IMPORTED)
    raw = status.get("status", 0)
    cpu_s = float(status.get("cpu_s", 0.0))
    if timed_out or cpu_s > timeout_s or (os.WIFSIGNALED(raw) and os.WTERMSIG(raw) == signal.SIGXCPU):
        done.error = SubmissionError("timeout", _timeout_message(timed_out, imported, timeout_s), output=printed)
        return done
    if os.WIFSIGNALED(raw):
        sig = os.WTERMSIG(raw)
        kind, what = _SIGNAL_MEANING.get(sig, ("crashed", f"was killed by signal {sig}"))
        done.error = SubmissionError(kind, f"the process {what}", output=printed)
        return done
    if result.overflowed:
        done.error = SubmissionError("bad_result", "returned more data than the grader accepts", output=printed)
        return done
    code = os.WEXITSTATUS(raw)
    record_bytes = data[len(IMPORTED):] if imported else data
    if code != 0 or not record_bytes:
        done.error = SubmissionError(
            "exited", f"the process exited with code {code} before returning a result "
            "(does your code call os._exit, exit or quit?)", output=printed)
        return done
    try:
        record = wire.decode(record_bytes)
        if type(record) is not dict or type(record.get("ok")) is not bool:
            raise wire.WireError("malformed result record")
    except wire.WireError as exc:
        done.error = SubmissionError("bad_result", str(exc), output=printed)
        return done
    done.isolation = record.get("isolation") if type(record.get("isolation")) is dict else {}
    if record["ok"]:
        done.value = record.get("value")
    else:
        error = record.get("error") if type(record.get("error")) is dict else {}
        done.error = SubmissionError(
            str(error.get("kind", "internal"))[:40], str(error.get("message", ""))[:MESSAGE_CAP_CHARS],
            str(error.get("traceback", ""))[-TRACEBACK_CAP_CHARS:], output=printed)
    return done


def _timeout_message(waited: bool, imported: bool, timeout_s: float) -> str:
    what = (f"ran past its wall-clock backstop without using its {timeout_s:g} s of CPU time "
            "(does it sleep, wait for input or block?)" if waited else f"used up its {timeout_s:g} s of CPU time")
    if imported:
        return f"timed out: the call {what}"
    return (f"timed out while importing your file: it {what}. Code at the top level of your file runs at "
            "every import; put training, plots and experiments under `if __name__ == \"__main__\":`.")


class SandboxPool:
    """Fork servers shared by the checks of one grading run; ``jobs`` calls may run at once."""

    def __init__(self, jobs: int = 1, hide: list[str] | None = None, drop_privileges: bool = True) -> None:
        """``drop_privileges=False`` runs children as the grader's own user, as a non-root run does."""
        self.tmp_root = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.tmp_root.chmod(0o711)
        self.hide = [str(p) for p in (hide if hide is not None else default_hidden_paths())]
        self._free: queue.Queue[ForkServer] = queue.Queue()
        self.jobs = max(1, jobs)
        self._servers = [ForkServer(self.tmp_root, self.hide, drop_privileges=drop_privileges)
                         for _ in range(self.jobs)]
        for server in self._servers:
            self._free.put(server)

    @property
    def uids(self) -> set[int]:
        """The private uids this pool's children run as (empty without privilege drop)."""
        return {s.uid for s in self._servers if s.uid is not None}

    def run(self, request: Request) -> Outcome:
        server = self._free.get()
        try:
            return server.run(request)
        finally:
            self._free.put(server)

    def close(self) -> None:
        for server in self._servers:
            server.close()
        jail.remove_tree(str(self.tmp_root))

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_hidden_paths() -> Iterator[Path]:
    """Grader paths a child must not read: hidden checks and reference solutions."""
    from autograder.assignments import SOLUTIONS_DIR

    package = Path(__file__).resolve().parent
    for path in (package / "checks" / "hidden", SOLUTIONS_DIR):
        if path.exists():
            yield path
