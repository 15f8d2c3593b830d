"""Start-up cost, data pipeline, Otter side by side, and memory (the per-submission overhead, before and
after one child per check, is speed.py's).

Prints markdown tables (medians of --runs rounds, interleaved). Usage: python benchmarks/perf.py
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, medians  # noqa: E402

from autograder import data  # noqa: E402
from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR  # noqa: E402
from autograder.discovery import find_student_file  # noqa: E402
from autograder.frontends.inprocess import InProcessSubmission  # noqa: E402
from autograder.grading import Grader, judge  # noqa: E402
from autograder.sandbox import probes as common  # noqa: E402
from autograder.registry import checks_for  # noqa: E402
from autograder.sandbox import ServerHandle  # noqa: E402
from autograder.submission import Submission  # noqa: E402

PY = sys.executable


def bare_compute() -> None:
    """Every check of every assignment on the reference, in this process: no fork, no isolation, no copies
    (the reference side of differential checks computed again for each check, as a child would)."""
    for assignment in ASSIGNMENTS.values():
        path = find_student_file(SOLUTIONS_DIR, assignment)
        spec = importlib.util.spec_from_file_location(assignment.module_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for check in checks_for(assignment.name):
            reference = InProcessSubmission(assignment, module, check.id)
            fraction, message = judge(check, InProcessSubmission(assignment, module, check.id, reference=reference),
                                      assignment.filename)
            assert fraction == 1.0, message


def startup(runs: int) -> list[str]:
    script = ("import time; t=time.perf_counter(); "
              "from autograder.sandbox import SandboxPool; pool=SandboxPool(1); "  # as the CLI does
              "from autograder.grading import Grader; from autograder.course import SOLUTIONS_DIR; "
              "g=Grader(pool=pool); r=g.grade(SOLUTIONS_DIR, ['a1_init'], only={'1.1'}); "
              "print(time.perf_counter()-t); g.close()")
    first_result = medians(runs, first=lambda: subprocess.run([PY, "-c", script], check=True, capture_output=True))
    imports = medians(runs,
                      torch=lambda: subprocess.run([PY, "-c", "import torch"], check=True),
                      torchvision=lambda: subprocess.run([PY, "-c", "import torchvision"], check=True),
                      python=lambda: subprocess.run([PY, "-c", "pass"], check=True))
    with Grader() as grader:
        assignment = ASSIGNMENTS["a1_init"]
        student = find_student_file(SOLUTIONS_DIR, assignment)
        with grader.pool.lease() as server:
            sub = Submission(assignment, student, server, "bench/call", 10.0)
            sub.run(common.nothing)
            per_call = medians(max(runs, 20), call=lambda: sub.run(common.nothing))["call"]
        alone = Submission(assignment, student, grader.pool, "bench/child", 10.0)
        per_child = medians(max(runs, 20), child=lambda: alone.run(common.nothing))["child"]
    return [
        "| what | median s |",
        "|---|---|",
        f"| `python -c pass` | {imports['python']:.2f} |",
        f"| `python -c 'import torch'` | {imports['torch']:.2f} |",
        f"| `python -c 'import torchvision'` (the grader never imports it) | {imports['torchvision']:.2f} |",
        f"| process start to first check result (`Grader()` + check a1 1.1) | {first_result['first']:.2f} |",
        f"| a fresh child in a warm pool (fork, isolate, import the student file, one call, report, exit) "
        f"| {per_child * 1000:.0f} ms |",
        f"| one more call in a check's child (what the calls of one check now share a child for) | {per_call * 1000:.1f} ms |",
    ]


def data_pipeline(runs: int) -> list[str]:
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    raw = Path(tempfile.mkdtemp()) / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for path in data.locate().values():  # torchvision wants the uncompressed IDX files
        (raw / path.name.removesuffix(".gz")).write_bytes(
            gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes())
    lecture = DataLoader(datasets.FashionMNIST(str(raw.parent.parent), train=True, transform=transforms.ToTensor()),
                         batch_size=100, shuffle=True)
    dataset = data.load()
    ours = data.fashion_loader(dataset.train_images, dataset.train_labels, 100, seed=0)

    def epoch(loader):
        for images, labels in loader:
            pass

    figures = medians(runs, lecture=lambda: epoch(lecture), ours=lambda: epoch(ours),
                      cold=lambda: data.verify_and_decode(data.locate()), cached=data.load)
    shutil.rmtree(raw.parent.parent)
    return [
        "| what | median s |",
        "|---|---|",
        f"| one epoch, the lecture's pipeline (`ToTensor` + `DataLoader`, batch 100) | {figures['lecture']:.2f} |",
        f"| one epoch, the grader's in-memory `DataLoader` (`fashion_loader`) | {figures['ours']:.2f} |",
        f"| **speed-up** | **{figures['lecture'] / figures['ours']:.1f}x** |",
        f"| load Fashion-MNIST before: decompress + MD5 + decode | {figures['cold']:.2f} |",
        f"| load Fashion-MNIST after: the verified tensor cache | {figures['cached']:.2f} |",
    ]


def otter_side_by_side(runs: int) -> list[str]:
    otter = Path(PY).parent / "otter"
    if not otter.exists():
        return ["(otter-grader is not installed: `pip install -e '.[otter]'`)"]
    from autograder.frontends.otter import export

    work = Path(tempfile.mkdtemp())
    export(work, ["a1_init"])
    subprocess.run([str(otter), "generate", "-t", "tests", "-o", "autograder.zip", "--no-requirements",
                    "--no-environment"], cwd=work, check=True, capture_output=True)
    student = work / "initializers.py"
    shutil.copy(SOLUTIONS_DIR / "a1_init" / "initializers.py", student)
    figures = medians(
        runs,
        otter=lambda: subprocess.run([str(otter), "run", "-a", "autograder.zip", str(student), "--no-logo"],
                                     cwd=work, check=True, capture_output=True),
        ours=lambda: subprocess.run([PY, "-m", "autograder", "grade", str(student.parent), "--assignment",
                                     "a1_init", "--quiet"], cwd=work, check=True, capture_output=True))
    shutil.rmtree(work)
    return [
        "| a1_init reference, 25 checks, whole command | median s |",
        "|---|---|",
        f"| `otter run` (Otter-Grader 7, checks in-process, no isolation) | {figures['otter']:.2f} |",
        f"| `autograder grade` (a sandboxed child per check) | {figures['ours']:.2f} |",
        f"| ratio ours / Otter | {figures['ours'] / figures['otter']:.2f} |",
    ]


def _tree_pss_kb(root: int) -> int:
    """Proportional set size of ``root`` and all its descendants (shared pages counted once)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError):
                continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def _peak_pss_mb(python: str, assignment: str = "all") -> float:
    """Peak PSS of a whole `autograder grade` of the reference (--jobs 1), sampled every 50 ms."""
    process = subprocess.Popen([python, "-m", "autograder", "grade", str(SOLUTIONS_DIR), "--assignment", assignment,
                                "--quiet", "--out", os.devnull], stdout=subprocess.DEVNULL, env=_with_torchvision(python))
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_pss_kb(process.pid))
        time.sleep(0.05)
    return peak / 1024


