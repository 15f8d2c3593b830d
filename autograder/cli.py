"""Command line: ``autograder grade | check | grade-all | gradescope | kit | otter | stubs | data | new | validate``."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from autograder.course import ASSIGNMENTS, PROJECT_ROOT, STUDENT_DIR
from autograder.progress import ProgressLine
from autograder.registry import VISIBILITIES
from autograder.results import HIDDEN_VISIBILITIES, Report


def _assignment_names(value: str | None) -> list[str] | None:
    if value in (None, "all"):
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    for name in names:
        if name not in ASSIGNMENTS:
            raise SystemExit(f"autograder: unknown assignment {name!r}; known: {', '.join(ASSIGNMENTS)}")
    return names


def _assignment_option(value: str) -> str:
    """argparse type of --assignment: a bad name is a usage error (one line, exit 2)."""
    try:
        _assignment_names(value)
    except SystemExit as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("autograder: ")) from None
    return value


def _early_pool(jobs: int, assignments: list[str] | None):
    """Start the fork servers before this process imports torch: both imports then run at once."""
    from autograder.sandbox import SandboxPool

    return SandboxPool(jobs, assignments=assignments)


#: Exit statuses: 1 a student's check failed; 2 bad usage (path, option); 3 the grader could not grade.
EXIT_USAGE, EXIT_GRADER = 2, 3


def _fail(message: str, status: int) -> int:
    """One line on stderr, no traceback: what an instructor needs to act on."""
    print(f"autograder: {message}", file=sys.stderr)
    return status


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade a submission (instructors): all checks, hidden included; always writes --out.

    Exits 2 when the path does not exist, 3 when the grader could not grade (dataset, dependencies,
    a grader fault during a check): infrastructure is never reported as the student's score.
    """
    from autograder.preflight import InfrastructureError

    report = Report(submission=str(args.submission))
    status = 0
    path = Path(args.submission)
    try:
        if not path.exists():
            report.errors.append(f"no such submission: {args.submission}")
            return (status := _fail(f"no such submission: {args.submission}", EXIT_USAGE))
        names = _assignment_names(args.assignment) or _guess_assignments(path)
        pool = _early_pool(args.jobs, names)
        from autograder.grading import Grader

        with Grader(pool=pool) as grader, _unpacked(path) as submission:
            report = grader.grade(submission, names)
        report.submission = str(args.submission)
        if report.errors:
            status = _fail(f"the grader failed on {len(report.errors)} check(s) (see GRADER ERROR above); "
                           "fix the grader and regrade", EXIT_GRADER)
    except InfrastructureError as exc:
        report.errors.append(str(exc))
        status = _fail(f"cannot grade: {exc}", EXIT_GRADER)
    except BaseException as exc:  # noqa: BLE001 -- still write a valid report
        report.errors.append(f"grading stopped early: {type(exc).__name__}: {exc}")
        traceback.print_exc()
        status = EXIT_GRADER
    finally:
        if args.out:
            report.write_json(Path(args.out))
    if report.results:
        print(report.to_table(verbose=not args.quiet))
    return status


class _unpacked:
    """A ``.zip`` submission unpacked into a private folder (safely: no traversal, links or bombs)."""

    def __init__(self, path: Path) -> None:
        self.path, self._scratch = path, None

    def __enter__(self) -> Path:
        if self.path.suffix.lower() != ".zip" or not self.path.is_file():
            return self.path
        import tempfile

        from autograder.batch import safe_unzip

        self._scratch = tempfile.TemporaryDirectory(prefix="autograder-zip-")
        return safe_unzip(self.path, Path(self._scratch.name))

    def __exit__(self, *exc: object) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()


def _guess_assignments(path: Path) -> list[str] | None:
    """Which assignments a student's PATH is about: a student file (near-miss names too), an
    assignment folder, or all."""
    from autograder.discovery import infer_assignments

    return infer_assignments(path if path.is_symlink() else path.resolve(), ASSIGNMENTS)


def cmd_check(args: argparse.Namespace) -> int:
    """Students: run the visible checks on PATH; exit 1 when anything fails."""
    from autograder.preflight import InfrastructureError

    path = Path(args.path)
    if not path.exists():
        return _fail(f"{path} does not exist", EXIT_USAGE)
    names = _assignment_names(args.assignment) or _guess_assignments(path)
    pool = _early_pool(args.jobs, names)
    progress = ProgressLine()
    progress.start(", ".join(names) if names else str(path))
    from autograder.grading import Grader

    try:
        with Grader(include_hidden=False, pool=pool) as grader, _unpacked(path) as submission:
            report = grader.grade(submission, names, on_result=progress)
    except InfrastructureError as exc:
        return _fail(f"cannot check your work on this machine: {exc}", EXIT_GRADER)
    finally:
        progress.close()
    print(report.to_table(verbose=True))
    if report.errors:
        return _fail("the grader failed on some checks (see GRADER ERROR above); tell your instructor", EXIT_GRADER)
    return 0 if report.score >= report.max_score else 1


