"""The student kit: handouts and public checks, no solution code, no hidden check; it works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch

from autograder.authoring.corpus import tomllib
from autograder.course import ASSIGNMENTS, PROJECT_ROOT, SOLUTIONS_DIR
from autograder.frontends.inprocess import InProcessSubmission, import_file
from autograder.grading import judge
from autograder.kit import HOW_TO_CHECK, KIT_FOLDER, build_kit
from autograder.registry import checks_for

#: The commands the kit's README runs that an extra of pyproject.toml installs: the extra of each.
EXTRA_COMMANDS = {"pytest": "dev", "otter": "otter"}


def _solution_windows(size: int = 3) -> set[str]:
    """Every run of ``size`` consecutive lines inside the solutions' BEGIN/END SOLUTION blocks.

    Single lines can be public (a hint quotes `images.to(device)`); three lines in a row are code.
    """
    windows = set()
    for assignment in ASSIGNMENTS.values():
        block: list[str] = []
        inside = False
        for line in (SOLUTIONS_DIR / assignment.name / assignment.filename).read_text().splitlines():
            if "# BEGIN SOLUTION" in line:
                inside, block = True, []
            elif "# END SOLUTION" in line:
                inside = False
                windows |= {"\n".join(block[i:i + size]) for i in range(len(block) - size + 1)}
            elif inside and line.strip():
                block.append(line.strip())
    return windows


def _normalized(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("kit") / "student-kit.zip"
    names = build_kit(out)
    assert all(n.startswith(f"{KIT_FOLDER}/") for n in names), "the kit must unpack into one folder"
    return out, names


def test_kit_has_no_solution_and_no_hidden_check(kit):
    out, names = kit
    assert not [n for n in names if "hidden" in n or n.startswith(f"{KIT_FOLDER}/solutions/") or "gradescope" in n]
    secret = _solution_windows()
    hidden_names = [c.name for a in ASSIGNMENTS for c in checks_for(a) if c.visibility != "visible"]
    assert secret and hidden_names
    with zipfile.ZipFile(out) as archive:
        for name in names:
            text = archive.read(name).decode("utf-8", errors="replace")
            assert not (name.startswith(f"{KIT_FOLDER}/assignments/") and "BEGIN SOLUTION" in text), name
            flat = _normalized(text)
            leaked = [window for window in secret if window in flat]
            assert not leaked, f"{name} contains solution code: {leaked[:2]}"
            assert not [n for n in hidden_names if n in text], f"{name} names a hidden check"


def test_kit_has_handouts_stubs_and_how_to(kit):
    _, names = kit
    names = [n.removeprefix(f"{KIT_FOLDER}/") for n in names]
    for assignment in ASSIGNMENTS.values():
        assert f"assignments/{assignment.name}/README.md" in names
        assert f"assignments/{assignment.name}/{assignment.filename}" in names
    assert {"README.md", "pyproject.toml", "autograder/reference_outcomes.bin"} <= set(names)


def test_kit_checks_the_reference_fully_without_the_solutions(kit, tmp_path):
    """Unpacked alone, the kit's `autograder check` passes the reference a3 file, differential checks included."""
    out, _ = kit
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "kit")
    student = tmp_path / "work"
    student.mkdir()
    (student / "fashion.py").write_bytes((SOLUTIONS_DIR / "a3_train" / "fashion.py").read_bytes())
    kit_dir = tmp_path / "kit" / KIT_FOLDER
    # -S: no site processing, so the project's editable install cannot lend the kit a module it lacks
    site_packages = Path(torch.__file__).parent.parent
    env = {"PYTHONPATH": f"{kit_dir}{os.pathsep}{site_packages}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env.update({k: os.environ[k] for k in ("FASHION_MNIST_DIR", "AUTOGRADER_CACHE") if k in os.environ})
    kit_python = [sys.executable, "-S", "-m", "autograder"]
    done = subprocess.run([*kit_python, "check", str(student / "fashion.py")],
                          cwd=kit_dir, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "6.1" not in done.stdout  # hidden checks are not there
    for step in (["data"], ["otter", "export", "--public", "--out", str(tmp_path / "otter")], ["--help"]):
        done = subprocess.run([*kit_python, *step], cwd=kit_dir, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (step, done.stderr[-3000:])
    commands = set(re.search(r"\{([\w,-]+)\}", done.stdout)[1].split(","))
    assert {"check", "data", "otter"} <= commands and not {"gradescope", "new", "validate"} & commands


def test_kit_install_line_installs_every_command_its_steps_run():
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    installed = set(re.search(r"pip install -c constraints.txt -e '\.\[([\w,]+)\]'", HOW_TO_CHECK)[1].split(","))
    assert installed <= set(extras)
    used = set(re.findall(r"(?:\.venv/bin/|`)(pytest|otter) ", HOW_TO_CHECK))
    assert used == set(EXTRA_COMMANDS)
    for command in used:
        extra = EXTRA_COMMANDS[command]
        assert extra in installed, f"the kit's README runs {command} but its install line leaves out [{extra}]"
        assert any(requirement.startswith(command) for requirement in extras[extra])


def test_kit_readme_says_the_sandbox_needs_linux_and_what_runs_elsewhere(pytestconfig):
    flat = " ".join(HOW_TO_CHECK.split())
    assert "sandbox (separate processes with time and memory limits) that needs Linux" in flat
    assert "add `--no-sandbox` to the pytest line" in flat
    for option in ("--submission", "--public-only", "--no-sandbox"):   # the plugin's options, as the README names them
        assert option in HOW_TO_CHECK
        pytestconfig.getoption(option.lstrip("-").replace("-", "_"))  # ValueError if the plugin has no such option


class _Watched(InProcessSubmission):
    """A reference that notes when a check reaches it."""

    reached = False

    def run(self, *args, **kwargs):
        _Watched.reached = True
        return super().run(*args, **kwargs)


@pytest.mark.parametrize("name", list(ASSIGNMENTS))
def test_exactly_the_checks_that_declare_uses_reference_reach_the_reference(name):
    """The kit and Otter record the reference's outcomes only for checks declaring ``uses_reference``: a
    check that reached the reference without declaring it would fail in the kit for every student."""
    assignment = ASSIGNMENTS[name]
    module = import_file(SOLUTIONS_DIR / name / assignment.filename, assignment.module_name)
    for check in checks_for(name):
        _Watched.reached = False
        reference = _Watched(assignment, module, check.id)
        fraction, message = judge(check, InProcessSubmission(assignment, module, check.id, reference=reference),
                                  assignment.filename)
        assert fraction == 1.0, message
        assert _Watched.reached == check.uses_reference, f"{name} {check.number}: uses_reference is wrong"
