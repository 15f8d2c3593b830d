"""grade-all over a class folder and a Gradescope export: CSV gradebook, reports, summary."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile

import pytest

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.batch import discover, grade_all, safe_unzip
from autograder.cli import main
from autograder.course import SOLUTIONS_DIR, STUDENT_DIR

A1 = "initializers.py"


def _class_folder(root):
    """Eleven mixed submissions: reference, stub, mutants, a zip, broken and hostile files, an empty one,
    a corrupt zip."""
    root.mkdir()
    shutil.copytree(SOLUTIONS_DIR / "a1_init", root / "alice")
    shutil.copytree(STUDENT_DIR / "a1_init", root / "bob")
    for name, mutant in (("carol", "xavier_fan_in_only"), ("dave", "fans_accept_1d"), ("erin", "no_grad_missing")):
        write_submission(root / name, "a1_init", mutant_of("a1_init", mutant).source)
    with zipfile.ZipFile(root / "frank.zip", "w") as archive:
        archive.write(SOLUTIONS_DIR / "a1_init" / A1, f"nested/{A1}")
    write_submission(root / "grace", "a1_init", "def fan_in_and_fan_out(t:\n")
    write_submission(root / "heidi", "a1_init", "import os\nos._exit(3)\n")
    write_submission(root / "ivan", "a1_init", "while True:\n    pass\n")
    (root / "judy").mkdir()
    (root / "mallory.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = _class_folder(tmp_path_factory.mktemp("class") / "submissions")
    out_dir = tmp_path_factory.mktemp("reports")
    return grade_all(folder, jobs=2, out_dir=out_dir, assignments=["a1_init"], progress=False), out_dir


def test_every_submission_gets_the_right_total(graded):
    batch, _ = graded
    totals = {r.submission: r.score for r in batch.reports}
    assert totals["alice"] == totals["frank"] == 55
    assert totals["bob"] == totals["grace"] == totals["heidi"] == totals["ivan"] == totals["judy"] == 0
    assert totals["mallory"] == 0
    assert totals["dave"] == 54
    assert 0 < totals["carol"] < 55 and 0 < totals["erin"] < 55
    assert len(totals) == 11


def test_csv_gradebook_has_one_row_per_student_and_per_check_columns(graded):
    batch, _ = graded
    rows = list(csv.DictReader(io.StringIO(batch.csv())))
    assert [r["submission"] for r in rows] == sorted(r["submission"] for r in rows)
    alice = next(r for r in rows if r["submission"] == "alice")
    assert float(alice["total"]) == 55 and float(alice["a1_init 1.3"]) == 1
    dave = next(r for r in rows if r["submission"] == "dave")
    assert float(dave["a1_init 1.3"]) == 0 and float(dave["total"]) == 54


def test_reports_summary_and_plot_are_written(graded):
    batch, out_dir = graded
    for report in batch.reports:
        data = json.loads((out_dir / report.submission / "results.json").read_text())
        assert data["score"] == report.score
    summary = (out_dir / "summary.txt").read_text()
    assert "11 submissions" in summary and "checks failed most often" in summary
    assert (out_dir / "scores.png").read_bytes()[:4] == b"\x89PNG"


def test_staff_triage_status_column_and_needs_attention(graded):
    """Issue 14.5: not found, import error, timeout, bad zip apart from real zeros; bad zips keep the maximum."""
    batch, out_dir = graded
    rows = {r["submission"]: r for r in csv.DictReader(io.StringIO(batch.csv()))}
    assert rows["alice"]["status"] == rows["bob"]["status"] == rows["carol"]["status"] == "graded"
    assert rows["judy"]["status"] == "not found (a1_init)"
    assert rows["grace"]["status"] == rows["heidi"]["status"] == "import error (a1_init)"
    assert rows["ivan"]["status"] == "timeout (a1_init)"
    assert rows["mallory"]["status"] == "bad zip"
    assert float(rows["mallory"]["max"]) == float(rows["alice"]["max"]) == 55 and rows["mallory"]["a1_init 1.1"] == "0.0"
    summary = (out_dir / "summary.txt").read_text()
    attention = summary[summary.index("needs attention (5):"):]
    for name, status in (("judy", "not found"), ("grace", "import error"), ("ivan", "timeout"), ("mallory", "bad zip")):
        assert f"  {name}: {status}" in attention
    assert "alice:" not in attention and "graded 0 (found and imported, every check failed): bob" in attention
    mallory = json.loads((out_dir / "mallory" / "results.json").read_text())
    assert "could not be unpacked" in mallory["output"] and len(mallory["tests"]) == 25


def test_gradescope_export_metadata_names_the_students(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(SOLUTIONS_DIR / "a1_init", export / "submission_111")
    (export / "submission_metadata.yml").write_text(
        "submission_111:\n  :submitters:\n  - :name: Ada Lovelace\n    :sid: '42'\n    :email: ada@example.edu\n"
        "  :created_at: 2026-11-29 10:00:00\n")
    students = discover(export)
    assert [s.key for s in students] == ["submission_111"]
    assert students[0].info == {"name": "Ada Lovelace", "sid": "42", "email": "ada@example.edu"}
    csv_path = tmp_path / "grades.csv"
    assert main(["grade-all", str(export), "--assignment", "a1_init", "--csv", str(csv_path)]) == 0
    row = next(csv.DictReader(csv_path.open()))
    assert row["email"] == "ada@example.edu" and float(row["total"]) == 55


def test_canvas_flat_export_is_grouped_by_student(tmp_path):
    """Canvas's "Download Submissions": one flat folder, files named student_userid_fileid_filename."""
    export = tmp_path / "canvas"
    export.mkdir()
    reference = (SOLUTIONS_DIR / "a1_init" / A1).read_bytes()
    (export / "doejane_12345_67890_initializers.py").write_bytes(reference)
    (export / "doejane_12345_67891_notes.txt").write_text("not a submission file")
    (export / "smithbob_late_222_333_initializers-1.py").write_bytes(reference)
    (export / "leeann_444_555_hw1.py").write_text("x = 1\n")
    students = discover(export)
    assert [(s.key, [f.name for f in s.files]) for s in students] == [
        ("doejane", ["doejane_12345_67890_initializers.py"]), ("leeann", ["leeann_444_555_hw1.py"]),
        ("smithbob", ["smithbob_late_222_333_initializers-1.py"])]
    batch = grade_all(export, assignments=["a1_init"], progress=False)
    scores = {r.submission: (r.score, r.status) for r in batch.reports}
    assert scores == {"doejane": (55, "graded"), "smithbob": (55, "graded"), "leeann": (0, "not found (a1_init)")}


def test_zip_with_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../escaped.py", "x = 1")
    with pytest.raises(ValueError, match="outside the archive"):
        safe_unzip(archive, tmp_path / "out")
    assert not (tmp_path.parent / "escaped.py").exists()


def test_a_zip_of_many_entries_is_refused_before_anything_is_unpacked(tmp_path):
    """Issue 25, item 4: 100,000 empty files took 17 s to unpack; the count is checked first."""
    from autograder.batch import MAX_ZIP_ENTRIES

    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for i in range(MAX_ZIP_ENTRIES + 1):
            zipped.writestr(f"f{i}.py", "")
    with pytest.raises(ValueError, match="at most"):
        safe_unzip(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
