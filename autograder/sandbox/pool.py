"""Run untrusted student code in disposable, isolated children; return plain data or a clear error.

The parent keeps a pool of fork servers (:mod:`autograder.sandbox.server`), one per ``--jobs`` slot,
each with ``torch`` and the trusted probes preloaded, so a child costs a fork (milliseconds), not an
``import torch`` (seconds). Every check gets a fresh child (all its calls share it, each starting from
the same seeded RNGs) with one torch thread, rlimits, a private copy of the student file as its
working directory and a scrubbed environment; as root it also gets private network and mount
namespaces, hidden grader paths and its own uid. Each call's CPU time is measured here, from
``/proc``, never taken from the child.
"""

from __future__ import annotations

import contextlib
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
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Collection, Iterator

from autograder.course import ASSIGNMENTS, PACKAGE_DIR, PROBES, SOLUTIONS_DIR
from autograder.files import SubmissionFileError, read_regular
from autograder.sandbox import hugepages, jail, wire
from autograder.sandbox.calls import Outcome, Request, SubmissionError
from autograder.sandbox.cpu import TreeClock, own_seconds, sweep_cgroups
from autograder.sandbox.wire import IMPORTED

#: Imported once by each fork server, so that children do not pay for them again. Anything else
#: student code imports comes from the read-only interpreter tree in the child's root (see jail.py).
PRELOAD = (
    "abc", "argparse", "bisect", "collections", "collections.abc", "contextlib", "copy", "csv",
    "dataclasses", "encodings.ascii", "encodings.idna", "encodings.latin_1", "enum", "functools",
    "heapq", "io", "itertools", "json", "math", "numbers", "operator", "os", "pathlib", "pickle",
    "random", "re", "shutil", "socket", "statistics", "string", "struct", "subprocess", "sys",
    "tempfile", "threading", "time", "typing", "warnings", "zipfile",
    "numpy", "numpy.random", "torch", "torch.nn", "torch.nn.functional", "torch.nn.init",
    "torch.optim", "torch.utils.data", "torchsummary", "matplotlib", "matplotlib.pyplot", "matplotlib.figure",
    "autograder.sandbox.probes", *(a.part(PROBES) for a in ASSIGNMENTS.values()),
)

#: Where the fork server finds Fashion-MNIST and its cache, as the grader does.
PASSED_ENV = ("HOME", "FASHION_MNIST_DIR", "AUTOGRADER_CACHE", "CUDA_VISIBLE_DEVICES")
SANDBOX_UIDS = range(61000, 62000)
UID_LOCK_DIR = Path("/run/autograder-uids") if Path("/run").is_dir() else Path("/tmp/autograder-uids")
RESULT_CAP_BYTES = 64 * 2**20
OUTPUT_CAP_BYTES = 8 * 1024
SOURCE_CAP_BYTES = 2 * 2**20
#: Verdicts judge CPU time, so a loaded machine never changes one. Wall-clock time only catches a
#: child that sleeps or blocks: past its CPU limit plus WALL_GRACE_S of wall-clock time, a child whose
#: CPU time is under IDLE_SHARE of the time elapsed is idle, not starved (on 2 cores that takes a load
#: above 40); past WALL_HARD_FACTOR times its limit, any child ends.
WALL_GRACE_S, IDLE_SHARE, WALL_HARD_FACTOR = 3.0, 0.05, 6.0
POLL_S = 0.25
MESSAGE_CAP_CHARS, TRACEBACK_CAP_CHARS = 2000, 4000


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


@dataclass
class _Session:
    """The live child of one check on a fork server, and the grader's ends of its three pipes."""

    owner: object              # the ProbeTarget (the check's student or reference code) it serves
    request: Request           # the first call: file, module name and limits every later call shares
    pid: int
    output: int                # the child's stdout and stderr
    results: int               # tagged frames: IMPORTED, then one RECORD per call
    calls: int                 # the grader writes calls here; closing it ends the child
    frames: wire.FrameReader
    imported: bool = False
    gone: bool = False         # the child died and the server's report of it was read
    source: bytes = b""        # the student's file, sent to the child itself before its first call
    clock: TreeClock | None = None  # the CPU of the child and everything it starts

    def serves(self, owner: object, request: Request) -> bool:
        first = self.request
        return (not self.gone and owner is self.owner and request.student_file == first.student_file
                and request.module_name == first.module_name
                and replace(request.limits, timeout_s=0) == replace(first.limits, timeout_s=0))


