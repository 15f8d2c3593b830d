"""The CPU time of a sandboxed child and of every process it starts.

A child's own counters in ``/proc`` miss the grandchildren it never waits for: a call that double-forks
workers could spend any amount of CPU and still be judged on its own share. Where the machine allows
it (root with cgroup v1's ``cpuacct`` or cgroup v2), each child is moved into a cgroup of its own
before it runs anything of the student's; every process it starts is born there, and the cgroup's
counter holds their CPU time, exited ones included. Elsewhere (no root, a container without
cgroups) the child's own counters are used, as before.
"""

from __future__ import annotations

import math
import os
import signal
import time
import uuid
from pathlib import Path

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

#: Where a cgroup per child can be made: (its parent folder, the counter file, how the counter reads).
_BASES = (
    (Path("/sys/fs/cgroup/cpuacct"), "cpuacct.usage", "ns"),
    (Path("/sys/fs/cgroup"), "cpu.stat", "usec"),
    (Path("/sys/fs/cgroup/unified"), "cpu.stat", "usec"),
)
#: The folder below each base that holds the grader's cgroups.
GROUP_DIR = "autograder-sandbox"


def _base() -> tuple[Path, str, str] | None:
    """The first base where this process may make and fill a cgroup, or None."""
    if os.geteuid() != 0:
        return None
    for base, counter, unit in _BASES:
        if not (base / "cgroup.procs").is_file():
            continue
        folder = base / GROUP_DIR
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            continue
        if (folder / counter).is_file():
            return folder, counter, unit
    return None


_BASE = _base()


class TreeClock:
    """The CPU seconds of one child and its descendants (a cgroup), else of the child alone (``/proc``)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.group: Path | None = None
        if _BASE is not None:
            folder, _, _ = _BASE
            group = folder / f"child-{pid}-{uuid.uuid4().hex[:8]}"
            try:
                group.mkdir()
                (group / "cgroup.procs").write_text(str(pid))
                self.group = group
            except OSError:  # the child is already gone, or the cgroup refused it: its own counters then
                _remove(group)

    def seconds(self) -> float:
        """CPU seconds so far; the child's own counters read inf once it is gone (its report follows)."""
        if self.group is not None:
            _, counter, unit = _BASE
            try:
                text = (self.group / counter).read_text()
            except OSError:
                return math.inf
            if unit == "ns":
                return int(text) / 1e9
            usage = next(line.split()[1] for line in text.splitlines() if line.startswith("usage_usec"))
            return int(usage) / 1e6
        return own_seconds(self.pid)

    def counts_descendants(self) -> bool:
        return self.group is not None

    def kill(self) -> None:
        """SIGKILL every process in the child's cgroup (the child's own process group is the caller's)."""
        for pid in self._members():
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self, wait_s: float = 0.0) -> bool:
        """Kill what is left and remove the cgroup, trying for up to ``wait_s`` (the last processes take a
        moment to go); whether it is gone (else :meth:`close` again later)."""
        deadline = time.monotonic() + wait_s
        while self.group is not None:
            self.kill()
            if _remove(self.group):
                self.group = None
            elif time.monotonic() >= deadline:
                return False
            else:
                time.sleep(0.01)
        return True

    def _members(self) -> list[int]:
        if self.group is None:
            return []
        try:
            return [int(line) for line in (self.group / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []


def _remove(group: Path) -> bool:
    try:
        group.rmdir()
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False


#: A cgroup of the grader's this old is a leftover (its grader closed while its last processes were
#: still on their way out), never one that a running grader is filling.
STALE_S = 60.0


def sweep_cgroups() -> None:
    """Remove the empty cgroups that graders closed before their last children had gone."""
    if _BASE is None:
        return
    folder, _, _ = _BASE
    now = time.time()
    for group in folder.glob("child-*"):
        try:
            if now - group.stat().st_mtime > STALE_S:
                _remove(group)
        except OSError:
            pass


def own_seconds(pid: int) -> float:
    """CPU time used so far by the child (and the children it waited for); inf once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return math.inf
    return sum(int(f) for f in fields[11:15]) / _CLOCK_TICKS
