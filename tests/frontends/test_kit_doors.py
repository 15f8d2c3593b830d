"""The student kit's other doors: it has no solutions/ folder, only the reference outcomes recorded for
its visible checks (autograder.packaging.RECORDED_REFERENCE); Otter's export and ``pytest --no-sandbox``
replay those, and say in one line when neither is there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder.course import SOLUTIONS_DIR
from autograder.kit import KIT_FOLDER, build_kit
from autograder.packaging import PACKAGE_DIR, RECORDED_REFERENCE

#: a5's visible check that compares with the reference (its network as built, before any step): cheap.
REFERENCE_CHECK = "3.2"


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The kit unpacked alone, with a student's (the reference's) a5 file beside it."""
    folder = tmp_path_factory.mktemp("kit")
    build_kit(folder / "kit.zip")
    with zipfile.ZipFile(folder / "kit.zip") as archive:
        archive.extractall(folder)
    kit_dir = folder / KIT_FOLDER
    (kit_dir / "approx.py").write_bytes((SOLUTIONS_DIR / "a5_approx" / "approx.py").read_bytes())
    return kit_dir


def _in_kit(kit_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """``python ARGS`` run in the kit, its own ``autograder`` package imported (this venv's packages)."""
    env = {"PYTHONPATH": str(kit_dir), "PATH": "/usr/bin:/bin", "HOME": str(kit_dir.parent),
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.update({k: os.environ[k] for k in ("FASHION_MNIST_DIR", "AUTOGRADER_CACHE") if k in os.environ})
    return subprocess.run([sys.executable, *args], cwd=kit_dir, env=env, capture_output=True, text=True, timeout=600)


def test_the_kit_is_what_these_tests_run(kit):
    done = _in_kit(kit, "-c", "import autograder, autograder.course as c; "
                              "print(autograder.__file__, c.SOLUTIONS_DIR.exists())")
    assert done.stdout.split() == [str(kit / "autograder" / "__init__.py"), "False"], done.stdout + done.stderr


def test_otter_export_in_the_kit_replays_the_recorded_reference(kit):
    done = _in_kit(kit, "-m", "autograder", "otter", "export", "--public", "--out", "otter")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "REFERENCE = None" in (kit / "otter" / "tests" / "a1_init.py").read_text()  # no check of a1 needs it
    run = textwrap.dedent(f"""
        import runpy
        from pathlib import Path
        from autograder.frontends.inprocess import import_file
        case = runpy.run_path("otter/tests/a5_approx.py")["check_{REFERENCE_CHECK.replace('.', '_')}"]
        case.call_func(vars(import_file(Path("approx.py"), "approx")))  # an AssertionError when it fails
        print("passed")
    """)
    done = _in_kit(kit, "-c", run)
    assert done.stdout.strip().endswith("passed"), done.stdout[-2000:] + done.stderr[-2000:]


def test_pytest_without_sandbox_in_the_kit_replays_the_recorded_reference(kit):
    done = _in_kit(kit, "-m", "pytest", "-p", "no:cacheprovider", "--submission", "approx.py", "--no-sandbox",
                   "--public-only", "-q", f"a5_approx::{REFERENCE_CHECK}")
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]


def test_otter_export_without_any_reference_says_so(kit, tmp_path):
    """Neither the solution nor recorded outcomes: the export stops, naming both."""
    bare = shutil.copytree(kit, tmp_path / "bare", ignore=shutil.ignore_patterns("otter"))
    (bare / RECORDED_REFERENCE.relative_to(PACKAGE_DIR.parent)).unlink()
    done = _in_kit(bare, "-m", "autograder", "otter", "export", "--public", "--out", "otter")
    assert done.returncode == 3 and len(done.stderr.strip().splitlines()) == 1, done.stderr[-2000:]
    assert ("the checks of a3_train, a5_approx compare with the reference solution, which is not installed"
            in done.stderr), done.stderr[-2000:]
