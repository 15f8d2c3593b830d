"""The child's view of the machine: an allow-list root, private scratch space, no new namespaces.

Used by the fork server when it runs as root. Once per server (:func:`build_root`): private network,
mount and IPC namespaces, and a new root made of read-only bind mounts of exactly what student code may
read (the system's ``/usr`` and ``/etc``, the interpreter's own tree wherever it is installed, the
installed packages, and of the grader's package only the modules the fork server runs: the probes and the
encoding, never a judge or a check), a ``/proc`` that shows a process only to its own
uid, and a few device nodes (every mount below a read-only bind is read-only too). The server then
enters it with ``pivot_root`` and detaches the machine's root, so no later child can name the repository,
the class folder, other students' reports or any home directory, nor reach them with a capability.

Once per child (:func:`enter_child_namespaces`, still as root, before the privilege drop): its own
mount, IPC and network namespaces, with fresh, size-capped tmpfs on its working directory, ``/tmp`` and
``/dev/shm``. When the child and everything it started are gone, the kernel frees those namespaces,
so nothing a call writes (files, SysV shared memory, a 3,000-deep directory) outlives it and no
cleanup can fail. :func:`forbid_new_namespaces` installs a seccomp filter so that the unprivileged
child cannot create a user namespace (and with it, mount rights of its own).
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
import struct
import sys
import tempfile

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x08000000, 0x10000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 0x4000, 0x40000)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2

#: Where the child works: the same path in every child, a fresh tmpfs each time.
WORKDIR = "/sandbox"
#: System trees every Python program needs (symlinks such as /lib -> usr/lib are recreated as links).
SYSTEM_PATHS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/sys")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
#: Where each child gets a fresh tmpfs of its own (besides its working directory).
SCRATCH_PATHS = ("/tmp", "/dev/shm")
#: Where the server keeps a second view of the visible trees below SCRATCH_PATHS, and which they are
#: (set by build_root in the server; its children inherit the list).
STAGING = "/.under-scratch"
UNDER_SCRATCH: list[tuple[str, str]] = []
SCRATCH_MB = 64          # each of the child's working directory, /tmp and /dev/shm
SCRATCH_INODES = 4096    # files and directories in each

_libc = ctypes.CDLL(None, use_errno=True)


class JailError(OSError):
    """A namespace or mount operation failed (e.g. in a container without CAP_SYS_ADMIN)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise JailError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, options: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
                       options.encode() if options else None), f"mount {target}")


def visible_paths() -> list[str]:
    """What a child may read, besides the system trees and the grader's own modules: the interpreter and
    its packages.

    ``sys.path`` entries are taken only when they hold installed packages (the interpreter's
    prefixes, ``site-``/``dist-packages``): never the grader's working directory or the repository,
    which are on ``sys.path`` too when the grader runs from a checkout.
    """
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                os.path.dirname(os.path.realpath(sys.executable))}
    paths = {os.path.realpath(p) for p in prefixes}
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        if os.path.isdir(real) and (any(real.startswith(os.path.realpath(p) + os.sep) for p in prefixes)
                                    or os.path.basename(real) in ("site-packages", "dist-packages")):
            paths.add(real)
    return sorted(p for p in paths if not any(p.startswith(q + os.sep) for q in paths if q != p))


