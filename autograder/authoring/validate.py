"""``autograder validate NAME``: the mutation testing of an assignment's grader, in one table.

The reference solution must earn every point and the generated stub none; every mutant of the test
corpus must lose points on each check it declares (the table also names the other checks that catch
it); every variant must earn every point; every realistic submission must get its declared fair score,
check by check; and the corpus must cover every check with a mutant. These are the same verdicts the
project's tests assert (:mod:`autograder.authoring.corpus`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.authoring import corpus as corpora
from autograder.course import SOLUTIONS_DIR, STUDENT_DIR, get_assignment
from autograder.grading import Grader
from autograder.registry import checks_for
from autograder.results import Report


@dataclass
class Row:
    """One graded submission of the validation and what went wrong with it (nothing: it passed)."""

    kind: str            # reference, stub, mutant, variant, realistic, corpus
    name: str
    expected: str
    observed: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _numbers(numbers: list[str] | set[str]) -> str:
    return " ".join(sorted(numbers, key=lambda n: tuple(int(p) for p in n.split(".")))) or "nothing"


def stub_problems(report: Report) -> list[str]:
    """The stub earns nothing, and every check says why ("Not implemented yet")."""
    return [f"{r.number} {r.name}: {r.score:g} points, {r.output[:80]!r}" for r in report.results
            if r.score > 0 or not r.output.startswith("Not implemented yet")]


def validate(assignment: str, grader: Grader, scratch: Path,
             on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Grade the reference, the stub and the whole corpus of ``assignment``; one row each."""
    spec = get_assignment(assignment)
    checks = checks_for(assignment)
    points = {c.number: c.points for c in checks}
    total = f"{sum(points.values()):g}"
    corpus = corpora.corpus_of(assignment)
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)
        if on_row:
            on_row(row)

    def score(report: Report) -> str:
        return f"{report.score:g} / {report.max_score:g}"

    add(Row("corpus", f"tests/corpus/{assignment}", "every check has a mutant",
            f"{len(corpus.mutant_paths())} mutants, {len(corpus.variant_paths())} variants, "
            f"{len(corpus.case_folders())} realistic", corpora.coverage_problems(corpus, list(points))))
    reference = grader.grade(SOLUTIONS_DIR / assignment, [assignment])
    add(Row("reference", f"solutions/{assignment}", f"{total} / {total}", score(reference),
            corpora.variant_problems(reference)))
    stub = grader.grade(STUDENT_DIR / assignment, [assignment])
    add(Row("stub", f"assignments/{assignment}", f"0 / {total}", score(stub), stub_problems(stub)))
    for path in corpus.mutant_paths():
        mutant = corpora.load_mutant(path)
        report = grader.grade(corpora.write_submission(scratch / "mutants" / mutant.name, assignment, mutant.source),
                              [assignment])
        caught = set(corpora.lost_points(report))
        extra = caught - set(mutant.must_fail)
        add(Row("mutant", mutant.name, f"loses {_numbers(mutant.must_fail)}",
                f"loses {_numbers(caught & set(mutant.must_fail))}" + (f" (and {_numbers(extra)})" if extra else ""),
                corpora.mutant_problems(mutant, report)))
    for path in corpus.variant_paths():
        report = grader.grade(corpora.write_submission(scratch / "variants" / path.stem, assignment,
                                                       corpora.variant_source(path)),
                              [assignment])
        add(Row("variant", path.stem, f"{total} / {total}", score(report), corpora.variant_problems(report)))
    for case in corpus.cases():
        problems = corpora.declaration_problems(case, points)
        report = grader.grade(corpora.case_target(case, scratch / "realistic"), [spec.name])
        add(Row("realistic", case.name, f"{case.fair_total:g} / {total}", score(report),
                problems + corpora.case_problems(case, report)))
    return rows


def render(assignment: str, rows: list[Row]) -> str:
    """The validation as a table, then each problem on its own line."""
    widths = [max(len(getattr(r, column)) for r in rows) for column in ("kind", "name", "expected")]
    lines = [f"{get_assignment(assignment).name}: {get_assignment(assignment).title}",
             f"  {'':4}  {'kind':<{widths[0]}}  {'submission':<{widths[1]}}  {'expected':<{widths[2]}}  observed"]
    for r in rows:
        lines.append(f"  {'ok' if r.ok else 'FAIL':4}  {r.kind:<{widths[0]}}  {r.name:<{widths[1]}}  "
                     f"{r.expected:<{widths[2]}}  {r.observed}")
    failed = [r for r in rows if not r.ok]
    for r in failed:
        lines += [f"  {r.kind} {r.name}: {problem}" for problem in r.problems]
    lines.append(f"  {len(rows) - len(failed)} of {len(rows)} rows as expected")
    return "\n".join(lines)
