"""Hostile and broken submissions, graded through the full path (tests/adversarial/).

Each attack asserts: a valid results.json, no points the attack should not have, the other
checks still scored, nothing outside the child's private copy changed, the run ended within its
budget, the grading parent's own memory and CPU stayed within a bound of an honest file's on the same
checks, and no process of the attack survived. Attacks run with the privilege drop (as root)
and, where they do not depend on it, as a non-root run would (no uid change).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.authoring.corpus import write_submission
from autograder.course import PROJECT_ROOT, SOLUTIONS_DIR, STUDENT_DIR, get_assignment
from autograder.grading import Grader
from autograder.sandbox import SANDBOX_UIDS
from tests.conftest import requires_root
from tests.support.gradescope_schema import validate_results

ADVERSARIAL_DIR = Path(__file__).resolve().parent / "adversarial"
ATTACKS = sorted(ADVERSARIAL_DIR.glob("*.py"))
DEFAULT_ONLY = {"a1_init": ["1.1", "1.3", "2.1", "6.3", "7.1"]}
GUARDED = [PROJECT_ROOT / "autograder", SOLUTIONS_DIR, STUDENT_DIR]


@dataclass
class Attack:
    name: str
    attack: str
    base: str = "reference"
    assignment: str = "a1_init"
    only: list[str] = field(default_factory=list)
    expect_max: float | None = None
    expect_pass: list[str] = field(default_factory=list)
    expect_fail: list[str] = field(default_factory=list)
    budget_s: float = 60.0
    root_only: bool = False
    secret_files: list[str] = field(default_factory=list)
    daemon: bool = False           # leaves a process behind that would strike after grading


#: What an attack may cost the grading parent beyond an honest file graded on the same checks (issue 25,
#: point 4): its peak resident memory above what it held when grading began, and its own CPU time.
PARENT_EXTRA_MB, PARENT_EXTRA_CPU_S = 100.0, 2.0


class ParentCost:
    """The grading parent's own cost while it grades: the peak of its resident memory above what it held
    when grading began (sampled every 5 ms from /proc/self/statm) and the CPU time of its threads."""

    def __enter__(self) -> "ParentCost":
        self._stop = threading.Event()
        self.base_mb = self.peak_mb = _resident_mb()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self._cpu = time.process_time()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak_mb = max(self.peak_mb, _resident_mb())

    def __exit__(self, *exc: object) -> None:
        self.cpu_s = time.process_time() - self._cpu
        self._stop.set()
        self._sampler.join()
        self.extra_mb = self.peak_mb - self.base_mb


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


_HONEST: dict[tuple, ParentCost] = {}


def honest_cost(grader: Grader, tmp_path: Path, assignment: str, only: list[str]) -> ParentCost:
    """What the reference costs the parent on these checks (graded once per grader and set of checks)."""
    key = (id(grader), assignment, tuple(sorted(only)))
    if key not in _HONEST:
        spec = get_assignment(assignment)
        folder = write_submission(tmp_path / "honest", assignment, (SOLUTIONS_DIR / assignment / spec.filename).read_text())
        grader.grade(folder, [assignment], only=set(only))   # one-time costs (data, imports) land here
        with ParentCost() as cost:
            grader.grade(folder, [assignment], only=set(only))
        _HONEST[key] = cost
    return _HONEST[key]


def load_attack(path: Path) -> Attack:
    values = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and node.targets[0].id.isupper():
            values[node.targets[0].id.lower()] = ast.literal_eval(node.value)
    attack = Attack(path.stem, **values)
    attack.only = attack.only or DEFAULT_ONLY.get(attack.assignment, [])
    return attack


def _fingerprint(paths: list[Path]) -> dict[str, str]:
    found = {}
    for root in paths:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _sandbox_processes(uids: set[int] | range = SANDBOX_UIDS) -> list[int]:
    """Processes running as one of ``uids`` (by default: any sandbox uid of any grader)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                uid = os.stat(f"/proc/{entry}").st_uid
            except FileNotFoundError:
                continue
            if uid in uids:
                alive.append(int(entry))
    return alive


#: ``@FORGE@`` in an attack: ``_forge(value)`` writes ``value`` as the call's result record in the grader's
#: own encoding and framing, to every descriptor that takes it, and exits.
FORGE = '''import os as _forge_os
from autograder.sandbox import wire as _forge_wire
def _forge(value):
    record = _forge_wire.encode({"ok": True, "value": value})
    for fd in range(3, 256):
        try:
            _forge_wire.write_frame(fd, _forge_wire.RECORD, record)
        except OSError:
            pass
    _forge_os._exit(0)'''


def _source(attack: Attack, fill: dict[str, str]) -> str:
    assignment = get_assignment(attack.assignment)
    base = {"reference": SOLUTIONS_DIR, "stub": STUDENT_DIR}.get(attack.base)
    text = (base / assignment.name / assignment.filename).read_text() + "\n" if base else ""
    body = attack.attack
    for token, value in {"FORGE": FORGE, **fill}.items():
        body = body.replace(f"@{token}@", value)
    return text + body