def cmd_stubs(args: argparse.Namespace) -> int:
    from autograder.stubs import stale_files, write_stubs

    if args.check:
        stale = stale_files()
        if stale:
            print("assignments/ is stale; run `autograder stubs`. Differs:\n  " + "\n  ".join(stale), file=sys.stderr)
            return 1
        print("assignments/ is up to date with solutions/")
        return 0
    written = write_stubs()
    print(f"wrote {len(written)} file(s) under {STUDENT_DIR}" + "".join(f"\n  {p}" for p in written))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from autograder import data

    try:
        folder = data.install() if args.install else next(iter(data.locate().values())).parent
        dataset = data.load()
    except data.DataError as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 1
    print(f"Fashion-MNIST verified in {folder}: {len(dataset.train_labels):,} training and "
          f"{len(dataset.test_labels):,} test images")
    return 0


def cmd_grade_all(args: argparse.Namespace) -> int:
    """Grade a folder of submissions; write per-student results, a CSV gradebook and a summary.

    Exits 2 for a folder that does not exist or holds no submissions, 3 when the grader cannot grade
    (nothing is graded then) or failed on some submission (everything else is still written).
    """
    from autograder.batch import ACCEPTED_LAYOUTS, discover, grade_all
    from autograder.preflight import InfrastructureError

    folder = Path(args.submissions)
    if not folder.is_dir():
        return _fail(f"{folder} is not a folder of submissions" + ("" if folder.exists() else " (it does not exist)"),
                     EXIT_USAGE)
    if not discover(folder):
        return _fail(f"no submissions found in {folder}; accepted layouts: {ACCEPTED_LAYOUTS}", EXIT_USAGE)
    out_dir = Path(args.out_dir) if args.out_dir else None
    try:
        batch = grade_all(folder, jobs=args.jobs, out_dir=out_dir, assignments=_assignment_names(args.assignment))
    except InfrastructureError as exc:
        return _fail(f"cannot grade: {exc}", EXIT_GRADER)
    if args.csv:
        Path(args.csv).write_text(batch.csv())
    print(batch.summary())
    failed = [r.submission for r in batch.reports if r.errors]
    if failed:
        return _fail(f"the grader failed on {len(failed)} submission(s): {', '.join(failed[:10])}; fix it and regrade",
                     EXIT_GRADER)
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    from autograder.gradescope.build import build_autograder_zip
    from autograder.gradescope.config import GradescopeConfig

    config = GradescopeConfig(_assignment_names(args.assignment), args.visibility, args.jobs, args.hidden_visibility)
    names = build_autograder_zip(Path(args.out), config)
    print(f"wrote {args.out} ({len(names)} files) for {', '.join(config.assignments or ASSIGNMENTS)}")
    return 0


def cmd_kit(args: argparse.Namespace) -> int:
    from autograder.kit import build_kit

    names = build_kit(Path(args.out))
    print(f"wrote {args.out} ({len(names)} files): assignments, handouts and the public checks")
    return 0


