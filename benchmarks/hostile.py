"""The adversarial submissions of tests/adversarial/, graded by Otter-Grader 7 and by this grader.

For every attack, both tools grade the same file with the same checks (Otter runs the test files
that `autograder otter export` generates from them) and the table says whether each held:
a valid results.json, no points gained (and no point on the checks the attack must fail), within the time budget, nothing outside the submission
changed, no secret in its results.json, no process left behind 1.5 s after the run (for this
grader: no process of a sandbox uid; for Otter: no process started during the run), the results
not replaced afterwards, no connection to a listener on 127.0.0.1.
The score shown is the whole score; "no points gained" is judged on the checks the attack names
(ONLY) where results.json lists checks one by one (ours), else on the whole score (Otter's lists one
test per assignment).
Run as root (the privilege drop is part of what is compared). Usage: python benchmarks/hostile.py [ATTACK ...]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.course import PROJECT_ROOT, get_assignment  # noqa: E402
from autograder.frontends.otter import export  # noqa: E402
from autograder.grading import Grader  # noqa: E402
from tests.test_adversarial import ATTACKS, GUARDED, _fingerprint, _sandbox_processes, _source, load_attack  # noqa: E402

HANG_LIMIT_S = 45
OTTER = Path(sys.executable).parent / "otter"


def _otter_zip(workdir: Path, assignment: str) -> Path:
    folder = workdir / f"otter-{assignment}"
    export(folder, [assignment])
    subprocess.run([str(OTTER), "generate", "-t", "tests", "-o", "autograder.zip", "--no-requirements",
                    "--no-environment"], cwd=folder, check=True, capture_output=True)
    return folder / "autograder.zip"


def _pids() -> set[int]:
    return {int(entry) for entry in os.listdir("/proc") if entry.isdigit()}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _survivors(before: set[int]) -> set[int]:
    """Processes started during the run that are still alive (the machine is otherwise quiet)."""
    return {pid for pid in _pids() - before - {os.getpid()} if _alive(pid)}


def _kill_and_wait(pids: set[int], limit_s: float = 20.0) -> None:
    """SIGKILL ``pids`` (and whatever they fork meanwhile) and wait until all have left /proc."""
    deadline = time.monotonic() + limit_s
    known = set(pids)
    while known and time.monotonic() < deadline:
        for pid in list(known):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if not _alive(pid):
                known.discard(pid)
        time.sleep(0.1)


def _verdict(problems: list[str]) -> str:
    return "held" if not problems else "BROKEN: " + "; ".join(problems)


def _tests(data: dict, number: str) -> list[dict]:
    """results.json's tests of check ``number`` (its ``number``, or a name that starts with it, as Otter's
    test cases are named)."""
    named = re.compile(rf"(^|[\s-]){re.escape(number)}\s")
    return [t for t in data.get("tests", []) if t.get("number") == number or named.search(str(t.get("name", "")))]


def _kept(data: dict, number: str) -> bool:
    """Whether results.json shows check ``number`` with full marks."""
    return any(t.get("score", 0) >= t.get("max_score", 0) for t in _tests(data, number))


def _attacked_score(attack, data: dict) -> float | None:
    """The points an attack earned on the checks it names (ONLY), where results.json shows checks one by
    one (Otter's shows one test per assignment: None there, and its whole score is judged)."""
    tests = [t for number in attack.only for t in _tests(data, number)]
    return sum(float(t.get("score", 0)) for t in tests) if attack.only and tests else None


def _judge(attack, score: float | None, elapsed: float, hung: bool, valid: bool, replaced: bool, changed: bool,
           leaked: bool, survivors: bool, connected: bool, data: dict | None = None) -> list[str]:
    problems = []
    if not valid:
        problems.append("no valid results.json")
    earned = [number for number in attack.expect_fail if valid and _kept(data or {}, number)]
    if earned:
        problems.append(f"earned {', '.join(earned)}")
    if hung:
        problems.append(f"hung (killed at {HANG_LIMIT_S} s)")
    elif elapsed > attack.budget_s:
        problems.append(f"took {elapsed:.0f} s")
    if score is not None and attack.expect_max is not None and score > attack.expect_max:
        problems.append(f"gained {score - attack.expect_max:g} points")
    for flag, what in ((replaced, "results replaced"), (changed, "files changed"), (leaked, "secrets leaked"),
                       (survivors, "process survived"), (connected, "network reached")):
        if flag:
            problems.append(what)
    return problems


def _decoy_project(workdir: Path) -> Path:
    """A copy of the package, solutions and stubs for the Otter runs: Otter does not protect the real
    ones, and an attack that succeeds there must not damage this checkout."""
    decoy = workdir / "decoy-project"
    if not decoy.exists():
        for path in GUARDED:
            shutil.copytree(path, decoy / path.relative_to(PROJECT_ROOT), ignore=shutil.ignore_patterns("__pycache__"))
    return decoy


def run_one(attack, grader: Grader, zips: dict[str, Path], workdir: Path) -> tuple[str, str]:
    spec = get_assignment(attack.assignment)
    rows = {}
    for tool in ("otter", "autograder"):
        project = _decoy_project(workdir) if tool == "otter" else PROJECT_ROOT
        guarded = [project / p.relative_to(PROJECT_ROOT) for p in GUARDED]
        scratch = workdir / f"{attack.name}-{tool}"
        results = scratch / "out" / "results.json"
        results.parent.mkdir(parents=True)
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(5)
            listener.settimeout(0.5)
            secrets = [s.replace("@PROJECT@", str(project)) for s in attack.secret_files]
            fill = {"RESULTS": str(results), "PROJECT": str(project), "SUBMISSION": str(scratch / "sub"),
                    "MARKERS": str(scratch / "markers"), "PORT": str(listener.getsockname()[1]),
                    "SECRET_FILES": repr(secrets)}
            (scratch / "markers").mkdir(mode=0o700)
            (scratch / "sub").mkdir()
            student = scratch / "sub" / spec.filename
            student.write_text(_source(attack, fill))
            before = _fingerprint(guarded + [scratch / "sub"])
            time.sleep(0.5)  # let the previous run's killed processes leave /proc
            pids_before = _pids()
            started = time.monotonic()
            score, attacked, valid, hung, data = None, None, False, False, None
            if tool == "otter":
                try:
                    subprocess.run([str(OTTER), "run", "-a", str(zips[attack.assignment]), str(student), "-o",
                                    str(results.parent), "--no-logo"], cwd=scratch, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=HANG_LIMIT_S, start_new_session=True)
                except subprocess.TimeoutExpired:
                    hung = True
            else:
                report = grader.grade(scratch / "sub", [attack.assignment])
                report.write_json(results)
            elapsed = time.monotonic() - started
            written = results.read_text() if results.is_file() else ""
            time.sleep(1.5)
            try:
                data = json.loads(written)
                score = float(data["score"]) if "score" in data else sum(t.get("score", 0) for t in data["tests"])
                attacked = _attacked_score(attack, data)
                valid = True
            except (ValueError, KeyError, TypeError):
                pass
            replaced = results.is_file() and results.read_text() != written
            try:
                listener.accept()[0].close()
                connected = True
            except socket.timeout:
                connected = False
        leaked = any(Path(s).is_file() and Path(s).read_text().splitlines()[0] in written for s in secrets)
        changed = _fingerprint(guarded + [scratch / "sub"]) != before or any((scratch / "markers").iterdir())
        strays = _survivors(pids_before)
        # Ours: any process of a sandbox uid (exactly what student code runs as). Otter runs student
        # code as the grader itself, so there: any process started during the run and still alive.
        survivors = bool(_sandbox_processes(grader.pool.uids)) if tool == "autograder" else bool(strays)
        _kill_and_wait(strays)  # nothing left over may count against the next run
        if tool == "otter":
            shutil.rmtree(project)  # a fresh decoy for the next attack
        problems = _judge(attack, score if attacked is None else attacked, elapsed, hung, valid, replaced, changed,
                          leaked, survivors, connected, data)
        rows[tool] = f"{_verdict(problems)} ({elapsed:.1f} s, score {score if score is not None else '-'})"
    return rows["otter"], rows["autograder"]


def main(names: list[str]) -> int:
    attacks = [load_attack(p) for p in ATTACKS if not names or p.stem in names]
    with tempfile.TemporaryDirectory() as scratch, Grader(jobs=2) as grader:
        workdir = Path(scratch)
        zips = {a: _otter_zip(workdir, a) for a in sorted({x.assignment for x in attacks})}
        print("| attack | Otter-Grader 7 (`otter run`) | this grader (`autograder grade`) |")
        print("|---|---|---|")
        held = True
        for attack in attacks:
            otter, ours = run_one(attack, grader, zips, workdir)
            held &= ours.startswith("held")
            print(f"| {attack.name} | {otter} | {ours} |", flush=True)
            shutil.rmtree(workdir / f"{attack.name}-otter", ignore_errors=True)
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
