"""What students really hand in: notebooks, renamed and LMS-mangled files, symbolic links (issue 13.1)."""

from __future__ import annotations

import json
import math
import os

import pytest

from autograder.cli import main
from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, get_assignment
from autograder.discovery import SubmissionFileError, find, infer_assignments, locate, present, read_regular
from autograder.notebook import convert
from autograder.origin import Origin

A1 = get_assignment("a1_init")
REFERENCE = (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text()


def notebook(*cells: str) -> str:
    """An nbformat-4 notebook: a markdown cell, then one code cell per argument."""
    code = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": c.splitlines(keepends=True)} for c in cells]
    markdown = [{"cell_type": "markdown", "metadata": {}, "source": ["# Homework 1\n", "Initializers."]}]
    return json.dumps({"cells": markdown + code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


#: The reference split into cells the way a notebook is written: set-up, definitions, then top-level
#: work (a training loop that would never end, plotting, printing) and IPython syntax.
NOTEBOOK_CELLS = (
    "!pip install torchsummary\n%matplotlib inline\nimport math\nimport torch\nBATCH_SIZE = 64\n",
    REFERENCE,
    "%%time\nfor i in range(10**9):\n    pass\n",
    "w = torch.empty(300, 500)\nxavier_normal_(w)\nprint(w.std())\nwhile True:\n    pass\n",
    "import math as m; print(m.pi); m.sqrt(2)\n",
    'if __name__ == "__main__":\n    while True:\n        pass\n',
)


def test_notebook_keeps_definitions_and_skips_top_level_work():
    converted = convert(notebook(*NOTEBOOK_CELLS))
    namespace: dict = {}
    exec(compile(converted.source, "converted", "exec"), namespace)  # the test's own notebook, not a student's
    assert callable(namespace["xavier_normal_"]) and namespace["BATCH_SIZE"] == 64
    assert "while True" not in converted.source and "pip install" not in converted.source
    assert "import math as m" in converted.source and "print(m.pi)" not in converted.source
    skipped = "; ".join(converted.skipped)
    assert "cell 3 (a %%time cell magic)" in skipped and "cell 4 lines 1-1" not in skipped
    assert "cell 4 line 1 (`w = torch.empty(300, 500)`)" in skipped and "cell 4 lines 4-5" in skipped
    assert "cell 5" in skipped and "cell 6" not in skipped  # the __main__ block is dropped silently


def test_device_choice_is_kept_and_other_calls_are_not():
    converted = convert(notebook('import torch\ndevice = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n'
                                 "model = torch.nn.Linear(2, 2)\nSEED = -1 + 2 * 3\n"))
    assert "device = torch.device(" in converted.source and "SEED" in converted.source
    assert "model =" not in converted.source and len(converted.skipped) == 1


def test_constants_of_pure_functions_and_kept_names_are_kept():
    """Issue 24, point 3: ``RELU_GAIN = math.sqrt(2.0)`` was skipped, so checks failed with a NameError."""
    converted = convert(notebook("import math\nimport numpy as np\nfrom torch import nn\n",
                                 "RELU_GAIN = math.sqrt(2.0)\nTWO_PI = np.pi * 2\nX = np.random.rand(3)\n"
                                 "Y = X * 2\nZ = RELU_GAIN * TWO_PI\nlayer = nn.Linear(2, 2)\n"))
    namespace: dict = {}
    exec(compile(converted.source, "converted", "exec"), namespace)  # the test's own notebook
    assert namespace["Z"] == math.sqrt(2.0) * math.pi * 2
    assert "X =" not in converted.source and "Y =" not in converted.source and "layer =" not in converted.source
    assert converted.unset == {"X": "cell 2, line 3", "Y": "cell 2, line 4", "layer": "cell 2, line 6"}


def test_a_notebooks_lines_are_named_by_cell_and_a_skipped_name_by_its_line():
    converted = convert(notebook("import math\n", "scale = compute()\n\ndef f(x):\n    y = x\n    return y * scale\n"))
    origin = Origin("hw.ipynb", "initializers.py", converted)
    module_line = converted.source.split("\n").index("    return y * scale") + 1
    trace = f'  File "initializers.py", line {module_line}, in f\n    return y * scale\n'
    assert origin.rewrite(trace) == '  File "hw.ipynb", cell 2, line 5, in f\n    return y * scale\n'
    hint = origin.skipped_line_hint("NameError: name 'scale' is not defined")
    assert "cell 2, line 1 of hw.ipynb" in hint and origin.skipped_line_hint("NameError: name 'q' is not defined") is None
    script = Origin("hw1.py", "initializers.py")
    assert script.rewrite("invalid syntax (initializers.py, line 3)") == "invalid syntax (hw1.py, line 3)"


def test_magic_lines_inside_a_function_keep_it_parseable():
    converted = convert(notebook("def f():\n    %timeit 1 + 1\n    return 3\n"))
    namespace: dict = {}
    exec(converted.source, namespace)
    assert namespace["f"]() == 3 and not converted.skipped


def test_a_notebook_cell_that_does_not_parse_is_skipped_and_named():
    converted = convert(notebook("def ok():\n    return 1\n", "def broken(:\n"))
    assert "def ok" in converted.source and "does not parse" in converted.skipped[0]


def test_a_notebook_too_deep_or_too_big_costs_the_parent_nothing():
    """Issue 25, item 4: a cell nested beyond the parser's reach is skipped and named (a RecursionError in
    the parent before); a notebook with more code than the grader reads is refused in one sentence."""
    import resource

    from autograder.notebook import NotebookError

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    converted = convert(notebook("y = " + "+".join(["1"] * 120_000) + "\n", "def ok():\n    return 1\n"))
    assert "def ok" in converted.source and "nested too deeply" in converted.skipped[0]
    with pytest.raises(NotebookError, match="at most"):
        convert(notebook("x = 1\n" * 100_000))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: under 100 MB more


@pytest.mark.parametrize("name", [
    "initializers.py", "Initializers.py", "initializers.ipynb", "hw1_initializers.py", "initializers (1).py",
    "initializers-1.py", "doe_jane_12345_67890_initializers.py", "doe_jane_12345_67890_initializers-2.py",
    "initializers_final.py",
])
def test_near_miss_names_are_matched_when_they_are_the_only_candidate(tmp_path, name):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / name).write_text(notebook(REFERENCE) if name.endswith(".ipynb") else REFERENCE)
    found = find(tmp_path, A1)
    assert found.origin == tmp_path / name and found.problem is None
    assert infer_assignments(tmp_path / name, ASSIGNMENTS) == ["a1_init"]


def test_a_file_named_otherwise_is_recognised_by_what_it_defines(tmp_path):
    untitled = tmp_path / "Untitled.ipynb"
    untitled.write_text(notebook(REFERENCE))
    assert infer_assignments(untitled, ASSIGNMENTS) == ["a1_init"]
    (tmp_path / "notes.py").write_text("def helper():\n    return 1\n")
    assert infer_assignments(tmp_path / "notes.py", ASSIGNMENTS) is None


def test_macos_metadata_and_notebook_checkpoints_are_not_candidates(tmp_path):
    (tmp_path / "._initializers.py").write_bytes(b"\x00\x05\x16\x07")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "initializers-checkpoint.ipynb").write_text(notebook(REFERENCE))
    (tmp_path / "initializers.ipynb").write_text(notebook(REFERENCE))
    assert find(tmp_path, A1).origin == tmp_path / "initializers.ipynb"


def test_exact_name_beats_near_misses_and_of_two_near_misses_one_is_graded_and_both_named(tmp_path):
    (tmp_path / "initializers (1).py").write_text(REFERENCE)
    (tmp_path / "initializers.py").write_text(REFERENCE)
    assert find(tmp_path, A1).origin == tmp_path / "initializers.py"
    (tmp_path / "initializers.py").unlink()
    (tmp_path / "initializers (2).py").write_text("def xavier_normal_(t):\n    return t\n")
    found = find(tmp_path, A1)
    assert found.origin == tmp_path / "initializers (1).py"   # it defines more of the assignment
    assert len(found.notes) == 1 and "initializers (2).py" in found.notes[0] and "was graded" in found.notes[0]


def test_a_lone_file_is_graded_for_the_assignment_its_definitions_show(tmp_path):
    """Issue 24, point 1: hw1.py alone in a folder (or a Gradescope upload) scored 0."""
    (tmp_path / "hw1.py").write_text(REFERENCE)
    (tmp_path / "README.md").write_text("hi")
    assert find(tmp_path, A1).origin == tmp_path / "hw1.py"
    assert find(tmp_path, get_assignment("a2_split")).origin is None
    assert present(tmp_path, ASSIGNMENTS) == ["a1_init"]
    (tmp_path / "hw1.py").write_text("x = 1\n")   # defines nothing of any assignment
    assert find(tmp_path, A1).origin is None and find(tmp_path, A1, sole=True).origin == tmp_path / "hw1.py"


def test_nothing_matches_names_the_files_found_and_the_name_expected(tmp_path):
    (tmp_path / "homework.py").write_text("x = 1\n")
    (tmp_path / "notes.py").write_text("y = 2\n")
    (tmp_path / "README.md").write_text("hi")
    problem = find(tmp_path, A1, sole=True).problem
    assert "homework.py" in problem and "README.md" in problem and "Expected a file named initializers.py" in problem


def test_symbolic_links_are_never_followed(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text(REFERENCE)
    submission = tmp_path / "sub"
    submission.mkdir()
    os.symlink(secret, submission / "initializers.py")
    with pytest.raises(SubmissionFileError, match="symbolic link"):
        read_regular(submission / "initializers.py")
    located = locate(submission, A1)
    assert located.path is None and "symbolic links are not followed" in located.problem
    linked_dir = tmp_path / "linked"
    linked_dir.mkdir()
    os.symlink(tmp_path, linked_dir / "a1_init")
    assert "symbolic links" in locate(linked_dir, A1).problem


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "initializers.py")
    located = locate(tmp_path, A1)
    assert located.path is None and "not a regular file" in located.problem


def test_missing_file_is_one_note_and_one_short_line_per_check(grader, tmp_path):
    (tmp_path / "homework.py").write_text("x = 1\n")
    (tmp_path / "notes.py").write_text("y = 2\n")
    report = grader.grade(tmp_path, ["a1_init"])
    notes = [n for n in report.notes if "initializers.py was not found" in n]
    assert len(notes) == 1 and "homework.py" in notes[0] and "a1_init scores 0" in notes[0]
    assert {r.output for r in report.results} == {
        "Not graded: initializers.py was not found (see the note at the top of the report)."}
    assert report.status == "not found (a1_init)"


def test_notebook_that_trains_at_top_level_gets_full_marks_and_one_note(grader, tmp_path):
    (tmp_path / "initializers.ipynb").write_text(notebook(*NOTEBOOK_CELLS))
    report = grader.grade(tmp_path, ["a1_init"])
    assert report.score == report.max_score == 55, [r.output for r in report.results if r.status == "failed"]
    notes = [n for n in report.notes if "is a notebook" in n]
    assert len(notes) == 1 and "cell 4" in notes[0]
    assert not any("notebook" in r.output for r in report.results)


@pytest.mark.parametrize("name", ["hw1_initializers.py", "doe_jane_12345_67890_initializers.py", "initializers (1).py"])
def test_renamed_files_get_full_marks(grader, tmp_path, name):
    (tmp_path / name).write_text(REFERENCE)
    report = grader.grade(tmp_path, ["a1_init"], only={"1.1", "2.1", "6.1"})
    assert report.score == report.max_score and f"{name} was graded as initializers.py." in report.notes


def test_grade_file_with_assignment_grades_it_whatever_its_name(tmp_path, capsys):
    renamed = tmp_path / "my_homework.py"
    renamed.write_text(REFERENCE)
    out = tmp_path / "results.json"
    assert main(["grade", str(renamed), "--assignment", "a1_init", "--out", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["score"] == 55


def test_grade_file_infers_the_assignment_like_check(tmp_path, capsys):
    renamed = tmp_path / "hw1_initializers.py"
    renamed.write_text(REFERENCE)
    out = tmp_path / "results.json"
    assert main(["grade", str(renamed), "--out", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    assert data["score"] == 55 and {t["tags"][0] for t in data["tests"]} == {"a1_init"}
