"""Plain data between the grader and its sandboxed children: never ``pickle`` of arbitrary objects.

Everything crossing the boundary is built from ``None``, ``bool``, ``int``, ``float``, ``str``,
lists, tuples, string-keyed dicts and CPU tensors, written with :func:`torch.save` and read back with
``torch.load(weights_only=True)``, whose unpickler refuses any other class: a child that forges a
pickle payload cannot run code in the parent (Otter-Grader unpickles what student code produced).

torch is imported on first use, not with this module, so that the grader can start its fork
servers (which import torch themselves) before it pays for its own ``import torch``.
"""

from __future__ import annotations

import functools
import io
import math
import os
import socket
import struct
import sys
import zipfile
from typing import Any, Callable


PLAIN_SCALARS = (type(None), bool, int, float, str)
#: Tags of the frames a child writes to its result channel: IMPORTED once the student's module is
#: imported (so that a timeout's message can say whether the time ran out at import, and the grader
#: knows the file imports), RECORD with each call's result.
IMPORTED, RECORD = b"I", b"R"
_TAGGED = struct.Struct("!cI")
MAX_DEPTH = 32
#: Bounds on what the parent decodes, so a crafted result cannot cost it minutes or gigabytes. A full
#: reference grade's largest record pickles to 2.5 KB with 44 archive entries (measured); its
#: tensors' bytes live outside the pickle and are bounded by the sandbox's result cap.
MAX_PICKLE_BYTES = 1 << 20
MAX_ARCHIVE_ENTRIES = 4096
MAX_TENSOR_BYTES = 64 << 20
_FRAME = struct.Struct("!II")


class WireError(ValueError):
    """Data from a child that is not plain data, too big, or not decodable."""