class ServerHandle:
    """One fork server process and the two private uids its children run as (when root).

    It serves one child at a time: the child serving the calls of the current check (:meth:`call`).
    A new owner, a call with other limits or :meth:`end_session` ends it; as root, the next child
    (under the server's other private uid) is forked while the ended one still exits.
    """

    def __init__(self, tmp_root: Path, hide: list[str], prepare: dict[str, bool], preload: tuple[str, ...] = PRELOAD,
                 drop_privileges: bool = True) -> None:
        claimed = [claim_uid() for _ in range(2)] if is_root() and drop_privileges else []
        self.uids, self._uid_locks = [uid for uid, _ in claimed], [lock for _, lock in claimed]
        self.tmp_root, self.hide, self.preload, self.prepare = tmp_root, hide, preload, prepare
        self.visible = jail.visible_paths()
        self.children = 0
        self._session: _Session | None = None
        self._closing: list[TreeClock] = []  # the cgroups of ended children, removed once empty
        sweep_cgroups()
        self._start()

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "LANG": "C.UTF-8",
               "PYTHONPATH": str(PACKAGE_DIR.parent), **hugepages.MALLOC_TUNABLE}
        env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograder.sandbox.server", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        self.sock = ours
        self._ready = False

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        init = {"preload": list(self.preload), "prepare": self.prepare, "isolate": bool(self.uids),
                "uids": self.uids or [None],
                "hide": self.hide, "visible": self.visible, "tmp_root": str(self.tmp_root)}
        wire.send_message(self.sock, json.dumps(init).encode())
        wire.recv_message(self.sock)
        self._ready = True

    def close(self) -> None:
        self.end_session()
        self._stop()  # the server kills what is left and exits
        self._closing = [clock for clock in self._closing if not clock.close()]  # the rest: swept later
        for lock in self._uid_locks:
            os.close(lock)  # releases the uids for other graders
        self._uid_locks = []

    def _stop(self) -> None:
        if self._session is not None:
            self._retire(self._session)
        self._session = None
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
        """Run one request in a child of its own; never raises for anything the child does."""
        try:
            return self.call(object(), request)
        finally:
            self.end_session()

    def call(self, owner: object, request: Request) -> Outcome:
        """Run ``request`` in the child that serves ``owner`` (the calls of one check share a child);
        a fresh child when there is none, when it serves another owner, or when the last call ended it.
        Never raises for anything the child does; a fork server lost before the call's child has it (it
        died between checks, a broken pipe) is restarted and asked once more, never charged to the student."""
        if self._session is not None and not self._session.serves(owner, request):
            self.end_session()
        if self._session is None:
            try:
                source = read_regular(request.student_file, SOURCE_CAP_BYTES) if request.student_file is not None else b""
            except SubmissionFileError as exc:
                return Outcome(error=SubmissionError("missing", str(exc)))
            self._session = self._open_retrying(owner, request, source)
        try:
            outcome = self._call(self._session, request)
        except (EOFError, ConnectionError, OSError) as exc:
            self._restart()
            return Outcome(error=SubmissionError("crashed", f"the sandbox was lost ({exc})"))
        if self._session.gone:
            self._retire(self._session)
            self._session = None
        elif request.student_file is not None and not self._session.imported:
            self.end_session()  # the import failed: the child exits
        return outcome

    def _retire(self, session: _Session) -> None:
        """Close the grader's ends of a child's pipes and kill every process of its cgroup (a check's
        processes are gone before the next check's child runs code); the cgroup is removed later."""
        _close_pipes(session)
        if session.clock is not None:
            session.clock.kill()
            self._closing.append(session.clock)

    def _open_retrying(self, owner: object, request: Request, source: bytes) -> _Session:
        """A fresh child for ``request``; the server restarted once if it is gone (nothing of the student's
        has run in it yet). A second loss raises: the grader, not the submission, could not grade."""
        try:
            self._ensure_ready()
            return self._open(owner, request, source)
        except (EOFError, ConnectionError, OSError):
            self._restart()
        self._ensure_ready()
        return self._open(owner, request, source)

    def end_session(self) -> None:
        """End the current child: closing its call channel makes it exit, while the next check starts
        (the server kills it if it does not, and reports its end; see :meth:`_message`)."""
        session, self._session = self._session, None
        if session is None:
            return
        self._retire(session)
        if not session.gone:
            try:
                wire.send_message(self.sock, json.dumps({"end": session.pid}).encode())
            except OSError:
                self._restart()

    def _message(self, pid: int | None = None) -> dict[str, Any]:
        """The server's next message about ``pid`` (its fork, or its end); reports on children ended
        earlier, which nothing waits for, are read and dropped on the way."""
        while True:
            message = json.loads(wire.recv_message(self.sock)[0])
            if "pid" in message or message.get("ended") == pid:
                return message

    def _open(self, owner: object, request: Request, source: bytes) -> _Session:
        self.children += 1
        header = {"module_name": request.module_name, "has_module": request.student_file is not None,
                  "limits": asdict(request.limits)}
        output_r, output_w = os.pipe()
        results_r, results_w = os.pipe()
        calls_r, calls_w = os.pipe()
        try:
            wire.send_message(self.sock, json.dumps(header).encode(), b"", [output_w, results_w, calls_r])
            pid = self._message()["pid"]
        except BaseException:
            for fd in (output_r, results_r, calls_w):
                os.close(fd)
            raise
        finally:
            for fd in (output_w, results_w, calls_r):
                os.close(fd)
        os.set_blocking(calls_w, False)
        self._closing = [clock for clock in self._closing if not clock.close()]  # the last checks' cgroups
        return _Session(owner, request, pid, output_r, results_r, calls_w, wire.FrameReader(RESULT_CAP_BYTES),
                        source=wire.frame_call(b"{}", source), clock=TreeClock(pid))  # before it has the file

    def _call(self, session: _Session, request: Request) -> Outcome:
        header = {"probe": request.probe, "seed": request.seed, "timeout_s": request.limits.timeout_s}
        pending = memoryview(session.source + wire.frame_call(json.dumps(header).encode(),
                                                              wire.encode((tuple(request.args), dict(request.kwargs)))))
        session.source = b""   # the fork server never holds it: no later child can inherit it from there
        timeout_s = request.limits.timeout_s
        output = _CappedBuffer(OUTPUT_CAP_BYTES)
        started, cpu_before = time.monotonic(), session.clock.seconds()
        soft, hard = started + timeout_s + WALL_GRACE_S, started + WALL_HARD_FACTOR * timeout_s + WALL_GRACE_S
        sel = selectors.DefaultSelector()
        sel.register(session.output, selectors.EVENT_READ, output)
        sel.register(session.results, selectors.EVENT_READ, session.frames)
        sel.register(self.sock, selectors.EVENT_READ, None)
        sel.register(session.calls, selectors.EVENT_WRITE, "calls")
        record: bytes | None = None
        status: dict[str, Any] | None = None
        timed_out, idle, malformed = False, False, ""
        next_look = started + POLL_S  # the clock is read from /proc once per POLL_S, not per chunk read
        try:
            while record is None and status is None:
                now = time.monotonic()
                if not timed_out and now >= next_look:
                    next_look = now + POLL_S
                    used = session.clock.seconds() - cpu_before  # not finite once it is gone: its report follows
                    if math.isfinite(used) and (
                            used > timeout_s or now >= hard or (now >= soft and used < IDLE_SHARE * (now - started))):
                        timed_out, idle = True, used <= timeout_s
                        _kill_group(session.pid)
                        session.clock.kill()
                for key, _ in sel.select(timeout=POLL_S if timed_out else max(0.0, next_look - now)):
                    if key.data is None:
                        message = json.loads(wire.recv_message(self.sock)[0])
                        if message.get("ended") == session.pid:  # else: a child ended earlier
                            status = message
                    elif key.data == "calls":
                        try:
                            pending = pending[os.write(session.calls, pending):]
                        except BrokenPipeError:
                            pending = pending[:0]
                        if not pending:
                            sel.unregister(session.calls)
                    elif key.data is output:
                        if not _read_into(key.fd, output):
                            sel.unregister(key.fd)
                    else:
                        if not _read_into(key.fd, session.frames):
                            sel.unregister(key.fd)
                        try:
                            record = _next_record(session)
                        except wire.WireError as exc:
                            malformed = str(exc)
                            _kill_group(session.pid)
                            sel.unregister(key.fd)
        finally:
            sel.close()
        cpu_now, maxrss_kb = session.clock.seconds(), _peak_rss_kb(session.pid)
        if record is None or timed_out or malformed or own_seconds(session.pid) == math.inf:  # gone, or going
            if status is None:
                status = self._message(session.pid)
            session.gone = True
            maxrss_kb = int(status.get("maxrss_kb", 0))
            if not session.clock.counts_descendants():
                cpu_now = float(status.get("cpu_s", 0.0))
            if record is None and not malformed:  # what it wrote before it died
                _drain(session.results, session.frames)
                try:
                    record = _next_record(session)
                except wire.WireError as exc:
                    malformed = str(exc)
        _drain(session.output, output)
        cpu_s = cpu_now - cpu_before
        return _outcome(record, status, timed_out, idle, malformed, output, session.imported, cpu_s, timeout_s,
                        time.monotonic() - started, maxrss_kb)


