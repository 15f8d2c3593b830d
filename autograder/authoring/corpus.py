"""An assignment's test corpus, ``tests/corpus/NAME/``: what shows that its checks fail and pass when they should.

``mutants/<name>.py``: one mistake each, as ``MUST_FAIL`` (the check numbers it must lose points on)
and ``REPLACE`` (pairs of text: each ``old`` occurs exactly once in the reference solution and becomes
``new``). ``variants/<name>.py``: a complete, independently written correct file (full marks), or,
for functions written differently, ``BASE = "reference"`` and only those functions, which replace the
reference's (:func:`variant_source`).
``realistic/<case>/``: a submission in the idioms of public tutorials and course code, with
``expected.toml`` declaring the fair score of every check and why each lost point is lost
(``tests/corpus/README.md``). ``corpus.toml``: how many mutants and variants the corpus keeps at least.

The verdicts on each kind (:func:`mutant_problems`, :func:`variant_problems`, :func:`case_problems`)
are shared by the project's tests and ``autograder validate``.
"""

from __future__ import annotations

import ast
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.files import unzip_submission
from autograder.course import PROJECT_ROOT, SOLUTIONS_DIR, get_assignment
from autograder.results import Report

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser from PyPI
    import tomli as tomllib

CORPUS_DIR = PROJECT_ROOT / "tests" / "corpus"
#: How a realistic case is handed in: ``grade FOLDER``, ``grade FILE --assignment A``, or a folder
#: zipped and unpacked as ``grade-all`` unpacks a student's ``.zip``.
SHAPES = ("folder", "file", "zip")


@dataclass(frozen=True)
class Mutant:
    assignment: str
    name: str
    must_fail: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Case:
    """One realistic submission and its declared fair scores."""

    name: str
    folder: Path
    assignment: str
    shape: str
    submit: str
    fair: dict[str, float]
    lost: dict[str, str]
    full: dict[str, str]
    #: Where today's grader is known to disagree with the fair score, and why (FINDINGS.md): the case
    #: is expected to disagree until the grader is fixed, and says so when it no longer does.
    known_unfair: str = ""

    @property
    def path(self) -> Path:
        return self.folder / self.submit

    @property
    def fair_total(self) -> float:
        return sum(self.fair.values())


@dataclass(frozen=True)
class Corpus:
    """The test corpus of one assignment."""

    assignment: str
    folder: Path
    minimum_mutants: int
    minimum_variants: int

    def mutant_paths(self) -> list[Path]:
        return sorted((self.folder / "mutants").glob("*.py"))

    def variant_paths(self) -> list[Path]:
        return sorted((self.folder / "variants").glob("*.py"))

    def case_folders(self) -> list[Path]:
        realistic = self.folder / "realistic"
        return sorted(p for p in realistic.iterdir() if (p / "expected.toml").is_file()) if realistic.is_dir() else []

    def cases(self) -> list[Case]:
        return [load_case(p) for p in self.case_folders()]


def corpus_of(assignment: str, root: Path = CORPUS_DIR) -> Corpus:
    folder = root / assignment
    settings = tomllib.loads((folder / "corpus.toml").read_text()) if (folder / "corpus.toml").is_file() else {}
    return Corpus(assignment, folder, int(settings.get("minimum_mutants", 1)), int(settings.get("minimum_variants", 1)))


def _literal(tree: ast.Module, name: str, path: Path) -> Any:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError(f"{path} does not define {name}")


def load_mutant(path: Path, solutions: Path = SOLUTIONS_DIR) -> Mutant:
    """The mutant at ``tests/corpus/<assignment>/mutants/<name>.py``, applied to the reference solution."""
    tree = ast.parse(path.read_text())
    must_fail = tuple(_literal(tree, "MUST_FAIL", path))
    return Mutant(path.parent.parent.name, path.stem, must_fail, _replaced(path, tree, solutions))


def variant_source(path: Path, solutions: Path = SOLUTIONS_DIR) -> str:
    """The student file of the variant at ``tests/corpus/<assignment>/variants/<name>.py``: the file
    itself, or, for a variant that declares ``BASE = "reference"``, the reference followed by the
    variant's own definitions (a later ``def`` of the same name replaces the reference's)."""
    text = path.read_text()
    declared = [n for n in ast.parse(text).body if isinstance(n, ast.Assign)
                and any(getattr(t, "id", None) == "BASE" for t in n.targets)]
    if not declared:
        return text
    if ast.literal_eval(declared[0].value) != "reference":
        raise ValueError(f"{path}: BASE must be \"reference\"")
    assignment = get_assignment(path.parent.parent.name)
    return (solutions / assignment.name / assignment.filename).read_text() + "\n\n" + text


def _replaced(path: Path, tree: ast.Module, solutions: Path) -> str:
    """The reference solution with the ``REPLACE`` pairs of ``path`` applied, each ``old`` found once."""
    assignment = get_assignment(path.parent.parent.name)
    source = (solutions / assignment.name / assignment.filename).read_text()
    for old, new in _literal(tree, "REPLACE", path):
        count = source.count(old)
        if count != 1:
            raise ValueError(f"{path}: {old!r} occurs {count} times in the reference, not once")
        source = source.replace(old, new)
    return source


