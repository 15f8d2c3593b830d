"""Issue 24, points 1, 3, 4 and 5: which file is graded, file-level failures said once and said right,
a bad zip is the submission's, and a function that loops costs only its own checks."""

from __future__ import annotations

import json
import zipfile

import pytest

from autograder.cli import main
from autograder.course import SOLUTIONS_DIR
from tests.test_submission_shapes import notebook

REFERENCE = (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text()
NOT_IMPORTED = "Not run: hw1.py could not be imported (see the note at the top of the report)."


def test_a_syntax_error_is_said_once_naming_the_students_file_and_line(grader, tmp_path):
    (tmp_path / "hw1.py").write_text(REFERENCE.replace("def xavier_normal_(tensor, gain=1.0):",
                                                       "def xavier_normal_(tensor, gain=1.0)", 1))
    report = grader.grade(tmp_path, ["a1_init"])
    assert report.score == 0 and {r.output for r in report.results} == {NOT_IMPORTED}
    [note] = [n for n in report.notes if "could not be imported" in n]
    line = REFERENCE.splitlines().index("def xavier_normal_(tensor, gain=1.0):") + 1
    assert f"hw1.py, line {line}" in note and "initializers.py" not in note
    assert "py_compile" in note and "fan_in" not in note   # the file's hint, not the first check's
    assert report.status == "import error (a1_init)"


def test_a_notebook_keeps_pure_constants_and_names_the_cell_of_a_skipped_one(grader, tmp_path):
    uses = ("import math\nGAIN = math.sqrt(2.0)\n",
            "def kaiming_normal_(tensor, mode='fan_in'):\n    std = GAIN / math.sqrt(_fan(tensor, mode))\n"
            "    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n")
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "hw1.ipynb").write_text(notebook(REFERENCE, *uses))
    assert grader.grade(tmp_path / "kept", ["a1_init"], only={"4.1"}).score == 3
    (tmp_path / "skipped").mkdir()
    skipped = ("import math\nGAIN = compute_gain()\n", uses[1])
    (tmp_path / "skipped" / "hw1.ipynb").write_text(notebook(REFERENCE, *skipped))
    [result] = grader.grade(tmp_path / "skipped", ["a1_init"], only={"4.1"}).results
    assert result.score == 0 and "GAIN is set in cell 2, line 2 of hw1.ipynb" in result.output
    assert 'File "hw1.ipynb", cell 3, line 2, in kaiming_normal_' in result.output
    (tmp_path / "at_import").mkdir()   # the skipped name used at import time (a default argument)
    at_import = ("import math\nGAIN = compute_gain()\n", "def scaled(x, gain=GAIN):\n    return x * gain\n")
    (tmp_path / "at_import" / "hw1.ipynb").write_text(notebook(REFERENCE, *at_import))
    report = grader.grade(tmp_path / "at_import", ["a1_init"], only={"4.1"})
    [note] = [n for n in report.notes if "could not be imported" in n]
    assert report.score == 0 and "GAIN is set in cell 2, line 2 of hw1.ipynb" in note
    assert 'File "hw1.ipynb", cell 3, line 1' in note and "__main__" not in note   # that line is the hint


def test_a_function_that_loops_costs_its_own_checks_only(grader, tmp_path):
    (tmp_path / "initializers.py").write_text(
        REFERENCE + "\n\ndef xavier_normal_(tensor, gain=1.0):\n    while True:\n        pass\n")
    report = grader.grade(tmp_path, ["a1_init"], only={"2.1", "2.2", "2.3", "4.1", "7.1"})
    by_number = {r.number: r for r in report.results}
    assert by_number["2.1"].timed_out and by_number["2.2"].timed_out
    assert "2 earlier checks of xavier_normal_ timed out" in by_number["2.3"].output
    assert by_number["4.1"].score == 3 and by_number["7.1"].score == 3


def test_check_grades_only_the_assignments_present(tmp_path, capsys):
    (tmp_path / "initializers.py").write_text(REFERENCE)
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "TOTAL     45 / 45" in out and "a2_split" not in out and "Not graded" not in out


def test_check_of_a_folder_without_any_assignment_says_so_in_one_line(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no assignment's file was found" in err and "initializers.py" in err


def _encrypted(path) -> None:
    """A zip whose entry says it is encrypted (the flag bit zipfile checks; it cannot write one)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("initializers.py", REFERENCE)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + offset] |= 1
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind, said", [
    ("corrupt", "is not a zip that can be unpacked"), ("empty", "is empty"),
    ("encrypted", "is encrypted"), ("traversal", "outside the archive"),
])
def test_a_bad_zip_is_one_line_exit_2_and_a_report_saying_why(tmp_path, capsys, kind, said):
    bad = tmp_path / "submission.zip"
    if kind == "corrupt":
        bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif kind == "encrypted":
        _encrypted(bad)
    else:
        with zipfile.ZipFile(bad, "w") as archive:
            if kind == "traversal":
                archive.writestr("../../escaped.py", REFERENCE)
    out = tmp_path / "results.json"
    assert main(["grade", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and said in err and "Traceback" not in err
    data = json.loads(out.read_text())
    assert data["score"] == 0 and said in data["output"] and "autograder failed" not in data["output"]
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and said in err
