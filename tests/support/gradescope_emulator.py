"""A local Gradescope: an /autograder-shaped tree, the zip unpacked in it, run_autograder run for real.

Only setup.sh's network installs are skipped: the tree reuses this environment's Python.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

METADATA = {
    "id": 123456, "created_at": "2026-11-29T10:00:00.000000-08:00", "assignment": {"id": 42, "title": "a1"},
    "users": [{"email": "student@example.edu", "id": 7, "name": "A. Student"}], "previous_submissions": [],
}


@dataclass
class EmulatedRun:
    results: dict
    seconds: float
    stdout: str
    root: Path


def run_gradescope(zip_path: Path, submission: Path, workdir: Path, timeout_s: float = 600) -> EmulatedRun:
    """Lay out ``workdir/autograder``, copy ``submission`` in, run run_autograder, read results.json."""
    root = workdir / "autograder"
    for part in ("source", "submission", "results"):
        (root / part).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    for path in submission.iterdir():
        (root / "submission" / path.name).write_bytes(path.read_bytes())
    (root / "submission_metadata.json").write_text(json.dumps(METADATA))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    started = time.monotonic()
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=timeout_s)
    seconds = time.monotonic() - started
    results = json.loads((root / "results" / "results.json").read_text())
    return EmulatedRun(results, seconds, done.stdout + done.stderr, root)
