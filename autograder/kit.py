"""The student kit: the assignments, their handouts, and the grader with its visible checks only.

It holds no solution and no hidden check. Visible checks that compare with the reference solution
replay the reference's recorded outcomes on the grader's own inputs (plain numbers and tensors,
never solution code).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograder.sandbox import wire
from autograder.course import ASSIGNMENTS, PROJECT_ROOT, STUDENT_DIR, hidden_paths
from autograder.frontends.inprocess import record_reference
from autograder.packaging import PACKAGE_DIR, RECORDED_REFERENCE, package_files, relative_entries, write_zip

#: Everything in the zip sits in this one folder, so unpacking it never litters the current one.
KIT_FOLDER = "student-kit"

HOW_TO_CHECK = """# Checking your work

1. Install the grader once (Python 3.10 or newer), in this folder. The second line installs the
   CPU-only PyTorch (about 1 GB instead of 5 GB with the CUDA libraries; every assignment runs on a CPU),
   the third the grader with pytest (`dev`) and Otter-Grader 7.0.0 (`otter`), which step 3 uses:

       python3 -m venv .venv
       .venv/bin/pip install -c constraints.txt --index-url https://download.pytorch.org/whl/cpu torch torchvision
       .venv/bin/pip install -c constraints.txt -e '.[dev,otter]'

   If your course does not use Otter-Grader, `-e '.[dev]'` is enough.

   With an NVIDIA GPU you may install the default build instead (`.venv/bin/pip install -c
   constraints.txt torch torchvision`); a3's training then runs on the GPU. Then get Fashion-MNIST
   (needed by a3_train and a4_vanishing): `.venv/bin/autograder data --install`.

2. Fill in the stub of an assignment (`assignments/a1_init/initializers.py`, ...). Each folder's
   README.md is the handout: the lecture's formulas and exactly what each function must do.

3. Run the public checks on your file:

       .venv/bin/autograder check assignments/a1_init/initializers.py

   Each failed check says what was expected, what your code produced, and a hint. The command exits
   with status 0 only when every public check passes.

   The same checks run under pytest (`-k`, `-x`, `--lf` work):

       .venv/bin/pytest --submission assignments/a1_init/initializers.py --public-only -q

   or, if your course uses Otter-Grader, with `otter check` on the exported tests
   (`.venv/bin/autograder otter export --public --out otter/`, then
   `.venv/bin/otter check assignments/a1_init/initializers.py -t otter/tests -q a1_init`).

   `autograder check` and pytest run your code in a sandbox (separate processes with time and memory
   limits) that needs Linux; on Windows, use WSL. Elsewhere, add `--no-sandbox` to the pytest line, or
   use Otter: the same checks then run inside pytest's or Otter's own process, without time limits (a
   loop that never ends hangs it).

4. Upload the one file of the assignment to Gradescope. There, hidden checks (other shapes, seeds
   and settings) run as well, so a solution that only fits the public checks can still lose points.
"""


def record_reference_outcomes(path: Path) -> int:
    """Run the visible checks on the reference and save what the reference produced for them."""
    recorded = record_reference(list(ASSIGNMENTS), include_hidden=False)
    values = {key: value for outcomes in recorded.values() for key, value in outcomes.items()}
    path.write_bytes(wire.encode(values))
    return len(values)


def _kit_pyproject(text: str) -> str:
    """The project's pyproject.toml without its pytest settings: they name the project's own tests,
    which the kit does not hold (pytest would warn that testpaths matches nothing)."""
    start = text.index("[tool.pytest.ini_options]")
    end = text.find("\n[", start + 1)
    return text[:start] + (text[end + 1:] if end != -1 else "")


def build_kit(out: Path) -> list[str]:
    """Write the student kit zip; returns its entry names."""
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / RECORDED_REFERENCE.name
        record_reference_outcomes(recorded)
        entries: dict[str, Path | str] = relative_entries(
            package_files(exclude=[*hidden_paths(), PACKAGE_DIR / "gradescope", PACKAGE_DIR / "authoring",
                                   RECORDED_REFERENCE]))
        entries[RECORDED_REFERENCE.relative_to(PROJECT_ROOT).as_posix()] = recorded
        entries.update(relative_entries(p for p in STUDENT_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
        entries["pyproject.toml"] = _kit_pyproject((PROJECT_ROOT / "pyproject.toml").read_text())
        entries["constraints.txt"] = PROJECT_ROOT / "constraints.txt"
        entries["README.md"] = HOW_TO_CHECK
        return write_zip(out, {f"{KIT_FOLDER}/{name}": content for name, content in entries.items()})
