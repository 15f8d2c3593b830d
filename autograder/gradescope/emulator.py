"""A local Gradescope, behind ``autograder gradescope --try`` and the test suite: an /autograder-shaped
tree, the autograder zip unpacked in ``source/``, the upload copied into ``submission/`` as Gradescope
stores it, run_autograder run for real, results.json read back.

Only setup.sh is skipped (it builds a fresh image from the network): the tree reuses this environment's
Python, so what runs is the zip's grader on this machine's packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
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
#: Gradescope's default limit for one run of run_autograder (its autograder settings can raise it).
TIMEOUT_S = 600
#: How results.json's output opens when the grader, not the student, failed: run_autograder's own
#: fallback ("failed to start") and ``Report.grader_failure`` (a grader fault, a machine not ready).
_GRADER_FAILED = re.compile(r"^(<[^>]*>)*The autograder failed")


@dataclass
class EmulatedRun:
    results: dict | None   # None: run_autograder left no readable results.json
    seconds: float
    stdout: str            # run_autograder's stdout and stderr, interleaved
    root: Path             # the emulated /autograder

    @property
    def results_path(self) -> Path:
        return self.root / "results" / "results.json"

    @property
    def grader_failed(self) -> bool:
        """No results, or results that say the autograder failed: never a student's score."""
        return self.results is None or bool(_GRADER_FAILED.match(str(self.results.get("output", ""))))


def place_upload(upload: Path, submission: Path) -> None:
    """Store ``upload`` in ``submission/`` as Gradescope does: a zip unpacked (its folders kept), a
    folder's contents copied, a single file copied in as itself.

    Raises ``autograder.files.BadArchive`` (a ``ValueError``) for a zip that cannot be unpacked safely.
    """
    from autograder.files import unzip_submission

    if upload.is_dir():
        shutil.copytree(upload, submission, dirs_exist_ok=True)
    elif upload.suffix.lower() == ".zip":
        unzip_submission(upload, submission)
    else:
        shutil.copyfile(upload, submission / upload.name)


def run_gradescope(zip_path: Path, upload: Path, workdir: Path, timeout_s: float = TIMEOUT_S) -> EmulatedRun:
    """Lay out ``workdir/autograder``, store ``upload`` in it, run run_autograder, read results.json.

    Raises ``subprocess.TimeoutExpired`` past ``timeout_s`` (run_autograder and its process group killed,
    as Gradescope ends a run), ``ValueError`` for an upload that cannot be unpacked.
    """
    root = workdir / "autograder"
    for part in ("source", "submission", "results"):
        (root / part).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)   # extractall drops the modes; Gradescope keeps them
    place_upload(upload, root / "submission")
    (root / "submission_metadata.json").write_text(json.dumps(METADATA))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    started = time.monotonic()
    with subprocess.Popen([str(root / "source" / "run_autograder")], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, start_new_session=True) as process:
        try:
            output, _ = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    seconds = time.monotonic() - started
    try:
        results = json.loads((root / "results" / "results.json").read_text())
    except (OSError, ValueError):
        results = None
    return EmulatedRun(results, seconds, output, root)