def cmd_otter_export(args: argparse.Namespace) -> int:
    from autograder.frontends.otter import export

    written = export(Path(args.out), _assignment_names(args.assignment), include_hidden=not args.public)
    print("wrote " + ", ".join(str(p) for p in written))
    print(f"next: otter generate -t {Path(args.out) / 'tests'} -o autograder.zip   (then: otter run -a autograder.zip FILE.py)")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from autograder.authoring.scaffold import ScaffoldError, new_assignment

    try:
        written = new_assignment(args.name, args.title or args.name, args.file)
    except ScaffoldError as exc:
        return _fail(str(exc), EXIT_USAGE)
    print(f"wrote {len(written)} files for {args.name}:" + "".join(f"\n  {p.relative_to(PROJECT_ROOT)}" for p in written))
    print(f"next: autograder validate {args.name}, then replace the template's relu with the assignment's own "
          "functions, checks, probes, mutants and variants (README: Adding an assignment)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    import tempfile

    from autograder.authoring.validate import render, validate
    from autograder.grading import Grader

    failed = 0
    with Grader(jobs=args.jobs) as grader, tempfile.TemporaryDirectory(prefix="autograder-validate-") as scratch:
        for name in _assignment_names(args.assignment) or list(ASSIGNMENTS):
            rows = validate(name, grader, Path(scratch) / name)
            print(render(name, rows))
            failed += sum(not r.ok for r in rows)
    return 1 if failed else 0


def _version() -> str:
    """The installed package's version ("(not installed)" when run from a checkout without installing it)."""
    from importlib import metadata

    try:
        return metadata.version("autograder")
    except metadata.PackageNotFoundError:
        return "(not installed)"


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit 2), not the whole usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="autograder", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade one submission (all checks, hidden included)")
    grade.add_argument("submission", help="submission folder or a single student file")
    grade.add_argument("--assignment", type=_assignment_option,
                       help="assignment name(s), comma-separated, or 'all' (default)")
    grade.add_argument("--out", help="write Gradescope results.json here")
    grade.add_argument("--jobs", type=_positive, default=1, help="checks run in parallel (default 1)")
    grade.add_argument("--quiet", action="store_true", help="table only, no feedback of failed checks")
    grade.set_defaults(func=cmd_grade)

    check = sub.add_parser("check", help="students: run the public checks on your work")
    check.add_argument("path", nargs="?", default=".", help="your file or folder (default: .)")
    check.add_argument("--assignment", type=_assignment_option, help="assignment name(s), comma-separated")
    check.add_argument("--jobs", type=_positive, default=1)
    check.set_defaults(func=cmd_check)

    stubs = sub.add_parser("stubs", help="regenerate assignments/ from solutions/")
    stubs.add_argument("--check", action="store_true", help="fail when assignments/ is stale")
    stubs.set_defaults(func=cmd_stubs)

    batch = sub.add_parser("grade-all", help="grade a class: a folder of submissions or a Gradescope export")
    batch.add_argument("submissions", help="folder with one folder or .zip per submission")
    batch.add_argument("--assignment", type=_assignment_option,
                       help="assignment name(s), comma-separated, or 'all' (default)")
    batch.add_argument("--jobs", type=_positive, default=1)
    batch.add_argument("--csv", help="write the gradebook here")
    batch.add_argument("--out-dir", help="write each results.json, summary.txt and scores.png here")
    batch.set_defaults(func=cmd_grade_all)

    gradescope = sub.add_parser("gradescope", help="build the Gradescope autograder zip")
    gradescope.add_argument("--assignment", type=_assignment_option, default="all", help="assignment name(s) or 'all'")
    gradescope.add_argument("--out", default="autograder.zip")
    gradescope.add_argument("--visibility", default="visible", choices=VISIBILITIES,
                            help="when students see their results and total score (default: visible)")
    gradescope.add_argument("--hidden-visibility", default="after_published", choices=HIDDEN_VISIBILITIES,
                            help="when students see the hidden checks (default: after_published; "
                                 "'hidden' never shows them)")
    gradescope.add_argument("--jobs", type=_positive, default=1, help="checks run in parallel on Gradescope")
    gradescope.set_defaults(func=cmd_gradescope)

    kit = sub.add_parser("kit", help="build the student kit zip (no solutions, no hidden checks)")
    kit.add_argument("--out", default="student-kit.zip")
    kit.set_defaults(func=cmd_kit)

    otter = sub.add_parser("otter", help="Otter-Grader front-end").add_subparsers(dest="otter_command", required=True)
    otter_export = otter.add_parser("export", help="write Otter test files that call the registered checks")
    otter_export.add_argument("--assignment", type=_assignment_option, default="all",
                              help="assignment name(s) or 'all'")
    otter_export.add_argument("--out", default="otter", help="folder to write tests/ into")
    otter_export.add_argument("--public", action="store_true", help="visible checks only (for students' otter check)")
    otter_export.set_defaults(func=cmd_otter_export)

    new = sub.add_parser("new", help="instructors: scaffold a new assignment from the template")
    new.add_argument("name", help="the assignment's name, aN_topic (e.g. a6_dropout)")
    new.add_argument("--title", help="its title in reports and the handout (default: the name)")
    new.add_argument("--file", help="the student file (default: the topic, e.g. dropout.py)")
    new.set_defaults(func=cmd_new)

    validate = sub.add_parser("validate", help="instructors: grade the reference, the stub and every mutant, "
                                               "variant and realistic submission of an assignment")
    validate.add_argument("assignment", type=_assignment_option, help="assignment name(s), comma-separated, or 'all'")
    validate.add_argument("--jobs", type=_positive, default=2, help="checks run in parallel (default 2)")
    validate.set_defaults(func=cmd_validate)

    data = sub.add_parser("data", help="find and verify Fashion-MNIST")
    data.add_argument("--install", action="store_true", help="install or download it when missing")
    data.set_defaults(func=cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