def secrets_of(attack: Attack, project: Path) -> list[str]:
    """The files the attack tries to leak, in the grader's tree at ``project``."""
    return [s.replace("@PROJECT@", str(project)) for s in attack.secret_files]


def fill_of(attack: Attack, project: Path, submission: Path, results: Path, markers: Path,
            listener: socket.socket) -> dict[str, str]:
    """What the attack's @TOKEN@s stand for: the grader's tree, where the submission and results.json
    lie, a folder an escape would leave markers in, a port listening on 127.0.0.1."""
    return {"RESULTS": str(results), "PROJECT": str(project), "SUBMISSION": str(submission),
            "MARKERS": str(markers), "PORT": str(listener.getsockname()[1]),
            "SECRET_FILES": repr(secrets_of(attack, project))}


def accepted(listener: socket.socket) -> bool:
    """Whether anything connected to ``listener`` (0.5 s of patience)."""
    listener.settimeout(0.5)
    try:
        connection, _ = listener.accept()
    except socket.timeout:
        return False
    connection.close()
    return True


def run_attack(attack: Attack, grader: Grader, tmp_path: Path, privileged: bool) -> None:
    markers = tmp_path / "markers"
    markers.mkdir(mode=0o700)
    results = tmp_path / "results" / "results.json"
    submission_dir = tmp_path / "submission"
    secrets = secrets_of(attack, PROJECT_ROOT)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        fill = fill_of(attack, PROJECT_ROOT, submission_dir, results, markers, listener)
        submission = write_submission(submission_dir, attack.assignment, _source(attack, fill))
        before = _fingerprint(GUARDED + [submission])
        honest = honest_cost(grader, tmp_path, attack.assignment, attack.only)
        started = time.monotonic()
        with ParentCost() as cost:
            report = grader.grade(submission, [attack.assignment], only=set(attack.only))
        report.write_json(results)
        elapsed = time.monotonic() - started
        if attack.daemon:
            time.sleep(1.5)  # a surviving daemon would strike now
        connected = accepted(listener)
    assert results.stat().st_size < 256 * 1024, f"results.json is {results.stat().st_size:,} bytes"
    data = json.loads(results.read_text())
    validate_results(data)
    assert data["score"] == report.score, "results.json was replaced after grading"
    assert not report.errors, f"{attack.name} caused a grader fault: {report.errors}"
    assert "\x1b" not in report.to_table(), f"{attack.name} reached the terminal with an escape sequence"
    assert len(data["tests"]) == len(attack.only)
    verdicts = {t["number"]: t["status"] for t in data["tests"]}
    if attack.expect_max is not None:
        assert report.score <= attack.expect_max, f"{attack.name} gained points: {report.score}"
    for number in attack.expect_pass:
        assert verdicts[number] == "passed", f"{attack.name}: check {number} should still pass"
    for number in attack.expect_fail:
        assert verdicts[number] == "failed", f"{attack.name}: check {number} should fail"
    assert elapsed < attack.budget_s, f"{attack.name} took {elapsed:.1f} s"
    print(f"parent: +{cost.extra_mb:.0f} MB, {cost.cpu_s:.2f} s CPU; honest: +{honest.extra_mb:.0f} MB, "
          f"{honest.cpu_s:.2f} s")   # shown with -rP
    assert cost.extra_mb <= honest.extra_mb + PARENT_EXTRA_MB, (
        f"{attack.name} raised the parent's memory by {cost.extra_mb:.0f} MB (an honest file: {honest.extra_mb:.0f} MB)")
    assert cost.cpu_s <= honest.cpu_s + PARENT_EXTRA_CPU_S, (
        f"{attack.name} cost the parent {cost.cpu_s:.1f} s of CPU (an honest file: {honest.cpu_s:.1f} s)")
    if privileged:
        assert _fingerprint(GUARDED + [submission]) == before, "a file outside the private copy changed"
        assert not list(markers.iterdir()), f"{attack.name} left evidence: {list(markers.iterdir())}"
        assert not connected, "the child reached a listener on 127.0.0.1"
        assert not _sandbox_processes(grader.pool.uids), "a sandboxed process outlived grading"
        for secret in secrets:
            first_line = Path(secret).read_text().splitlines()[0]
            assert first_line not in json.dumps(data), f"{secret} leaked into the feedback"


@requires_root
@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem)
def test_attack_with_privilege_drop(grader, tmp_path, path):
    run_attack(load_attack(path), grader, tmp_path, privileged=True)


@pytest.fixture(scope="module")
def unprivileged_grader():
    with Grader(jobs=2, drop_privileges=False) as grader:
        yield grader


@pytest.mark.parametrize("path", [p for p in ATTACKS if not load_attack(p).root_only], ids=lambda p: p.stem)
def test_attack_without_privilege_drop(unprivileged_grader, tmp_path, path):
    run_attack(load_attack(path), unprivileged_grader, tmp_path, privileged=False)