def build_root(new_root: str, visible: list[str], hidden: list[str], package: str, modules: list[str]) -> bool:
    """As root, once per fork server: namespaces, the allow-list root at ``new_root``, entered with
    pivot_root (whether it was, rather than with chroot: see :func:`_enter`).

    ``package`` (the grader's folder) shows only ``modules``, the files the server runs (see
    :func:`_bind_files_only`); ``hidden`` paths inside the visible trees are masked."""
    _check(_libc.unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            os.symlink(os.readlink(path), new_root + path)
        elif os.path.isdir(path):
            _bind_read_only(path, new_root + path)
    for path in visible:
        _bind_read_only(path, new_root + path)
    _bind_files_only(new_root, package, modules)
    for path in hidden:  # inside a visible tree (e.g. the test split below /usr)
        _mask(new_root + path)
    _stage_under_scratch(new_root, [*visible, package])   # after the masks: a staged view keeps them
    _make_dev(new_root + "/dev")
    os.makedirs(new_root + "/proc")
    try:  # each uid sees only its own processes
        _mount("proc", new_root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
    except JailError:
        _mount("proc", new_root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
    for path in ("/tmp", WORKDIR):  # /tmp may exist already: a visible tree can live below it
        os.makedirs(new_root + path, mode=0o755, exist_ok=True)
    pivoted = _enter(new_root)
    _mount("none", "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return pivoted


#: pivot_root(2), which libc does not wrap, by architecture.
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
#: Where the machine's root sits for the moment between pivot_root and its detachment.
OLD_ROOT = "/.old-root"
MNT_DETACH = 2


def _enter(new_root: str) -> bool:
    """Make ``new_root`` the root of this mount namespace: pivot_root, then detach the machine's root, so
    no path, no ``..`` and no open directory leads back to it (a ``chroot`` leaves it mounted, one
    capability away). Where pivot_root is refused (an initramfs root, another architecture), chroot."""
    number = _PIVOT_ROOT.get(platform.machine())
    os.makedirs(new_root + OLD_ROOT)
    if number is None or _libc.syscall(number, new_root.encode(), (new_root + OLD_ROOT).encode()) != 0:
        os.rmdir(new_root + OLD_ROOT)
        os.chroot(new_root)
        os.chdir("/")
        return False
    os.chdir("/")
    _check(_libc.umount2(OLD_ROOT.encode(), MNT_DETACH), "umount2")
    os.rmdir(OLD_ROOT)
    return True


def _stage_under_scratch(new_root: str, trees: list[str]) -> None:
    """Trees that lie where each child mounts a fresh tmpfs (a checkout or a venv below /tmp) would be
    hidden by it: bind each once more at a staging place, from which every child binds it back."""
    for index, path in enumerate(p for p in trees if any(p.startswith(s + os.sep) for s in SCRATCH_PATHS)):
        staged = f"{STAGING}/{index}"
        os.makedirs(new_root + staged)
        _mount(new_root + path, new_root + staged, None, MS_BIND | MS_REC)
        UNDER_SCRATCH.append((staged, path))


def _bind_files_only(new_root: str, folder: str, files: list[str]) -> None:
    """Show ``folder`` holding ``files`` (read-only) and nothing else, whatever is written there later: a
    fresh tmpfs over it (also where a visible tree holds it, e.g. an installed package), each file bound in."""
    target = new_root + folder
    os.makedirs(target, exist_ok=True)
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    for path in files:
        os.makedirs(os.path.dirname(new_root + path), mode=0o755, exist_ok=True)
        open(new_root + path, "w").close()
        _mount(path, new_root + path, None, MS_BIND)
        _mount("none", new_root + path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _mount("none", target, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _mask(target: str) -> None:
    """Make ``target`` unreadable to the child: an empty mode-000 tmpfs over a folder, an empty
    mode-000 file (root's) over a file."""
    if os.path.isdir(target):
        _mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=000")
    elif os.path.exists(target):
        fd, empty = tempfile.mkstemp(prefix="masked-")
        os.close(fd)
        os.chmod(empty, 0)
        try:
            _mount(empty, target, None, MS_BIND)
            _mount("none", target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        finally:
            os.unlink(empty)   # the mount keeps the empty file alive


def _bind_read_only(source: str, target: str) -> None:
    """``source`` at ``target``, read-only, with every mount below it read-only too (a recursive bind
    keeps its submounts' own flags: /sys's cgroup trees would stay writable, guarded by permissions alone)."""
    os.makedirs(target, exist_ok=True)
    _mount(source, target, None, MS_BIND | MS_REC)
    _mount("none", target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    for point, noexec in _submounts(target):
        try:  # best effort: a container may lock a submount's flags (permissions still guard it)
            _mount("none", point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | (MS_NOEXEC * noexec))
        except JailError:
            pass


def _submounts(target: str) -> list[tuple[str, bool]]:
    """The mount points below ``target`` and whether each is noexec (from /proc/self/mountinfo)."""
    found = []
    with open("/proc/self/mountinfo") as table:
        for line in table:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            if point.startswith(target + "/"):
                found.append((point, "noexec" in fields[5].split(",")))
    return found


def _make_dev(dev: str) -> None:
    os.makedirs(dev + "/shm")
    gpus = [name for name in os.listdir("/dev") if name.startswith("nvidia")]  # where the machine has them
    for name in [n for n in DEVICES if os.path.exists("/dev/" + n)] + gpus:
        open(f"{dev}/{name}", "w").close()
        _mount("/dev/" + name, f"{dev}/{name}", None, MS_BIND)


def enter_child_namespaces(uid: int) -> None:
    """As root in a new child: private mounts, IPC and network (so no check reaches another's sockets,
    abstract Unix sockets included, while an ended check's child still exits); fresh tmpfs for the
    workdir, /tmp, /dev/shm."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET), "unshare")
    scratch = f"size={SCRATCH_MB}m,nr_inodes={SCRATCH_INODES}"
    _mount("tmpfs", WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, f"{scratch},mode=700,uid={uid},gid={uid}")
    for path in SCRATCH_PATHS:
        _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"{scratch},mode=1777")
    for staged, path in UNDER_SCRATCH:   # what a fresh tmpfs just covered: the same read-only trees again
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(staged, path, None, MS_BIND | MS_REC)
        _mount("none", path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def remove_tree(path: str) -> None:
    """Delete a directory tree without recursion (a 3,000-deep tree breaks ``shutil.rmtree``);
    never raises: what cannot be removed stays, under the pool's temporary root."""
    stack, stuck = [path], set()
    while stack:
        top = stack[-1]
        subdirs = []
        try:
            entries = list(os.scandir(top))
        except OSError:
            entries = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path not in stuck:
                        os.chmod(entry.path, 0o700)
                        subdirs.append(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError:
                stuck.add(entry.path)
        if subdirs:
            stack.extend(subdirs)
            continue
        stack.pop()
        try:
            os.rmdir(top)
        except OSError:
            stuck.add(top)


# -- seccomp: no user namespaces ---------------------------------------------------------------------

_ARCH = {  # audit arch, (unshare, clone, clone3, setns), (add_key, request_key, keyctl) syscall numbers
    "x86_64": (0xC000003E, (272, 56, 435, 308), (248, 249, 250)),
    "aarch64": (0xC00000B7, (97, 220, 435, 268), (217, 218, 219)),
}
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JGE_K, _BPF_JSET_K, _BPF_RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
#: x86_64 runs a syscall number with this bit set under the x32 ABI, with the same audit arch.
X32_SYSCALL_BIT = 0x40000000
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO, _SECCOMP_RET_KILL = 0x7FFF0000, 0x00050000, 0x80000000
_EPERM, _ENOSYS = 1, 38


def _filter_program() -> bytes:
    """BPF: unshare/clone with CLONE_NEWUSER and setns -> EPERM; clone3 -> ENOSYS (libc then uses
    clone, whose flags the filter can read); the kernel's key management (``add_key``, ``request_key``,
    ``keyctl``: a per-uid keyring outlives every namespace of a call, a channel to the next check of the
    same uid) -> ENOSYS; any number of the x32 ABI (``X32_SYSCALL_BIT`` set: the same calls under other
    numbers) -> ENOSYS; anything else allowed. Other architectures are killed."""
    arch, (unshare, clone, clone3, setns), keys = _ARCH[platform.machine()]

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    allow, eperm = op(_BPF_RET_K, _SECCOMP_RET_ALLOW), op(_BPF_RET_K, _SECCOMP_RET_ERRNO | _EPERM)
    enosys = op(_BPF_RET_K, _SECCOMP_RET_ERRNO | _ENOSYS)
    return b"".join([
        op(_BPF_LD_W_ABS, 4),                          # 0: arch
        op(_BPF_JEQ_K, arch, 1, 0),                     # 1
        op(_BPF_RET_K, _SECCOMP_RET_KILL),              # 2
        op(_BPF_LD_W_ABS, 0),                          # 3: syscall number
        op(_BPF_JGE_K, X32_SYSCALL_BIT, 0, 1),          # 4
        enosys,                                         # 5
        *(op(_BPF_JEQ_K, nr, 0, 1) + enosys for nr in (clone3, *keys)),   # 6-13, in pairs
        op(_BPF_JEQ_K, setns, 0, 1),                    # 14
        eperm,                                          # 15
        op(_BPF_JEQ_K, unshare, 1, 0),                  # 16
        op(_BPF_JEQ_K, clone, 0, 3),                    # 17 -> 21 (allow)
        op(_BPF_LD_W_ABS, 16),                         # 18: low 32 bits of the first argument (flags)
        op(_BPF_JSET_K, CLONE_NEWUSER, 0, 1),           # 19
        eperm,                                          # 20
        allow,                                          # 21
    ])


def forbid_new_namespaces() -> bool:
    """Install the filter (needs no_new_privs, set by the caller); False where unsupported."""
    if platform.machine() not in _ARCH:
        return False
    program = _filter_program()
    filters = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(filters))
    fprog_buffer = ctypes.create_string_buffer(fprog, len(fprog))
    ulong = ctypes.c_ulong
    _libc.prctl(PR_SET_NO_NEW_PRIVS, ulong(1), ulong(0), ulong(0), ulong(0))
    return _libc.prctl(PR_SET_SECCOMP, ulong(SECCOMP_MODE_FILTER), ulong(ctypes.addressof(fprog_buffer)),
                       ulong(0), ulong(0)) == 0
