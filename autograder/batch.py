"""Grade a whole class: a folder of submissions or a Gradescope "Export Submissions" folder."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import tempfile
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from autograder.course import ASSIGNMENTS, get_assignment
from autograder.discovery import present, tier
from autograder.feedback import clean
from autograder.files import BadArchive, read_regular, unzip_submission
from autograder.grading import Grader
from autograder.preflight import InfrastructureError
from autograder.results import Report, to_csv

ACCEPTED_LAYOUTS = ("one folder or .zip per student (named after the student), a Gradescope 'Export "
                    "Submissions' folder (submission_metadata.yml and one submission_NNN folder each), or a "
                    "Canvas-style flat folder of files named student_userid_fileid_filename (.py, .ipynb, .zip)")
#: Canvas's "Download Submissions": ``doe_jane_12345_67890_initializers.py`` (``_late_`` after the name
#: when late). The student is everything before the two numbers.
LMS_NAME = re.compile(r"^(?P<student>.+?)_(?:late_)?\d+_\d+_(?P<original>.+)$", re.IGNORECASE)
#: The status of a submission that submission_metadata.yml lists but the export holds no folder for.
MISSING = "missing from export"


def default_out_dir(folder: Path) -> Path:
    """Where grade-all writes by default: ``FOLDER-graded`` next to the class folder, never inside it
    (a second run would take it for a submission, and the class folder stays as it was downloaded)."""
    folder = folder.resolve()
    return folder.with_name(folder.name + "-graded")


@dataclass
class Student:
    """One submission of the batch and who made it (when the export says: one entry per member of a
    Gradescope group). ``path`` None: the metadata lists it, but the export holds no folder for it."""

    key: str
    path: Path | None
    submitters: list[dict[str, str]] = field(default_factory=list)
    files: tuple[Path, ...] = ()   # a flat LMS export: this student's loose files (``path`` is the folder)

    @property
    def label(self) -> str:
        """The key and, when the export names them, who submitted it (for the terminal: cleaned)."""
        names = ", ".join(s["name"] for s in self.submitters if s["name"])
        return clean(f"{self.key} ({names})" if names else self.key)


def _symbol(mapping: dict, name: str):
    """Gradescope's YAML writes Ruby symbols: ':submitters' as well as 'submitters'."""
    return mapping.get(f":{name}", mapping.get(name))


def discover(folder: Path) -> list[Student]:
    """The submissions in ``folder``: one sub-folder or .zip each; names from submission_metadata.yml.

    Every entry of the metadata is a submission, also one whose folder the export lacks (graded as
    empty and flagged, so that the gradebook has a row for each student Gradescope knows of).
    """
    metadata: dict = {}
    meta_file = folder / "submission_metadata.yml"
    if meta_file.is_file():
        metadata = yaml.safe_load(meta_file.read_text()) or {}
    entries = {str(key): value for key, value in metadata.items() if isinstance(value, dict)}
    students = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path == meta_file or not (path.is_dir() or path.suffix == ".zip"):
            continue
        key = path.stem if path.suffix == ".zip" else path.name
        students.append(Student(key, path, _submitters(entries.pop(key, {}))))
    students += [Student(key, None, _submitters(entry)) for key, entry in entries.items()]
    return sorted(students + _lms_students(folder, {s.key for s in students}), key=lambda s: s.key)


def _submitters(entry: dict) -> list[dict[str, str]]:
    """Name, SID and email of each member of a submission's group (one entry when submitted alone)."""
    return [{column: str(_symbol(s, column) or "") for column in ("name", "sid", "email")}
            for s in _symbol(entry, "submitters") or [] if isinstance(s, dict)]


