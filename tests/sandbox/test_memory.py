"""A child starts with nothing secret in its memory (issue 25, point 1): the student's file goes from the
grader straight to the child that runs it (the first frame of its call pipe), never through the fork
server, so a child forked later inherits no earlier submission and no reference solution.

Each test plants text in one file and lets a later child scan its whole writable memory for it (as that
child, with libc's ``memmem`` on every ``rw`` mapping of ``/proc/self/maps``). The scanner builds its needle
piece by piece in a ctypes buffer, so the whole text exists in its memory only where it was inherited
(or in that buffer, which is skipped)."""

from __future__ import annotations

import ast
import json
import re
import shutil
import textwrap

import pytest
import torch

from autograder.authoring.corpus import corpus_of, write_submission
from autograder.batch import grade_all
from autograder.course import PROJECT_ROOT, SOLUTIONS_DIR, get_assignment
from autograder.gradescope.build import build_autograder_zip
from autograder.gradescope.config import GradescopeConfig
from autograder.sandbox import SandboxPool
from autograder.submission import Submission
from tests.conftest import requires_root
from tests.support.gradescope_emulator import run_gradescope

A1 = get_assignment("a1_init")
#: Planted whole in a classmate's file; the scanner only ever holds it in pieces.
CLASSMATE_PIECES = ("zq7-classmate-", "only-in-", "their-file-41")
#: A line of the a5 reference solution's training loop (the scanning variant writes its loop otherwise).
REFERENCE_PIECES = ("layers += [nn.Linear(n_in, ", "n_out), nn.ReLU()]")

SCANNER = '''
import ctypes

NEEDLES = {}   # one needle per process: a second call must not find the first one's freed copy

def _inherited(pieces):
    """How often the text of ``pieces`` stands in this process's writable memory, outside the needle."""
    size = sum(len(p) for p in pieces)
    if pieces not in NEEDLES:
        NEEDLES[pieces] = ctypes.create_string_buffer(size)
        at = 0
        for piece in pieces:
            ctypes.memmove(ctypes.addressof(NEEDLES[pieces]) + at, piece.encode(), len(piece))
            at += len(piece)
    needle = NEEDLES[pieces]
    libc = ctypes.CDLL(None)
    libc.memmem.restype = ctypes.c_void_p
    libc.memmem.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]
    own, found_at = ctypes.addressof(needle), []
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for addresses, permissions, *rest in regions:
        if not permissions.startswith("rw"):
            continue
        start, end = (int(a, 16) for a in addresses.split("-"))
        while start < end:
            found = libc.memmem(start, end - start, own, size)
            if not found:
                break
            if found != own:   # addresses only while scanning: a context copied now would be found again
                found_at.append((found, start, permissions, rest[-1] if len(rest) > 3 else ""))
            start = found + 1
    hits = [(permissions, name, ctypes.string_at(max(at - 40, start), 100)) for at, start, permissions, name in found_at]
    return f"{len(hits)} {hits!r}"
'''


def _scanner_a1(pieces: tuple[str, ...]) -> str:
    return SCANNER + textwrap.dedent(f'''
        def fan_in_and_fan_out(tensor):
            raise RuntimeError(f"INHERITED={{_inherited({pieces!r})}}")
    ''')


