"""Plain data between the grader and its sandboxed children: never ``pickle``.

Everything crossing the boundary is built from ``None``, ``bool``, ``int``, ``float``, ``str``,
lists, tuples, string-keyed dicts and dense CPU tensors, in an encoding of this module's own
(:func:`encode`, :func:`decode`): a tag byte and a length before every value, nothing that names a
class or a function. A child that forges its record can only claim other plain values, never run
code in the parent (Otter-Grader unpickles what student code produced), and every length is checked
before it is read. It is also cheaper than ``torch.save``/``torch.load``, most of all for many small
tensors (figures in benchmarks/README.md).

torch is imported on first use, not with this module, so that the grader can start its fork
servers (which import torch themselves) before it pays for its own ``import torch``.
"""

from __future__ import annotations

import functools
import math
import os
import socket
import struct
import sys
from typing import Any, Callable


PLAIN_SCALARS = (type(None), bool, int, float, str)
#: Tags of the frames a child writes to its result channel: IMPORTED once the student's module is
#: imported (so that a timeout's message can say whether the time ran out at import, and the grader
#: knows the file imports), RECORD with each call's result.
IMPORTED, RECORD = b"I", b"R"
_TAGGED = struct.Struct("!cI")
MAX_DEPTH = 32
#: Bounds on what the parent decodes, so a crafted result cannot cost it minutes or gigabytes. A full
#: reference grade's largest record holds 2,032 values (measured; a packed list of floats counts as
#: one); its bytes are bounded by the sandbox's result cap.
MAX_VALUES = 200_000
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


#: The encoding: ``_MAGIC``, then each value as a one-byte tag and its body: N(one) T(rue) F(alse),
#: i (int64) J (a larger int, as decimal digits), f (float64), s (UTF-8 string), l t d (list, tuple,
#: dict: a count, then the items; a dict's keys are strings), L (a list of floats, packed: a loss
#: curve of 3,000 steps is one value, not 3,000), X (a tensor: dtype code, rank, shape, elements).
#: Counts and lengths are 4-byte unsigned, numbers little-endian.
_MAGIC = b"PW1"
_INT64, _FLOAT64, _COUNT = struct.Struct("<q"), struct.Struct("<d"), struct.Struct("<I")
MAX_BIG_INT_DIGITS = 4300   # Python's own limit for int <-> str


@functools.cache
def _dtypes() -> tuple:
    """The tensor dtypes that cross the boundary, by their code in the encoding."""
    import torch

    return (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.complex64, torch.complex128,
            torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool)


def encode(value: Any) -> bytes:
    """Plain data (see :func:`to_plain`) as bytes; ``TypeError`` for anything else."""
    out = bytearray(_MAGIC)
    _encode(value, out, 0)
    return bytes(out)


def _encode(value: Any, out: bytearray, depth: int) -> None:
    kind = type(value)
    if depth > MAX_DEPTH:
        raise TypeError("data nested deeper than 32 levels")
    if value is None:
        out += b"N"
    elif kind is bool:
        out += b"T" if value else b"F"
    elif kind is int and -2**63 <= value < 2**63:
        out += b"i" + _INT64.pack(value)
    elif kind is int:
        digits = str(value).encode()
        out += b"J" + _COUNT.pack(len(digits)) + digits
    elif kind is float:
        out += b"f" + _FLOAT64.pack(value)
    elif kind is str:
        _encode_text(value, b"s", out)
    elif kind is list and len(value) > 1 and all(type(item) is float for item in value):
        out += b"L" + _COUNT.pack(len(value)) + struct.pack(f"<{len(value)}d", *value)
    elif kind is list or kind is tuple:
        out += (b"l" if kind is list else b"t") + _COUNT.pack(len(value))
        for item in value:
            _encode(item, out, depth + 1)
    elif kind is dict:
        out += b"d" + _COUNT.pack(len(value))
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a dict with keys that are not strings")
            _encode_text(key, b"", out)
            _encode(item, out, depth + 1)
    elif _is_tensor(value):
        _encode_tensor(value, out)
    else:
        raise TypeError(f"an object of type {kind.__name__}")