def _lms_students(folder: Path, taken: set[str]) -> list[Student]:
    """Loose files of a flat LMS export, grouped by the student their name starts with."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        match = LMS_NAME.match(path.name)
        if match and path.suffix.lower() in (".py", ".ipynb", ".zip") and not path.is_symlink() and path.is_file():
            groups.setdefault(match["student"], []).append(path)
    return [Student(key, folder, files=tuple(files)) for key, files in groups.items() if key not in taken]


def present_assignments(students: list[Student]) -> Counter[str]:
    """How many submissions hold each assignment's file, in course order: what grade-all grades when
    not told. Folders and loose files are asked of :func:`present`; a zip only by its members' names
    (never unpacked for this)."""
    found: Counter[str] = Counter()
    for student in students:
        paths = student.files or ((student.path,) if student.path is not None else ())
        held: set[str] = set()
        for path in paths:
            held.update(_zipped(path) if path.suffix.lower() == ".zip" else present(path, ASSIGNMENTS))
        found.update(held)
    return Counter({name: found[name] for name in ASSIGNMENTS if found[name]})


def _zipped(archive: Path) -> list[str]:
    """The assignments whose file a zip's member names show (none for a zip that cannot be read)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = [Path(name) for name in zipped.namelist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return []
    return [a.name for a in ASSIGNMENTS.values() if any(tier(name, a) is not None for name in names)]


