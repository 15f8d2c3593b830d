"""The fork server's memory in huge pages: which mappings are collapsed, and that collapsing is harmless."""

from __future__ import annotations

from autograder.sandbox import hugepages

MAPS = """\
55b050fd6000-55b05a07f000 rw-p 00000000 00:00 0                          [heap]
7fb3f142b000-7fb3f6866000 rw-p 00000000 00:00 0 
7fb3f6866000-7fb3f6a00000 r--p 00000000 00:00 0 
7fb400000000-7fb404000000 rw-p 001c0000 08:01 1234                       /usr/lib/libtorch_cpu.so
7fb410000000-7fb410100000 rw-p 00000000 00:00 0 
7fb420000000-7fb424000000 rw-s 00000000 00:05 77                         /dev/shm/x
7ffd00000000-7ffd00400000 rw-p 00000000 00:00 0                          [stack]
"""


def test_only_private_anonymous_writable_memory_is_collapsed_in_aligned_steps():
    steps = hugepages.private_anonymous_ranges(MAPS)
    assert all(start % hugepages.HUGE_PAGE == 0 and end % hugepages.HUGE_PAGE == 0 for start, end in steps)
    assert all(0 < end - start <= hugepages.STEP_BYTES for start, end in steps)
    heap = [s for s in steps if 0x55B050FD6000 <= s[0] < 0x55B05A07F000]
    anonymous = [s for s in steps if 0x7FB3F142B000 <= s[0] < 0x7FB3F6866000]
    assert heap[0][0] == 0x55B051000000 and heap[-1][1] == 0x55B05A000000
    assert anonymous[0][0] == 0x7FB3F1600000 and anonymous[-1][1] == 0x7FB3F6800000
    assert len(steps) == len(heap) + len(anonymous), "a file, a shared, a read-only or a too small mapping"


def test_collapsing_this_process_changes_no_value():
    """Whatever the kernel supports, every step returns and memory keeps its contents."""
    data = bytearray(range(256)) * (8 * 2**20 // 256)
    before = hash(bytes(data))
    collapser = hugepages.Collapser()
    assert collapser.pending
    while collapser.pending:
        collapser.step()
    assert hash(bytes(data)) == before
