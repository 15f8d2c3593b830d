"""The report of a grading run and its renderings: Gradescope results.json, a terminal table, CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder import figures
from autograder.feedback import clean

#: What Gradescope may show of the hidden checks: "hidden" never (not even after grading), the others
#: after the due date or once grades are published.
HIDDEN_VISIBILITIES = ("after_published", "after_due_date", "hidden")


@dataclass
class CheckResult:
    """The verdict on one check."""

    assignment: str
    number: str
    name: str
    max_score: float
    score: float
    output: str
    visibility: str = "visible"
    seconds: float = 0.0
    grader_error: str = ""      # the grader failed on this check (not the student): instructor-facing
    timed_out: bool = False     # a call of the student's code hit its time limit

    @property
    def status(self) -> str:
        return "passed" if self.score >= self.max_score else "failed"


@dataclass
class Report:
    """All verdicts for one submission, notes for the student, and warnings for the instructor only."""

    submission: str
    results: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Why staff should look at this submission (not found, import error, timeout, bad zip): see ``status``.
    attention: list[str] = field(default_factory=list)
    #: Faults of the grader (not the student); any of them makes the command exit non-zero.
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``graded``, ``grader error`` or what needs a look (``not found (a1_init); timeout (a3_train)``)."""
        if self.errors:
            return "grader error"
        return "; ".join(dict.fromkeys(self.attention)) or "graded"

    def grader_failure(self) -> str:
        """The top of the report when the grader failed: said to be the grader's fault, not the student's."""
        if not self.errors:
            return ""
        listed = "\n".join(f"- {e}" for e in self.errors[:10])
        return ("The autograder failed on this submission (a fault of the grader, not of your work); "
                "the score is incomplete until your instructor fixes it and regrades.\n\n" + listed)

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 4)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.results), 4)

    def by_assignment(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, list[float]] = {}
        for r in self.results:
            pair = totals.setdefault(r.assignment, [0.0, 0.0])
            pair[0] += r.score
            pair[1] += r.max_score
        return {name: (round(s, 4), round(m, 4)) for name, (s, m) in totals.items()}

    # -- renderings ----------------------------------------------------------------------------

    def to_gradescope(self, hidden_visibility: str = "hidden") -> dict[str, Any]:
        """The Gradescope results.json object (score, execution_time, output, tests[]).

        ``hidden_visibility``: what Gradescope shows of hidden checks (its "hidden" means never shown to
        students; "after_published" shows them once grades are published). Test numbers get the
        assignment's position as a prefix when several assignments are graded, so they stay unique.
        """
        summary = "\n".join(f"- {name}: {s:g} / {m:g}" for name, (s, m) in self.by_assignment().items())
        notes = "\n".join(f"- {n}" for n in self.notes)
        several = len({r.assignment for r in self.results}) > 1
        output = "\n\n".join(part for part in (self.grader_failure(), summary, notes) if part)
        return {  # HTML throughout: every character shown as written, only the grader's images as images
            "score": self.score,
            "execution_time": round(self.seconds, 3),
            "output": figures.as_html(output),
            "output_format": "html",
            "test_output_format": "html",
            "test_name_format": "text",
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": [
                {
                    "score": r.score,
                    "max_score": r.max_score,
                    "status": r.status,
                    "name": f"{r.assignment}: {r.name}",
                    "number": f"{_position(r.assignment)}.{r.number}" if several else r.number,
                    "output": figures.as_html(r.output),
                    "output_format": "html",
                    "tags": [r.assignment],
                    "visibility": hidden_visibility if r.visibility == "hidden" else r.visibility,
                }
                for r in self.results
            ],
        }

    def write_json(self, path: Path, hidden_visibility: str = "hidden") -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_gradescope(hidden_visibility), indent=2))
        tmp.replace(path)

    def to_table(self, verbose: bool = True) -> str:
        """A terminal table: one row per check, the failures' feedback below it."""
        width = max([len(r.name) for r in self.results] + [20])
        lines = [f"Submission: {clean(self.submission)}", ""]
        for r in self.results:
            mark = "PASS" if r.status == "passed" else ("PART" if r.score > 0 else "FAIL")
            lines.append(f"  {mark}  {r.assignment:<9} {r.number:<6} {r.name:<{width}}  {r.score:>5g} / {r.max_score:g}")
        lines.append("")
        for name, (s, m) in self.by_assignment().items():
            lines.append(f"  {name:<9} {s:g} / {m:g}")
        lines.append(f"  {'TOTAL':<9} {self.score:g} / {self.max_score:g}")
        lines.extend(f"  note: {clean(n)}" for n in self.notes)
        lines.extend(f"  warning: {clean(w)}" for w in self.warnings)
        lines.extend(f"  GRADER ERROR: {clean(e)}" for e in self.errors)
        if verbose:
            for r in self.results:
                if r.status != "passed":
                    lines += ["", f"--- {r.assignment} {r.number} {r.name} ---", clean(figures.strip_images(r.output)).strip()]
        return "\n".join(lines)

    def csv_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"submission": self.submission}
        row.update({f"{r.assignment} {r.number}": r.score for r in self.results})
        row["total"] = self.score
        row["max"] = self.max_score
        row["status"] = self.status
        return row


def _position(assignment: str) -> int:
    """1 for a1_init, 2 for a2_split, ...: the order of ASSIGNMENTS (unknown names sort last)."""
    from autograder.course import ASSIGNMENTS

    names = list(ASSIGNMENTS)
    return names.index(assignment) + 1 if assignment in names else len(names) + 1


def to_csv(reports: list[Report], people: dict[str, list[dict[str, str]]] | None = None) -> str:
    """One gradebook row per submission, or per person ``people[submission]`` names (columns such as
    name or email): each member of a group gets the group's scores in a row of their own, which is
    what a gradebook import matches on. Who comes first, also when the first rows name nobody."""
    people = people or {}
    rows = [{**person, **report.csv_row()} for report in reports for person in people.get(report.submission) or [{}]]
    who = [column for group in people.values() for person in group for column in person]
    columns = list(dict.fromkeys(who + [column for row in rows for column in row]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows([{key: _inert(value) for key, value in row.items()} for row in rows])
    return buffer.getvalue()


def _inert(value: Any) -> Any:
    """A cell a spreadsheet shows as text: student-chosen text (a name, a file name) that starts like a
    formula (=, +, -, @, tab, carriage return) gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str):
        value = clean(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value