def _next_record(session: _Session) -> bytes | None:
    """The next RECORD frame the child wrote (noting IMPORTED on the way); None until one is complete."""
    while True:
        frame = session.frames.next()
        if frame is None:
            return None
        tag, data = frame
        if tag == IMPORTED:
            session.imported = True
        else:
            return data


def _read_into(fd: int, sink: Any) -> bool:
    """Read what is there into ``sink`` (a buffer or a frame reader); False at end of file."""
    try:
        chunk = os.read(fd, 1 << 16)
    except BlockingIOError:
        return True
    if chunk:
        sink.feed(chunk)
    return bool(chunk)


def _drain(fd: int, sink: Any) -> None:
    """What the child wrote before it reported or died: already in the pipe, read without waiting."""
    os.set_blocking(fd, False)
    try:
        while not getattr(sink, "overflowed", False):
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            sink.feed(chunk)
    except OSError:  # nothing more there now (EAGAIN), or the pipe is closed
        pass
    finally:
        os.set_blocking(fd, True)


def _close_pipes(session: _Session) -> None:
    for fd in (session.calls, session.output, session.results):
        try:
            os.close(fd)
        except OSError:
            pass


def _peak_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return 0


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _CappedBuffer:
    """Keeps the first ``cap`` bytes and counts the rest, so a child printing 100 MB never blocks."""

    def __init__(self, cap: int) -> None:
        self.cap, self.parts, self.kept, self.total = cap, [], 0, 0

    def feed(self, chunk: bytes) -> None:
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


