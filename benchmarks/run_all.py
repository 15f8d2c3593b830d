"""`make bench`: run the benchmarks and rebuild benchmarks/README.md from their latest results.

speed.py, perf.py, scale.py and determinism.py run here; hostile.py and
accuracy_sweep.py are longer and run on their own (`make bench-hostile`, `make bench-sweep`);
their latest saved output in benchmarks/results/ goes into the README too.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CPU_PYTHON = HERE.parent / ".venv-cpu" / "bin" / "python"   # made by `make bench`: a CPU-only torch, as on Gradescope
RUNS = {
    "speed.md": [sys.executable, str(HERE / "speed.py"), "--runs", "3"],
    "perf.md": [sys.executable, str(HERE / "perf.py"), "--runs", "3"]
               + (["--cpu-python", str(CPU_PYTHON)] if CPU_PYTHON.exists() else []),
    "scale.md": [sys.executable, str(HERE / "scale.py")],
    "determinism.txt": [sys.executable, str(HERE / "determinism.py"), "--runs", "6"],
}
SECTIONS = [
    ("speed.md", "Where students and staff wait, before and after one child per check (`benchmarks/speed.py`)"),
    ("perf.md", "Start-up, data pipeline, Otter side by side, memory (`benchmarks/perf.py`)"),
    ("scale.md", "Class scale (`benchmarks/scale.py`)"),
    ("determinism.txt", "Determinism (`benchmarks/determinism.py`)"),
    ("hostile.md", "Hostile submissions: Otter-Grader vs this grader (`benchmarks/hostile.py`, as root)"),
    ("sweep.txt", "Calibration of the minimum-accuracy check (`benchmarks/accuracy_sweep.py`)"),
    ("accuracy_2000.md", "The minimum-accuracy check over 2,000 runs: rounding and seeds (`benchmarks/accuracy_sweep.py`)"),
    ("calibration.md", "Calibration of the statistical checks of a1 and a2 (`benchmarks/calibration.py`)"),
    ("a4_calibration.md", "Calibration of a4_vanishing (`benchmarks/a4_sweep.py`)"),
    ("a5_calibration.md", "a5_approx: calibration of the final-error check and the whole assignment's cost "
                          "(`benchmarks/a5_sweep.py`)"),
]
INTRO = """# Benchmarks

Figures from the scripts in this folder, measured side by side in one run on the machine named
below (a shared, noisy 2-core machine: compare ratios within a table, not absolute seconds across
tables). Timings are medians of 3 interleaved rounds unless a table says otherwise. Regenerate
with `make bench` (about 10 minutes, see NOTES below), `make bench-hostile` (about 8 minutes) and
`make bench-sweep`.
"""


def run(name: str, command: list[str]) -> None:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    (RESULTS / name).write_text(done.stdout)
    print(f"{name}: {time.monotonic() - started:.0f} s", flush=True)


def write_readme(notes: str) -> None:
    parts = [INTRO]
    for name, title in SECTIONS:
        path = RESULTS / name
        body = path.read_text().strip() if path.is_file() else "(not run yet)"
        if name.endswith(".txt"):
            body = f"```\n{body}\n```"
        parts.append(f"## {title}\n\n{body}\n")
    parts.append(notes)
    (HERE / "README.md").write_text("\n".join(parts))


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")] or list(RUNS)  # e.g. `run_all.py scale.md`
    if "--readme-only" not in sys.argv:
        for name in chosen:
            run(name, RUNS[name])
    write_readme((HERE / "NOTES.md").read_text() if (HERE / "NOTES.md").is_file() else "")


if __name__ == "__main__":
    main()