def load_case(folder: Path) -> Case:
    data = tomllib.loads((folder / "expected.toml").read_text())
    return Case(folder.name, folder, data["assignment"], data["shape"], data["submit"],
                {k: float(v) for k, v in data["fair"].items()}, data.get("lost", {}), data.get("full", {}),
                data.get("known_unfair", ""))


def write_submission(folder: Path, assignment: str, source: str) -> Path:
    """A submission folder holding ``source`` as the assignment's student file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / get_assignment(assignment).filename).write_text(source)
    return folder


def zip_folder(folder: Path, archive: Path) -> Path:
    """Zip ``folder``'s contents (its sub-folders become the archive's top level), as a student's
    "Compress" does; sorted and timestamp-free, so the archive is the same on every run."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zipped.writestr(zipfile.ZipInfo(path.relative_to(folder).as_posix()), path.read_bytes())
    return archive


def case_target(case: Case, scratch: Path) -> Path:
    """What the grader is handed for ``case``: the path its shape takes in the CLI."""
    if case.shape != "zip":
        return case.path
    archive = zip_folder(case.path, scratch / f"{case.name}.zip")
    return unzip_submission(archive, scratch / case.name)   # what grade-all does with a student's .zip


# -- verdicts ---------------------------------------------------------------------------------------

def lost_points(report: Report) -> list[str]:
    """The checks that lost points, a hidden repeat that gave them back ("Not charged again") included:
    it saw the mistake, and the check it repeats charged it."""
    return [r.number for r in report.results
            if r.score < r.max_score or r.output.startswith("Not charged again")]


def mutant_problems(mutant: Mutant, report: Report) -> list[str]:
    """What is wrong with how ``report`` treats ``mutant``: every declared check must lose points."""
    caught, graded = set(lost_points(report)), {r.number for r in report.results}
    return ([f"{r.number} {r.name} gave it full marks" for r in report.results
             if r.number in mutant.must_fail and r.number not in caught]
            + [f"{number} was not graded" for number in mutant.must_fail if number not in graded])


def variant_problems(report: Report) -> list[str]:
    return [f"{r.number} {r.name}: {r.output}" for r in report.results if r.score < r.max_score]


def case_problems(case: Case, report: Report) -> list[str]:
    """The checks whose score is not the declared fair score."""
    given = {r.number: r.score for r in report.results}
    return [f"{number}: fair {fair:g}, given {given.get(number, '-')}" for number, fair in case.fair.items()
            if number not in given or abs(given[number] - fair) > 1e-6]


def declaration_problems(case: Case, points: dict[str, float]) -> list[str]:
    """What is missing or inconsistent in ``case``'s declaration, given each check's maximum."""
    problems = []
    if set(case.fair) != set(points):
        problems.append(f"declare every check of {case.assignment}: missing {sorted(set(points) - set(case.fair))}, "
                        f"unknown {sorted(set(case.fair) - set(points))}")
    for number, fair in case.fair.items():
        maximum = points.get(number, fair)
        if not 0 <= fair <= maximum:
            problems.append(f"{number}: fair {fair:g} outside 0..{maximum:g}")
        if (fair < maximum) != (number in case.lost):
            problems.append(f"{number}: a reason in [lost] exactly for the checks below their maximum")
    if set(case.full) & set(case.lost):
        problems.append("a check is both [lost] and [full]")
    if not set(case.full) <= set(points):
        problems.append(f"[full] names unknown checks {sorted(set(case.full) - set(points))}")
    if case.shape not in SHAPES:
        problems.append(f"shape {case.shape!r} is not one of {SHAPES}")
    elif not (case.path.is_file() if case.shape == "file" else case.path.is_dir()):
        problems.append(f"{case.path} is not a {'file' if case.shape == 'file' else 'folder'}")
    return problems


def coverage_problems(corpus: Corpus, numbers: list[str]) -> list[str]:
    """Every check is failed by at least one mutant; the corpus keeps its minimum sizes."""
    covered = {n for p in corpus.mutant_paths() for n in load_mutant(p).must_fail}
    problems = []
    if missing := sorted(set(numbers) - covered, key=lambda n: tuple(int(p) for p in n.split("."))):
        problems.append(f"no mutant fails checks {', '.join(missing)}")
    if unknown := sorted(covered - set(numbers)):
        problems.append(f"mutants name unknown checks {', '.join(unknown)}")
    if len(corpus.mutant_paths()) < corpus.minimum_mutants:
        problems.append(f"{len(corpus.mutant_paths())} mutants, fewer than the corpus's minimum {corpus.minimum_mutants}")
    if len(corpus.variant_paths()) < corpus.minimum_variants:
        problems.append(f"{len(corpus.variant_paths())} variants, fewer than the corpus's minimum {corpus.minimum_variants}")
    return problems


def mutant_of(assignment: str, name: str) -> Mutant:
    """The mutant ``name`` of ``assignment``'s corpus."""
    return load_mutant(CORPUS_DIR / assignment / "mutants" / f"{name}.py")