def to_plain(value: Any, depth: int = 0) -> Any:
    """Copy ``value`` into plain data; objects of any other type become a described placeholder.

    Runs in the child. Tensor subclasses and parameters become ordinary detached CPU tensors, so
    nothing with custom methods (``__eq__`` that is always True) reaches the parent.
    """
    import torch

    if depth > MAX_DEPTH:
        return {"__unsupported__": "nesting deeper than 32 levels"}
    if type(value) in PLAIN_SCALARS:
        return value
    if isinstance(value, torch.Tensor):
        return torch.Tensor.detach(value).cpu().as_subclass(torch.Tensor).clone()
    if isinstance(value, (list, tuple)):  # torch.Size and named tuples become plain tuples
        items = [to_plain(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict) and all(type(k) is str for k in value):  # incl. OrderedDict state dicts
        return {k: to_plain(v, depth + 1) for k, v in value.items()}
    for base in (bool, int, float, str):  # subclasses of builtins: keep only the plain value
        if isinstance(value, base):
            return base(value)
    numpy = sys.modules.get("numpy")  # a numpy value exists only where student code imported numpy
    if numpy is not None and isinstance(value, numpy.generic) and type(value).__module__ == "numpy":
        return _numpy_scalar(value)
    if numpy is not None and type(value) is numpy.ndarray:
        return _numpy_array(value, numpy)
    return {"__unsupported__": f"an object of type {type(value).__name__}"}


def _numpy_scalar(value: Any) -> Any:
    """np.int64 (from np.prod), np.float32, np.bool_ ... -> the Python int, float or bool it holds."""
    plain = value.item()
    if type(plain) in PLAIN_SCALARS:
        return plain
    return {"__unsupported__": f"a numpy scalar of type {type(value).__name__}"}


def _numpy_array(value: Any, numpy: Any) -> Any:
    """A numeric ndarray -> a tensor of the same dtype and shape (a copy); object arrays are refused."""
    import torch

    if value.dtype.hasobject:
        return {"__unsupported__": "a numpy array of Python objects"}
    try:
        return torch.from_numpy(numpy.array(value, copy=True, order="C"))
    except TypeError:
        return {"__unsupported__": f"a numpy array of dtype {value.dtype}"}


def encode(value: Any) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def decode(data: bytes) -> Any:
    """Read plain data written by :func:`encode`; refuses any non-plain class without running it.

    The archive is checked before the unpickler sees it (entry count, stored not compressed, a
    pickle of at most 1 MB: a million-object pickle is refused, not decoded), and every tensor
    after (dense, contiguous, its storage as large as its elements: no stride-0 giant).
    """
    import torch

    _check_archive(data)
    try:
        value = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as exc:  # noqa: BLE001 -- any failure means the bytes are not ours
        raise WireError(f"undecodable result ({type(exc).__name__}: {str(exc)[:200]})") from None
    check_plain(value)
    return value


def _check_archive(data: bytes) -> None:
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WireError(f"undecodable result ({type(exc).__name__})") from None
    pickles = [e for e in entries if e.filename.endswith("/data.pkl")]
    if len(entries) > MAX_ARCHIVE_ENTRIES or len(pickles) != 1:
        raise WireError("malformed result archive")
    if any(e.compress_type != zipfile.ZIP_STORED for e in entries):
        raise WireError("compressed result archive")
    if pickles[0].file_size > MAX_PICKLE_BYTES:
        raise WireError(f"result too complex ({pickles[0].file_size:,} bytes of structure)")


def check_plain(value: Any, depth: int = 0) -> None:
    """Raise :class:`WireError` unless ``value`` is plain data (exact types, no subclasses)."""
    import torch

    if depth > MAX_DEPTH:
        raise WireError("result nested too deeply")
    if type(value) in PLAIN_SCALARS:
        return
    if type(value) is torch.Tensor:
        if value.layout != torch.strided or value.device.type != "cpu" or not value.is_contiguous():
            raise WireError("result holds a non-dense, non-contiguous or non-CPU tensor")
        needed = (value.storage_offset() + value.numel()) * value.element_size()
        if needed > MAX_TENSOR_BYTES or value.untyped_storage().nbytes() < needed:
            raise WireError(f"result holds a tensor of shape {tuple(value.shape)} that its data cannot back")
        return
    if type(value) in (list, tuple):
        for item in value:
            check_plain(item, depth + 1)
        return
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise WireError("result holds a dict with non-string keys")
            check_plain(item, depth + 1)
        return
    raise WireError(f"result holds an object of type {type(value).__name__}")


def is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


# -- framed messages over a Unix socket, with file descriptors attached ---------------------------

def send_message(sock: socket.socket, header: bytes, blob: bytes = b"", fds: list[int] | None = None) -> None:
    prefix = _FRAME.pack(len(header), len(blob))
    if fds:
        socket.send_fds(sock, [prefix], fds)
    else:
        sock.sendall(prefix)
    sock.sendall(header + blob)


def recv_message(sock: socket.socket) -> tuple[bytes, bytes, list[int]]:
    """Receive one framed message; raises ``EOFError`` when the peer has gone."""
    prefix, fds, _flags, _addr = socket.recv_fds(sock, _FRAME.size, 8)
    if not prefix:
        raise EOFError("peer closed the socket")
    prefix += _read_exact(sock.recv, _FRAME.size - len(prefix))
    header_len, blob_len = _FRAME.unpack(prefix)
    body = _read_exact(sock.recv, header_len + blob_len)
    return body[:header_len], body[header_len:], list(fds)


def _read_exact(read: Callable[[int], bytes], n: int) -> bytes:
    """``n`` bytes from ``read(at_most)`` (a socket's ``recv``, a pipe's ``os.read``); ``EOFError``
    when the peer closes first."""
    chunks = []
    while n:
        chunk = read(min(n, 1 << 20))
        if not chunk:
            raise EOFError("peer closed the channel mid-message")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


# -- framed messages over pipes, between the grader and one child ----------------------------------

def frame_call(header: bytes, blob: bytes) -> bytes:
    """One call for a child: a JSON header and the encoded arguments (read by :func:`read_frame`)."""
    return _FRAME.pack(len(header), len(blob)) + header + blob


def read_frame(fd: int) -> tuple[bytes, bytes] | None:
    """Child side: the next call from the grader, or None when the grader closed the channel."""
    read = functools.partial(os.read, fd)
    try:
        header_len, blob_len = _FRAME.unpack(_read_exact(read, _FRAME.size))
        body = _read_exact(read, header_len + blob_len)
    except EOFError:
        return None
    return body[:header_len], body[header_len:]


def write_frame(fd: int, tag: bytes, data: bytes = b"") -> None:
    """Child side: one tagged frame on the result channel."""
    view = memoryview(_TAGGED.pack(tag, len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


class FrameReader:
    """Grader side: splits what a child wrote to its result channel into tagged frames.

    Everything in them is a claim of the student's code: a frame with an unknown tag or longer than
    ``cap`` bytes is malformed, and the grader ends the child.
    """

    def __init__(self, cap: int) -> None:
        self.cap, self.buffer = cap, bytearray()

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk

    def next(self) -> tuple[bytes, bytes] | None:
        """The next complete frame as (tag, data); None until one is complete.
        Raises :class:`WireError` for a malformed one."""
        if len(self.buffer) < _TAGGED.size:
            return None
        tag, length = _TAGGED.unpack_from(self.buffer)
        if tag not in (IMPORTED, RECORD) or length > self.cap:
            raise WireError("returned more data than the grader accepts" if tag in (IMPORTED, RECORD)
                            else "malformed result frame")
        end = _TAGGED.size + length
        if len(self.buffer) < end:
            return None
        data = bytes(self.buffer[_TAGGED.size:end])
        del self.buffer[:end]
        return tag, data