def _with_torchvision(python: str) -> dict[str, str]:
    """The environment for ``python``. The CPU-only venv of this offline machine has no torchvision built
    for its torch (2.13.0); the grader never imports torchvision, it only checks that students could, so
    an empty stand-in package on PYTHONPATH satisfies that check there."""
    env = dict(os.environ)
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torchvision') is None)"
    if subprocess.run([python, "-c", probe]).returncode != 0:
        stand_in = Path(tempfile.mkdtemp()) / "torchvision"
        stand_in.mkdir()
        (stand_in / "__init__.py").write_text("")
        env["PYTHONPATH"] = str(stand_in.parent)
    return env


def _torch_version(python: str) -> str:
    return subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                          text=True).stdout.strip()


def memory(cpu_python: str | None) -> list[str]:
    with Grader() as grader:
        child_peak = max(o.maxrss_kb for o in _all_outcomes(grader)) / 1024
    lines = ["| what | MB |", "|---|---|"]
    for python in filter(None, (PY, cpu_python)):
        lines.append(f"| whole `autograder grade` of a1-a5, torch {_torch_version(python)} (parent + fork server "
                     f"+ children, peak PSS, `--jobs 1`) | {_peak_pss_mb(python):.0f} |")
    if cpu_python:  # what one Gradescope zip per assignment needs
        for name in ASSIGNMENTS:
            lines.append(f"| `autograder grade --assignment {name}`, torch {_torch_version(cpu_python)} (peak PSS) "
                         f"| {_peak_pss_mb(cpu_python, name):.0f} |")
    lines.append(f"| largest child, torch {_torch_version(PY)} (peak RSS, counts pages shared with the fork server) "
                 f"| {child_peak:.0f} |")
    return lines


def _all_outcomes(grader: Grader) -> list:
    """Every sandboxed call's outcome while grading the reference once."""
    outcomes = []
    original = ServerHandle.call

    def recording(server, owner, request):
        outcomes.append(original(server, owner, request))
        return outcomes[-1]

    ServerHandle.call = recording
    try:
        grader.grade(SOLUTIONS_DIR)
    finally:
        ServerHandle.call = original
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu-python", help="a Python with a CPU-only torch (as on Gradescope), for the memory table")
    parser.add_argument("--sections", help="comma-separated subset: machine,startup,data,otter,memory")
    args = parser.parse_args()
    sections = {
        "machine": ("Machine", lambda: [machine()]),
        "startup": ("Start-up", lambda: startup(args.runs)),
        "data": ("Data pipeline for the accuracy check", lambda: data_pipeline(args.runs)),
        "otter": ("Otter-Grader side by side", lambda: otter_side_by_side(args.runs)),
        "memory": ("Memory", lambda: memory(args.cpu_python)),
    }
    chosen = args.sections.split(",") if args.sections else list(sections)
    for title, measure in (sections[name] for name in chosen):
        print(f"### {title}\n")
        print("\n".join(measure()) + "\n", flush=True)


if __name__ == "__main__":
    main()
