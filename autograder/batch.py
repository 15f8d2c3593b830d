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
from autograder.discovery import read_regular
from autograder.grading import Grader
from autograder.preflight import InfrastructureError
from autograder.results import Report, to_csv

#: The most entries a student's zip may hold: a class's homework is a few files; 100,000 empty ones took
#: 17 s to unpack.
MAX_ZIP_ENTRIES = 1_000
MAX_UNZIPPED_BYTES = 200 * 2**20
ACCEPTED_LAYOUTS = ("one folder or .zip per student (named after the student), a Gradescope 'Export "
                    "Submissions' folder (submission_metadata.yml and one submission_NNN folder each), or a "
                    "Canvas-style flat folder of files named student_userid_fileid_filename (.py, .ipynb, .zip)")
#: Canvas's "Download Submissions": ``doe_jane_12345_67890_initializers.py`` (``_late_`` after the name
#: when late). The student is everything before the two numbers.
LMS_NAME = re.compile(r"^(?P<student>.+?)_(?:late_)?\d+_\d+_(?P<original>.+)$", re.IGNORECASE)


@dataclass
class Student:
    """One submission of the batch and who made it (when the export says)."""

    key: str
    path: Path
    info: dict[str, str] = field(default_factory=dict)
    files: tuple[Path, ...] = ()   # a flat LMS export: this student's loose files (``path`` is the folder)


def _symbol(mapping: dict, name: str):
    """Gradescope's YAML writes Ruby symbols: ':submitters' as well as 'submitters'."""
    return mapping.get(f":{name}", mapping.get(name))


def discover(folder: Path) -> list[Student]:
    """The submissions in ``folder``: one sub-folder or .zip each; names from submission_metadata.yml."""
    metadata: dict = {}
    meta_file = folder / "submission_metadata.yml"
    if meta_file.is_file():
        metadata = yaml.safe_load(meta_file.read_text()) or {}
    students = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path == meta_file or not (path.is_dir() or path.suffix == ".zip"):
            continue
        key = path.stem if path.suffix == ".zip" else path.name
        info: dict[str, str] = {}
        submitters = _symbol(metadata.get(key) or {}, "submitters") or []
        if submitters:
            info = {"name": "; ".join(str(_symbol(s, "name") or "") for s in submitters),
                    "sid": "; ".join(str(_symbol(s, "sid") or "") for s in submitters),
                    "email": "; ".join(str(_symbol(s, "email") or "") for s in submitters)}
        students.append(Student(key, path, info))
    return sorted(students + _lms_students(folder, {s.key for s in students}), key=lambda s: s.key)


def _lms_students(folder: Path, taken: set[str]) -> list[Student]:
    """Loose files of a flat LMS export, grouped by the student their name starts with."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        match = LMS_NAME.match(path.name)
        if match and path.suffix.lower() in (".py", ".ipynb", ".zip") and not path.is_symlink() and path.is_file():
            groups.setdefault(match["student"], []).append(path)
    return [Student(key, folder, files=tuple(files)) for key, files in groups.items() if key not in taken]


def safe_unzip(archive: Path, target: Path) -> Path:
    """Extract a student's zip without path traversal, links or zip bombs."""
    with zipfile.ZipFile(archive) as zipped:
        members = zipped.infolist()
        if len(members) > MAX_ZIP_ENTRIES:
            raise ValueError(f"{archive.name} holds {len(members):,} entries; a submission may hold at most "
                             f"{MAX_ZIP_ENTRIES:,}")
        if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise ValueError(f"{archive.name} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB")
        for member in members:
            destination = (target / member.filename).resolve()
            if target.resolve() not in destination.parents and destination != target.resolve():
                raise ValueError(f"{archive.name} holds a path outside the archive: {member.filename}")
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                continue  # a symbolic link: skipped
            zipped.extract(member, target)
    return target


@dataclass
class Batch:
    """The reports of a class, with the figures an instructor looks at first."""

    reports: list[Report]
    students: list[Student]

    def csv(self) -> str:
        return to_csv(self.reports, {r.submission: s.info for r, s in zip(self.reports, self.students)})

    def summary(self) -> str:
        totals = [r.score for r in self.reports]
        if not totals:
            return "no submissions found"
        top = self.reports[0].max_score
        failed = Counter(f"{c.assignment} {c.number} {c.name}" for r in self.reports for c in r.results
                         if c.score < c.max_score)
        lines = [f"{len(totals)} submissions, out of {top:g}: mean {statistics.mean(totals):.2f}, "
                 f"median {statistics.median(totals):g}, min {min(totals):g}, max {max(totals):g}",
                 "histogram of totals:"]
        bins = 10
        width = top / bins if top else 1
        counts = Counter(min(int(t / width), bins - 1) for t in totals)
        for b in range(bins):
            lines.append(f"  {b * width:6.1f}-{(b + 1) * width:6.1f} | {'#' * counts.get(b, 0)} {counts.get(b, 0)}")
        lines.append("checks failed most often:")
        lines += [f"  {count:4d}  {name}" for name, count in failed.most_common(8)]
        return "\n".join(lines + self.attention())

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
    """One submission's report. A zip that cannot be unpacked is graded as an empty submission (so its
    row keeps every check and the real maximum) and flagged "bad zip"; a grader fault is the grader's."""
    path, unpack_error = student.path, None
    if path.suffix == ".zip" or student.files:
        try:
            path = _gather(student, scratch / student.key) if student.files else path
            path = safe_unzip(path, scratch / student.key) if path.suffix == ".zip" else path
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
            unpack_error = f"{path.name} could not be unpacked or read ({type(exc).__name__}: {exc})"
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
    if unpack_error:
        report.notes = [unpack_error + "; graded as an empty submission."]
        report.attention = ["bad zip"]
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

        def grade(student: Student) -> Report:
            try:
                return _grade_one(grader, student, Path(scratch), assignments)
            finally:
                shutil.rmtree(Path(scratch) / student.key, ignore_errors=True)

        # ``jobs`` submissions at a time share the fork servers: a core never idles while one
        # submission's last long check runs (each report is the same as graded alone, in any order)
        for student, report in zip(students, tqdm(at_once.map(grade, students), total=len(students),
                                                  desc="grading", unit="submission", disable=not progress)):
            reports.append(report)
            if out_dir is not None:
                report.write_json(out_dir / student.key / "results.json")
            if on_report is not None:
                on_report(student, report)
    batch = Batch(reports, students)
    if out_dir is not None:
        (out_dir / "summary.txt").write_text(batch.summary() + "\n")
        (out_dir / "summary.json").write_text(json.dumps({r.submission: r.score for r in reports}, indent=2))
        batch.plot(out_dir / "scores.png")
    return batch
