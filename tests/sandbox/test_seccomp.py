"""The child's seccomp filter, decision by decision: the BPF program that jail.py installs, run here by a
small interpreter of the five instructions it uses, on the system calls a child could use to gain mount
rights (a user namespace), including their x32-ABI numbers (issue 25, point 6)."""

from __future__ import annotations

import platform
import struct

import pytest

from autograder.sandbox import jail

ALLOW, ERRNO = 0x7FFF0000, 0x00050000
EPERM, ENOSYS = ERRNO | 1, ERRNO | 38

pytestmark = pytest.mark.skipif(platform.machine() not in jail._ARCH, reason="no filter on this architecture")


def decide(nr: int, flags: int = 0, arch: int | None = None) -> int:
    """What the filter returns for system call ``nr`` with first argument ``flags``."""
    program = jail._filter_program()
    data = struct.pack("iIQ6Q", nr, jail._ARCH[platform.machine()][0] if arch is None else arch, 0, flags, 0, 0, 0, 0, 0)
    pc, accumulator = 0, 0
    while True:
        code, jt, jf, k = struct.unpack_from("HBBI", program, pc * 8)
        pc += 1
        if code == 0x20:                                   # load a 32-bit word of the data
            accumulator = struct.unpack_from("I", data, k)[0]
        elif code in (0x15, 0x35, 0x45):                   # jeq, jge, jset
            taken = {0x15: accumulator == k, 0x35: accumulator >= k, 0x45: bool(accumulator & k)}[code]
            pc += jt if taken else jf
        elif code == 0x06:                                 # return
            return k
        else:
            raise AssertionError(f"instruction {code:#x} is not interpreted here")


def test_user_namespaces_and_setns_are_refused():
    unshare, clone, clone3, setns = jail._ARCH[platform.machine()][1]
    assert decide(unshare, jail.CLONE_NEWUSER) == EPERM
    assert decide(clone, jail.CLONE_NEWUSER | 0x11) == EPERM
    assert decide(setns) == EPERM
    assert decide(clone3) == ENOSYS
    assert decide(clone, 0x11) == ALLOW and decide(unshare, jail.CLONE_NEWNS) == ALLOW
    assert decide(0) == ALLOW and decide(1) == ALLOW


def test_the_kernel_keyrings_are_refused():
    """A key added to the per-uid keyring outlives the call's namespaces: the next check of that uid, another
    student's, could read it."""
    for nr in jail._ARCH[platform.machine()][2]:
        assert decide(nr) == ENOSYS


def test_the_x32_abi_is_refused_whole():
    """x86_64 accepts ``X32_SYSCALL_BIT | nr`` under the same audit arch: unshare and setns by those numbers
    would pass a filter that compares numbers only."""
    unshare, clone, _, setns = jail._ARCH[platform.machine()][1]
    for nr in (unshare, clone, setns, 0, 1):
        assert decide(jail.X32_SYSCALL_BIT | nr, jail.CLONE_NEWUSER) == ENOSYS


def test_another_architecture_is_killed():
    assert decide(0, arch=0x40000003) == 0x80000000   # i386