def _is_tensor(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and type(value) is torch.Tensor


def _encode_text(text: str, tag: bytes, out: bytearray) -> None:
    data = text.encode("utf-8", "surrogatepass")
    out += tag + _COUNT.pack(len(data)) + data


def _encode_tensor(tensor: Any, out: bytearray) -> None:
    """dtype code, rank, shape, then the elements in row-major order (a dense CPU copy)."""
    import torch

    if tensor.layout != torch.strided or tensor.dtype not in _dtypes():
        raise TypeError(f"a tensor of layout {tensor.layout} and dtype {tensor.dtype}")
    dense = tensor.detach().cpu().resolve_conj().resolve_neg().contiguous()
    out += b"X" + bytes((_dtypes().index(dense.dtype), dense.dim())) + struct.pack(f"<{dense.dim()}q", *dense.shape)
    out += dense.reshape(-1).view(torch.uint8).numpy().tobytes()


def decode(data: bytes) -> Any:
    """Read what :func:`encode` wrote. A child's bytes are a claim: nothing in them is run, and
    every length is checked before it is used, so a crafted record costs the grader bounded time and
    memory (at most ``MAX_VALUES`` values, ``MAX_DEPTH`` levels, tensors of at most
    ``MAX_TENSOR_BYTES``); anything else raises :class:`WireError`."""
    if not data.startswith(_MAGIC):
        raise WireError("undecodable result (not the grader's encoding)")
    reader = _Reader(data, len(_MAGIC))
    value = reader.value(0)
    if reader.at != len(data):
        raise WireError("undecodable result (bytes after the value)")
    return value


class _Reader:
    """One pass over encoded bytes; every read is bounds-checked."""

    def __init__(self, data: bytes, at: int) -> None:
        self.data, self.at, self.values = memoryview(data), at, 0

    def take(self, size: int) -> memoryview:
        end = self.at + size
        if size < 0 or end > len(self.data):
            raise WireError("undecodable result (truncated)")
        chunk, self.at = self.data[self.at:end], end
        return chunk

    def count(self) -> int:
        return _COUNT.unpack(self.take(_COUNT.size))[0]

    def text(self) -> str:
        try:
            return str(self.take(self.count()), "utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise WireError("undecodable result (a string that is not UTF-8)") from None

    def value(self, depth: int) -> Any:
        self.values += 1
        if depth > MAX_DEPTH or self.values > MAX_VALUES:
            raise WireError("result too complex (nested deeper than 32 levels or more than "
                            f"{MAX_VALUES:,} values)")
        tag = bytes(self.take(1))
        if tag in _CONSTANTS:
            return _CONSTANTS[tag]
        if tag == b"i":
            return _INT64.unpack(self.take(_INT64.size))[0]
        if tag == b"f":
            return _FLOAT64.unpack(self.take(_FLOAT64.size))[0]
        if tag == b"s":
            return self.text()
        if tag in (b"l", b"t"):
            items = [self.value(depth + 1) for _ in range(self.count())]
            return items if tag == b"l" else tuple(items)
        if tag == b"d":
            return {self.text(): self.value(depth + 1) for _ in range(self.count())}
        if tag == b"L":
            size = self.count()
            return list(struct.unpack(f"<{size}d", self.take(size * _FLOAT64.size)))
        if tag == b"X":
            return self.tensor()
        if tag == b"J":
            return self.big_int()
        raise WireError("undecodable result (unknown tag)")

    def big_int(self) -> int:
        digits = bytes(self.take(self.count()))
        if len(digits) > MAX_BIG_INT_DIGITS or not digits.lstrip(b"-").isdigit() or not digits.isascii():
            raise WireError("undecodable result (a malformed integer)")
        return int(digits)

    def tensor(self) -> Any:
        import torch

        code, rank = self.take(2)
        if code >= len(_dtypes()) or rank > MAX_DEPTH:
            raise WireError("undecodable result (a malformed tensor)")
        dtype = _dtypes()[code]
        shape = struct.unpack(f"<{rank}q", self.take(8 * rank))
        if any(size < 0 for size in shape) or math.prod(shape) * dtype.itemsize > MAX_TENSOR_BYTES:
            raise WireError(f"result holds a tensor of shape {shape} larger than the grader accepts")
        data = self.take(math.prod(shape) * dtype.itemsize)
        if not data:
            return torch.empty(shape, dtype=dtype)
        return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


_CONSTANTS = {b"N": None, b"T": True, b"F": False}


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
