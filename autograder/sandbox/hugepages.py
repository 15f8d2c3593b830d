"""Huge pages for the fork server's memory, so that a fork and a child's exit cost less.

A fork copies one page-table entry for every private page the server has written (torch's relocated
libraries, the Python heap, the preloaded training set: hundreds of MB in 4 KB pages), and every
child's exit tears its copy down again, per child (figures in benchmarks/README.md). Backed by 2 MB
pages the same memory needs 512 times fewer entries. Two ways, each a no-op where unsupported:

- glibc's malloc asks for huge pages for what it allocates (``MALLOC_TUNABLE``, glibc 2.35 and
  later; read when a process starts, so the grader puts it in the fork server's environment);
- what is already in 4 KB pages (Python's own arenas, what was allocated before) is collapsed into
  huge pages in steps while the server is idle (:class:`Collapser`, ``MADV_COLLAPSE``, Linux 6.1
  and later).

A child that writes to a huge page gets a 4 KB copy of that page only (the kernel splits the shared
mapping), so children do not grow. The price is some more resident memory in the server (huge
pages that are only partly used).
"""

from __future__ import annotations

import ctypes

MALLOC_TUNABLE = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}
HUGE_PAGE = 2 * 2**20
MADV_COLLAPSE = 25
#: One idle step collapses at most this much, so a request never waits long for a step to end.
STEP_BYTES = 32 * 2**20

_libc = ctypes.CDLL(None)
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def private_anonymous_ranges(maps: str) -> list[tuple[int, int]]:
    """The huge-page-aligned parts of the writable private anonymous mappings (the heap included)
    listed in ``maps`` (the text of /proc/self/maps), cut into steps of at most ``STEP_BYTES``."""
    steps = []
    for line in maps.splitlines():
        fields = line.split()
        name = fields[5] if len(fields) > 5 else ""
        if not fields[1].startswith("rw") or not fields[1].endswith("p") or name not in ("", "[heap]"):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        low, high = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        steps += [(at, min(at + STEP_BYTES, high)) for at in range(low, high, STEP_BYTES)]
    return steps


class Collapser:
    """Collapses this process's memory into huge pages, one step at a time (see the module's note)."""

    def __init__(self) -> None:
        with open("/proc/self/maps") as maps:
            self.pending = private_anonymous_ranges(maps.read())

    def step(self) -> None:
        """Collapse the next range. Failures are ignored: a range with no page in it, a kernel without
        MADV_COLLAPSE (both EINVAL) or without free huge pages leave the memory as it was."""
        start, end = self.pending.pop(0)
        _libc.madvise(start, end - start, MADV_COLLAPSE)