def _outcome(record: bytes | None, status: dict | None, timed_out: bool, idle: bool, malformed: str,
             output: _CappedBuffer,
             imported: bool, cpu_s: float, timeout_s: float, seconds: float, maxrss_kb: int) -> Outcome:
    """Judge one call from what the grader saw itself: its CPU time, the exit status, the record."""
    printed = output.text()
    done = Outcome(output=printed, seconds=seconds, maxrss_kb=maxrss_kb, imported=imported)
    raw = (status or {}).get("status", 0)
    if timed_out or cpu_s > timeout_s or (os.WIFSIGNALED(raw) and os.WTERMSIG(raw) == signal.SIGXCPU):
        done.error = SubmissionError("timeout", _timeout_message(idle, imported, timeout_s), output=printed)
        return done
    if malformed:
        done.error = SubmissionError("bad_result", malformed, output=printed)
        return done
    if record is None and os.WIFSIGNALED(raw):
        sig = os.WTERMSIG(raw)
        kind, what = _SIGNAL_MEANING.get(sig, ("crashed", f"was killed by signal {sig}"))
        done.error = SubmissionError(kind, f"the process {what}", output=printed)
        return done
    if record is None:
        done.error = SubmissionError(
            "exited", f"the process exited with code {os.WEXITSTATUS(raw)} before returning a result "
            "(does your code call os._exit, exit or quit?)", output=printed)
        return done
    try:
        record = wire.decode(record)
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
        kind = str(error.get("kind", "probe_failed"))[:40]
        done.error = SubmissionError(
            "probe_failed" if kind == "internal" else kind,  # the child's word: never a grader fault by itself
            str(error.get("message", ""))[:MESSAGE_CAP_CHARS], str(error.get("traceback", ""))[-TRACEBACK_CAP_CHARS:],
            output=printed)
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

    def __init__(self, jobs: int = 1, hide: list[str] | None = None, drop_privileges: bool = True,
                 assignments: Collection[str] | None = None) -> None:
        """``drop_privileges=False`` runs children as the grader's own user, as a non-root run does;
        ``assignments``: the only ones this pool will grade (its fork servers warm up for those)."""
        self.tmp_root = Path(tempfile.mkdtemp(prefix="autograder-"))
        self.tmp_root.chmod(0o711)
        self.hide = [str(p) for p in (hide if hide is not None else default_hidden_paths())]
        self._free: queue.Queue[ServerHandle] = queue.Queue()
        self.jobs = max(1, jobs)
        prepare = preparation(assignments)
        self._servers = [ServerHandle(self.tmp_root, self.hide, prepare, drop_privileges=drop_privileges)
                         for _ in range(self.jobs)]
        for server in self._servers:
            self._free.put(server)

    @property
    def uids(self) -> set[int]:
        """The private uids this pool's children run as (empty without privilege drop)."""
        return {uid for server in self._servers for uid in server.uids}

    def run(self, request: Request) -> Outcome:
        """One call in a child of its own."""
        with self.lease() as server:
            return server.run(request)

    def call(self, owner: object, request: Request) -> Outcome:
        """As :meth:`ServerHandle.call` without a lease: the call gets a child of its own."""
        return self.run(request)

    @contextlib.contextmanager
    def lease(self) -> Iterator[ServerHandle]:
        """A fork server for the calls of one check (student's and reference's); its child ends after."""
        server = self._free.get()
        try:
            yield server
        finally:
            server.end_session()
            self._free.put(server)

    @property
    def children(self) -> int:
        """How many children this pool's servers have forked."""
        return sum(server.children for server in self._servers)

    def close(self) -> None:
        for server in self._servers:
            server.close()
        jail.remove_tree(str(self.tmp_root))

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def preparation(assignments: Collection[str] | None) -> dict[str, bool]:
    """What a fork server loads for children of these assignments (None: all of them): the training
    set, an optimizer's first step, a first figure. A check of a1 alone starts a second sooner; student
    code of another assignment still runs, paying for what it uses first inside its own call."""
    chosen = [ASSIGNMENTS[name] for name in (assignments if assignments is not None else ASSIGNMENTS)]
    return {"dataset": any(a.needs_data for a in chosen), "training": any(a.trains for a in chosen),
            "figures": any(a.plots for a in chosen)}


def default_hidden_paths() -> Iterator[Path]:
    """Grader paths a child must not read where a visible tree holds them: the reference solutions. (Of the
    grader's package a child sees only the modules its server runs: see :func:`jail.build_root`.)"""
    if SOLUTIONS_DIR.exists():
        yield SOLUTIONS_DIR
