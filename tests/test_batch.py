"""grade-all over a class folder and a Gradescope export: CSV gradebook, reports, summary."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import zipfile

import pytest

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.batch import discover, grade_all, present_assignments
from autograder.files import unzip_submission
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
    assert "not a zip that can be unpacked" in mallory["output"] and len(mallory["tests"]) == 25


def _submitters(*people: tuple[str, str, str]) -> str:
    """A ``:submitters:`` list as Gradescope's submission_metadata.yml writes it (Ruby symbols)."""
    return "  :submitters:\n" + "".join(f"  - :name: '{name}'\n    :sid: '{sid}'\n    :email: {email}\n"
                                        for name, sid, email in people)


def test_gradescope_export_metadata_names_the_students(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(SOLUTIONS_DIR / "a1_init", export / "submission_111")
    (export / "submission_metadata.yml").write_text(
        "submission_111:\n" + _submitters(("Ada Lovelace", "42", "ada@example.edu")) + "  :created_at: 2026-11-29 10:00:00\n")
    students = discover(export)
    assert [s.key for s in students] == ["submission_111"]
    assert students[0].submitters == [{"name": "Ada Lovelace", "sid": "42", "email": "ada@example.edu"}]
    csv_path, out_dir = tmp_path / "grades.csv", tmp_path / "reports"
    assert main(["grade-all", str(export), "--assignment", "a1_init", "--csv", str(csv_path),
                 "--out-dir", str(out_dir)]) == 0
    row = next(csv.DictReader(csv_path.open()))
    assert row["email"] == "ada@example.edu" and float(row["total"]) == 55
    assert (out_dir / "submission_111" / "results.json").is_file() and (out_dir / "summary.txt").is_file()
    assert not (out_dir / "grades.csv").exists() and not (tmp_path / "export-graded").exists()


def _gradescope_export(root):
    """An export with every case of issue 24.6: a submitter whose name is a spreadsheet formula, a group
    of two, an entry whose folder the export lacks, and a folder the metadata does not list."""
    shutil.copytree(SOLUTIONS_DIR / "a1_init", root / "submission_111")
    write_submission(root / "submission_222", "a1_init", mutant_of("a1_init", "fans_accept_1d").source)
    shutil.copytree(STUDENT_DIR / "a1_init", root / "late_upload")
    (root / "submission_metadata.yml").write_text(
        "submission_111:\n" + _submitters(('=HYPERLINK("http://x","y")', "42", "ada@example.edu"))
        + "submission_222:\n" + _submitters(("Bob Smith", "7", "bob@example.edu"), ("Carol Jones", "8", "carol@example.edu"))
        + "submission_333:\n" + _submitters(("Dan Absent", "9", "dan@example.edu")))
    return root


@pytest.fixture(scope="module")
def defaults(tmp_path_factory):
    """``grade-all EXPORT`` and nothing else: the export's files before, the exit status, stdout."""
    export = _gradescope_export(tmp_path_factory.mktemp("gradescope") / "export")
    before = sorted(p.relative_to(export) for p in export.rglob("*"))
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(["grade-all", str(export), "--jobs", "2"])
    return export, before, status, stdout.getvalue()


def _rows(export) -> list[dict[str, str]]:
    return list(csv.DictReader((export.parent / "export-graded" / "grades.csv").open()))


def test_grade_all_writes_everything_next_to_the_class_folder_and_says_where(defaults):
    """Issue 24.6: one command gives the gradebook and the reports, and leaves the class folder as it was."""
    export, before, status, stdout = defaults
    out = export.parent / "export-graded"
    written = [out / "grades.csv", out / "summary.txt", out / "summary.json", out / "scores.png"]
    assert status == 0 and all(path.is_file() for path in written)
    for key in ("submission_111", "submission_222", "submission_333", "late_upload"):
        assert json.loads((out / key / "results.json").read_text())["tests"]
    assert all(f"  {path}\n" in stdout for path in written) and f"{out}/<submission>/results.json" in stdout
    assert sorted(p.relative_to(export) for p in export.rglob("*")) == before


def test_grade_all_grades_the_assignment_the_class_handed_in(defaults):
    """Not all five: "every student needs attention, out of 210" was the default before."""
    export, _, _, stdout = defaults
    assert "grading a1_init (in 3 of 4 submissions): inferred from the submissions" in stdout
    assert {float(row["max"]) for row in _rows(export)} == {55}


def test_assignments_are_inferred_from_folders_loose_files_and_zip_names(tmp_path):
    root = tmp_path / "class"
    shutil.copytree(SOLUTIONS_DIR / "a1_init", root / "ann")
    with zipfile.ZipFile(root / "ben.zip", "w") as zipped:
        zipped.writestr("hw2/split.py", "")
    (root / "cat.zip").write_bytes(b"PK\x03\x04 not a zip")
    (root / "doejane_12345_67890_approx.py").write_text("")
    (root / "smithbob_222_333_initializers.py").write_text("")
    found = present_assignments(discover(root))
    assert list(found.items()) == [("a1_init", 2), ("a2_split", 1), ("a5_approx", 1)]


def test_summary_shows_every_submissions_total(defaults):
    export, _, _, stdout = defaults
    summary = (export.parent / "export-graded" / "summary.txt").read_text()
    for line in (r"submission_111 \(=HYPERLINK\(.*\)\) +55 / 55  graded",
                 r"submission_222 \(Bob Smith, Carol Jones\) +54 / 55  graded",
                 r"submission_333 \(Dan Absent\) +0 / 55  missing from export",
                 r"late_upload +0 / 55  graded"):
        assert re.search(line, summary) and re.search(line, stdout), line


def test_gradebook_has_a_row_per_group_member_and_per_metadata_entry(defaults):
    """A group's members each get the group's scores; an entry the export lacks still gets its row."""
    export, _, _, _ = defaults
    assert list(_rows(export)[0])[:4] == ["name", "sid", "email", "submission"]  # who first, even before late_upload
    rows = {(row["submission"], row["name"]): row for row in _rows(export)}
    assert sorted(rows) == [("late_upload", ""), ("submission_111", "'=HYPERLINK(\"http://x\",\"y\")"),
                            ("submission_222", "Bob Smith"), ("submission_222", "Carol Jones"),
                            ("submission_333", "Dan Absent")]
    bob, carol = rows["submission_222", "Bob Smith"], rows["submission_222", "Carol Jones"]
    assert (bob["sid"], bob["email"], carol["sid"], carol["email"]) == ("7", "bob@example.edu", "8", "carol@example.edu")
    assert {k: v for k, v in bob.items() if k not in ("name", "sid", "email")} == \
           {k: v for k, v in carol.items() if k not in ("name", "sid", "email")}
    assert float(bob["total"]) == 54
    dan = rows["submission_333", "Dan Absent"]
    assert dan["status"] == "missing from export" and float(dan["max"]) == 55 and dan["email"] == "dan@example.edu"


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
    # leeann's only file is graded as the assignment (issue 24, point 1): it defines none of its functions
    assert scores == {"doejane": (55, "graded"), "smithbob": (55, "graded"), "leeann": (0, "graded")}
    [leeann] = [r for r in batch.reports if r.submission == "leeann"]
    assert "leeann_444_555_hw1.py was graded as initializers.py." in leeann.notes


def test_zip_with_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../escaped.py", "x = 1")
    with pytest.raises(ValueError, match="outside the archive"):
        unzip_submission(archive, tmp_path / "out")
    assert not (tmp_path.parent / "escaped.py").exists()


def test_a_zip_of_many_entries_is_refused_before_anything_is_unpacked(tmp_path):
    """Issue 25, item 4: 100,000 empty files took 17 s to unpack; the count is checked first."""
    from autograder.files import MAX_ZIP_ENTRIES

    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for i in range(MAX_ZIP_ENTRIES + 1):
            zipped.writestr(f"f{i}.py", "")
    with pytest.raises(ValueError, match="at most"):
        unzip_submission(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