def _planted_a1() -> str:
    return (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text() + f"\nPLANTED = {''.join(CLASSMATE_PIECES)!r}\n"


def _inherited(text: str) -> list[int]:
    """The counts the scanner reported (each followed by where it found the text, for the message)."""
    return [int(n) for n in re.findall(r"INHERITED=(\d+)", text)]


@requires_root
def test_a_later_child_of_the_same_server_inherits_no_earlier_file(tmp_path):
    """One fork server: the planted file's child runs, then the scanner's child is forked from the server."""
    planted = write_submission(tmp_path / "planted", "a1_init", _planted_a1()) / A1.filename
    scanner = write_submission(tmp_path / "scanner", "a1_init", _scanner_a1(CLASSMATE_PIECES)) / A1.filename
    with SandboxPool(1, assignments=["a1_init"]) as pool:
        assert Submission(A1, planted, pool, "test/planted", 10.0).call("fan_in_and_fan_out", torch.empty(3, 2)) == (2, 3)
        with pytest.raises(Exception, match=r"INHERITED=\d+") as raised:
            Submission(A1, scanner, pool, "test/scanner", 30.0).call("fan_in_and_fan_out", torch.empty(3, 2))
    assert _inherited(str(raised.value)) == [0]


@requires_root
def test_grade_all_with_two_jobs_leaks_no_classmate(tmp_path):
    """Under two jobs the parent builds one student's frames while it sends another's calls: a call
    argument made with ``torch.empty`` carried the parent's uninitialized memory, freed frames of a
    classmate's file included, into the child (about 1 run in 10). Check arguments are made with zeros
    now (:func:`test_no_check_sends_the_parents_uninitialized_memory`)."""
    folder = tmp_path / "class"
    for name in ("alice", "bob", "carol"):
        write_submission(folder / name, "a1_init", _planted_a1())
    write_submission(folder / "zoe", "a1_init", _scanner_a1(CLASSMATE_PIECES))
    batch = grade_all(folder, jobs=2, assignments=["a1_init"], progress=False)
    zoe = next(r for r in batch.reports if r.submission == "zoe")
    seen = _inherited(json.dumps(zoe.to_gradescope()))
    assert seen and set(seen) == {0}, [t["output"][:3000] for t in zoe.to_gradescope()["tests"] if "INHERITED=0 " not in t["output"]]
    assert "".join(CLASSMATE_PIECES) not in json.dumps(zoe.to_gradescope())


@requires_root
def test_the_gradescope_path_leaks_no_reference_solution(tmp_path):
    """The reference runs in the same fork server as the student's checks (a5 3.2 compares the student's
    untrained network with the reference's); the checks after it scan (the student's train_approximator
    returns for 3.2's steps=0 and scans when asked to train: 3.3, 3.4, 4.2). Whether a later child was
    forked while the server held the reference depended on which child ended first; now none can be."""
    reference = (SOLUTIONS_DIR / "a5_approx" / "approx.py").read_text()
    variant = (corpus_of("a5_approx").folder / "variants" / "full_batch.py").read_text()
    assert "".join(REFERENCE_PIECES) in reference and "".join(REFERENCE_PIECES) not in variant
    signature = "def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):\n"
    assert signature in variant
    scanning = variant.replace(signature, signature + "    if steps:\n"
                               f"        raise RuntimeError('INHERITED=' + str(_inherited({REFERENCE_PIECES!r})))\n")
    student = tmp_path / "submission"
    student.mkdir()
    (student / "approx.py").write_text(SCANNER + scanning)
    zipped = tmp_path / "a5.zip"
    build_autograder_zip(zipped, GradescopeConfig(["a5_approx"]))
    run = run_gradescope(zipped, student, tmp_path / "gradescope")
    by_number = {t["number"]: t for t in run.results["tests"]}
    assert by_number["3.2"]["score"] == by_number["3.2"]["max_score"], by_number["3.2"]["output"]  # the reference ran
    scans = {n: _inherited(by_number[n]["output"]) for n in ("3.3", "3.4", "4.2")}
    assert scans == {"3.3": [0], "3.4": [0], "4.2": [0]}, scans
    shutil.rmtree(tmp_path / "gradescope", ignore_errors=True)


#: Calls that give a tensor of the parent's uninitialized memory.
UNINITIALIZED = {"empty", "empty_like", "new_empty", "empty_strided", "Tensor", "FloatTensor", "LongTensor"}


def test_no_check_sends_the_parents_uninitialized_memory():
    """What runs in the grading parent (the checks, judges and the grading core) never makes a tensor of
    uninitialized memory that is not empty: sent to a child as an argument, it would carry whatever the
    parent freed there, another submission's file or a reference's outcome."""
    offenders = []
    package = PROJECT_ROOT / "autograder"
    for path in sorted(package.rglob("*.py")):
        if "probes" in path.name or path.name == "wire.py":   # run in the child, or decode what it received
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in UNINITIALIZED:
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and first.value == 0):
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert not offenders, offenders
