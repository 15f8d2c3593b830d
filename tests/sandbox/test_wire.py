"""The grader's encoding of plain data (autograder/sandbox/wire.py): exact round trips, and crafted bytes refused
cheaply. (Crafted records written by a real child are graded end to end in tests/adversarial/.)"""

from __future__ import annotations

import pickle
import struct
import time

import pytest
import torch

from autograder.sandbox import wire


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is torch.Tensor:
        return a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b or (a != a and b != b)  # NaN


PLAIN = [
    None, True, False, 0, -1, 2**63 - 1, -2**63, 2**63, -10**400, 0.5, float("nan"), float("-inf"), "", "Bag",
    "\udcff surrogate", "é 中", [], (), {}, [1.5], [0.25, 0.5, float("inf")], [1, 2.0], [True, 1.0], (1.0, 2.0),
    {"a": [1, (2, {"b": None})], "": 3}, [[0.5, 1.5], [2.5, 3.5]],
    torch.arange(12).reshape(3, 4), torch.tensor(3.5), torch.empty(0, 5), torch.zeros(2, 0, dtype=torch.bool),
    torch.tensor([True, False]), torch.randn(4, dtype=torch.float64), torch.randn(3).to(torch.bfloat16),
    torch.randn(3).half(), torch.randint(0, 255, (7,), dtype=torch.uint8), torch.tensor([-3], dtype=torch.int8),
    torch.tensor([1 + 2j, 3 - 1j], dtype=torch.complex64), torch.tensor([7], dtype=torch.int16),
    torch.tensor([7], dtype=torch.int32), torch.randn(2, 2, dtype=torch.complex128),
]


@pytest.mark.parametrize("value", PLAIN, ids=range(len(PLAIN)))
def test_plain_values_round_trip_exactly(value):
    assert _same(wire.decode(wire.encode(value)), value)


def test_a_list_of_floats_is_packed_and_keeps_its_type():
    losses = [float(i) / 3 for i in range(3000)]
    encoded = wire.encode(losses)
    assert len(encoded) < 3000 * 8 + 16
    assert _same(wire.decode(encoded), losses)
    assert _same(wire.decode(wire.encode([1.0, 2])), [1.0, 2])   # mixed: not packed, types kept


def test_views_are_sent_as_what_they_show():
    base = torch.arange(12.0).reshape(3, 4)
    for view in (base.T, base[:, 1], base.expand(2, 3, 4), torch.tensor([1 + 1j]).conj(), -base[0]._neg_view()):
        decoded = wire.decode(wire.encode(view))
        assert decoded.is_contiguous() and torch.equal(decoded, view.resolve_conj().resolve_neg())


def test_the_encoding_is_deterministic():
    value = {"x": torch.arange(5), "y": [0.1, 0.2], "z": (None, "s")}
    assert wire.encode(value) == wire.encode(value)


@pytest.mark.parametrize("value", [object(), {1: 2}, torch.nn.Parameter(torch.ones(2)), torch.ones(2).to_sparse(),
                                   torch.zeros(1, dtype=torch.float8_e4m3fn), [set()]])
def test_anything_else_is_refused_by_the_encoder(value):
    with pytest.raises(TypeError):
        wire.encode(value)


def _count(n: int) -> bytes:
    return struct.pack("<I", n)


@pytest.mark.parametrize("data, reason", [
    (b"", "not the grader's encoding"),
    (pickle.dumps({"ok": True}), "not the grader's encoding"),
    (b"PK\x03\x04 a torch archive", "not the grader's encoding"),
    (b"PW1", "truncated"),
    (b"PW1i\x01\x02", "truncated"),
    (b"PW1s" + _count(100) + b"short", "truncated"),
    (b"PW1l" + _count(2**32 - 1), "truncated"),
    (b"PW1NN", "bytes after the value"),
    (b"PW1?", "unknown tag"),
    (b"PW1s" + _count(2) + b"\xff\xfe", "not UTF-8"),
    (b"PW1J" + _count(3) + b"1e9", "malformed integer"),
    (b"PW1J" + _count(5000) + b"9" * 5000, "malformed integer"),
    (b"PW1X" + bytes((99, 1)) + struct.pack("<q", 1), "malformed tensor"),
    (b"PW1X" + bytes((0, 1)) + struct.pack("<q", -4), "larger than the grader accepts"),
    (b"PW1X" + bytes((0, 2)) + struct.pack("<2q", 150_000, 150_000), "larger than the grader accepts"),
    (b"PW1X" + bytes((0, 1)) + struct.pack("<q", 4) + b"\0" * 15, "truncated"),
    (b"PW1" + (b"l" + _count(1)) * 40 + b"N", "too complex"),
])
def test_crafted_bytes_are_refused(data, reason):
    with pytest.raises(wire.WireError, match=reason):
        wire.decode(data)


def test_ten_million_values_are_refused_in_bounded_time():
    data = b"PW1l" + _count(10_000_000) + b"N" * 10_000_000
    started = time.process_time()
    with pytest.raises(wire.WireError, match="too complex"):
        wire.decode(data)
    assert time.process_time() - started < 5   # stops at MAX_VALUES (about 0.1 s), not at ten million


def test_decoded_tensors_are_independent_writable_copies():
    data = bytearray(wire.encode(torch.arange(4)))
    decoded = wire.decode(bytes(data))
    decoded += 1
    assert torch.equal(wire.decode(bytes(data)), torch.arange(4))