@dataclass
class Batch:
    """The reports of a class, with the figures an instructor looks at first."""

    reports: list[Report]
    students: list[Student]
    #: What grade_all wrote besides each results.json (summary.txt, summary.json, scores.png).
    written: list[Path] = field(default_factory=list)

    def csv(self) -> str:
        """The gradebook: one row per submitter (a group's members share their submission's scores)."""
        return to_csv(self.reports, {r.submission: s.submitters for r, s in zip(self.reports, self.students)})

    def summary(self) -> str:
        totals = [r.score for r in self.reports]
        if not totals:
            return "no submissions found"
        top = self.reports[0].max_score
        failed = Counter(f"{c.assignment} {c.number} {c.name}" for r in self.reports for c in r.results
                         if c.score < c.max_score)
        lines = [f"{len(totals)} submissions, out of {top:g}: mean {statistics.mean(totals):.2f}, "
                 f"median {statistics.median(totals):g}, min {min(totals):g}, max {max(totals):g}"]
        lines += self.table()
        lines.append("histogram of totals:")
        bins = 10
        width = top / bins if top else 1
        counts = Counter(min(int(t / width), bins - 1) for t in totals)
        for b in range(bins):
            lines.append(f"  {b * width:6.1f}-{(b + 1) * width:6.1f} | {'#' * counts.get(b, 0)} {counts.get(b, 0)}")
        lines.append("checks failed most often:")
        lines += [f"  {count:4d}  {name}" for name, count in failed.most_common(8)]
        return "\n".join(lines + self.attention())

    def table(self) -> list[str]:
        """Every submission's total, so the summary alone answers "what did X get?"."""
        labels = [s.label for s in self.students]
        width = min(max(map(len, labels + ["student"])), 48)
        lines = [f"  {'student':<{width}}  {'total / max':>13}  status"]
        lines += [f"  {label:<{width}}  {f'{r.score:g} / {r.max_score:g}':>13}  {r.status}"
                  for label, r in zip(labels, self.reports)]
        return lines

    def attention(self) -> list[str]:
        """Submissions staff should look at (not found, import error, timeout, bad zip, grader error),
        apart from real zeros: a 0 for a missing file is usually a wrong upload, not a wrong answer."""
        flagged = [r for r in self.reports if r.status != "graded"]
        if not flagged:
            return ["needs attention: none (every submission was found, imported and graded)"]
        lines = [f"needs attention ({len(flagged)}):"]
        lines += [f"  {r.submission}: {r.status} ({r.score:g} / {r.max_score:g})" for r in flagged]
        zeros = [r.submission for r in self.reports if r.status == "graded" and r.score == 0]
        if zeros:
            lines.append(f"graded 0 (found and imported, every check failed): {', '.join(zeros)}")
        return lines

    def plot(self, path: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots(figsize=(6, 3.5))
        axes.hist([r.score for r in self.reports], bins=10, range=(0, self.reports[0].max_score or 1))
        axes.set_xlabel("total score")
        axes.set_ylabel("submissions")
        axes.set_title(f"{len(self.reports)} submissions")
        figure.tight_layout()
        figure.savefig(path, dpi=100)
        plt.close(figure)


def _gather(student: Student, target: Path) -> Path:
    """A flat export's files of one student, copied (never linked) into a folder of their own; a single
    zip is returned as such, to be unpacked."""
    if len(student.files) == 1 and student.files[0].suffix.lower() == ".zip":
        return student.files[0]
    target.mkdir(parents=True, exist_ok=True)
    for path in student.files:
        (target / path.name).write_bytes(read_regular(path))
    return target


def _grade_one(grader: Grader, student: Student, scratch: Path, assignments: list[str] | None) -> Report:
    """One submission's report. A zip that cannot be unpacked, or a submission the export lacks, is
    graded as an empty submission (so its row keeps every check and the real maximum) and flagged
    "bad zip" or "missing from export"; a grader fault is the grader's."""
    path, problem, flag = student.path, None, "bad zip"
    if path is None:
        problem, flag = "submission_metadata.yml lists it but the export holds no folder for it", MISSING
    elif path.suffix == ".zip" or student.files:
        try:
            path = _gather(student, scratch / student.key) if student.files else path
            path = unzip_submission(path, scratch / student.key) if path.suffix == ".zip" else path
        except BadArchive as exc:
            problem = str(exc)
        except (ValueError, OSError) as exc:
            problem = f"{path.name} could not be read ({type(exc).__name__}: {exc})"
    if problem:
        path = scratch / student.key / "empty"
        path.mkdir(parents=True, exist_ok=True)
    try:
        report = grader.grade(path, assignments)
    except InfrastructureError:
        raise
    except Exception as exc:  # noqa: BLE001 -- one bad submission never stops the batch
        report = Report(submission=student.key)
        report.errors.append(f"could not grade this submission: {type(exc).__name__}: {exc}")
    report.submission = student.key
    if problem:
        report.notes = [problem + "; graded as an empty submission."]
        report.attention = [flag]
    return report


def grade_all(folder: Path, jobs: int = 1, out_dir: Path | None = None, assignments: list[str] | None = None,
              progress: bool = True, on_report: Callable[[Student, Report], None] | None = None) -> Batch:
    """Grade every submission of ``folder`` with one grader (the reference runs once for all).

    A submission that crashes, hangs or cannot be unpacked gets a report saying so; the batch goes on.
    ``on_report(student, report)`` is told of each report as soon as it and every earlier one are done.
    """
    from tqdm import tqdm

    students = discover(folder)
    reports = []
    with Grader(jobs=jobs, assignments=assignments) as grader, tempfile.TemporaryDirectory() as scratch, \
            ThreadPoolExecutor(grader.jobs) as at_once:
        grader.verify([get_assignment(a) for a in assignments] if assignments else list(ASSIGNMENTS.values()))
        if out_dir is not None:  # only once grading can start: nothing is left behind when it cannot
            out_dir.mkdir(parents=True, exist_ok=True)

        def grade(student: Student) -> Report:
            try:
                return _grade_one(grader, student, Path(scratch), assignments)
            finally:
                shutil.rmtree(Path(scratch) / student.key, ignore_errors=True)

        # ``jobs`` submissions at a time share the fork servers: a core never idles while one
        # submission's last long check runs (each report is the same as graded alone, in any order)
        graded = tqdm(at_once.map(grade, students), total=len(students), desc="grading", unit="submission",
                      disable=not progress)
        for report, student in zip(graded, students):   # the bar first: zip asks it once more, so it ends at n/n
            reports.append(report)
            if out_dir is not None:
                report.write_json(out_dir / student.key / "results.json")
            if on_report is not None:
                on_report(student, report)
    batch = Batch(reports, students)
    if out_dir is not None:
        batch.written = [out_dir / "summary.txt", out_dir / "summary.json", out_dir / "scores.png"]
        batch.written[0].write_text(batch.summary() + "\n")
        batch.written[1].write_text(json.dumps({r.submission: r.score for r in reports}, indent=2))
        batch.plot(batch.written[2])
    return batch
