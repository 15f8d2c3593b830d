"""Command line: ``autograder grade | check | grade-all | gradescope | kit | otter | stubs | data | new | validate``."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from autograder.course import ASSIGNMENTS, PROJECT_ROOT, STUDENT_DIR
from autograder.files import BadArchive, Unpacked, parse_source
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

    Exits 2 when the path does not exist or is a zip that cannot be unpacked (the submission's fault,
    still written to --out as a 0 report saying why), 3 when the grader could not grade (dataset,
    dependencies, a grader fault during a check): infrastructure is never reported as the student's score.
    """
    from autograder.preflight import InfrastructureError

    report = Report(submission=str(args.submission))
    status = 0
    path = Path(args.submission)
    try:
        if not path.exists():
            report.errors.append(f"no such submission: {args.submission}")
            return (status := _fail(f"no such submission: {args.submission}", EXIT_USAGE))
        with Unpacked(path) as submission:
            names = _assignment_names(args.assignment) or _guess_assignments(path, submission)
            pool = _early_pool(args.jobs, names)
            from autograder.grading import Grader

            with Grader(pool=pool) as grader:
                report = grader.grade(submission, names)
        report.submission = str(args.submission)
        if report.errors:
            status = _fail(f"the grader failed on {len(report.errors)} check(s) (see GRADER ERROR above); "
                           "fix the grader and regrade", EXIT_GRADER)
    except BadArchive as exc:
        report.notes.append(f"{exc}; nothing was graded.")
        report.attention.append("bad zip")
        status = _fail(str(exc), EXIT_USAGE)
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


def _guess_assignments(path: Path, unpacked: Path) -> list[str] | None:
    """Which assignments a student's PATH is about: an assignment folder's name, or the assignments
    whose file it holds (a file by its name or its definitions); None: none can be told."""
    from autograder.discovery import infer_assignments, present

    path = path if path.is_symlink() else path.resolve()
    named = infer_assignments(path, ASSIGNMENTS)
    if named or (path.is_file() and path.suffix.lower() != ".zip"):
        return named
    return present(unpacked, ASSIGNMENTS) or None


def cmd_check(args: argparse.Namespace) -> int:
    """Students: run the visible checks on PATH (the assignments it holds); exit 1 when anything fails,
    2 when PATH holds no assignment's file or is a zip that cannot be unpacked."""
    from autograder.preflight import InfrastructureError

    path = Path(args.path)
    if not path.exists():
        return _fail(f"{path} does not exist", EXIT_USAGE)
    try:
        with Unpacked(path) as submission:
            names = _assignment_names(args.assignment) or _guess_assignments(path, submission)
            if names is None:
                return _fail(_nothing_to_check(path), EXIT_USAGE)
            report = _check(submission, names, args.jobs)
    except BadArchive as exc:
        return _fail(str(exc), EXIT_USAGE)
    except InfrastructureError as exc:
        return _fail(f"cannot check your work on this machine: {exc}", EXIT_GRADER)
    report.submission = str(path)
    saved = _save_figures(report, path.parent if path.is_file() else path)
    print(report.to_table(verbose=True))
    if saved:
        print("".join(f"\n  figure of {name}: {where}" for name, where in saved))
    if report.errors:
        return _fail("the grader failed on some checks (see GRADER ERROR above); tell your instructor", EXIT_GRADER)
    return 0 if report.score >= report.max_score else 1


def _check(submission: Path, names: list[str], jobs: int) -> Report:
    """The visible checks of ``names`` on ``submission``, with a progress line."""
    pool = _early_pool(jobs, names)
    progress = ProgressLine()
    progress.start(", ".join(names))
    from autograder.grading import Grader

    try:
        with Grader(include_hidden=False, pool=pool) as grader:
            return grader.grade(submission, names, on_result=progress)
    finally:
        progress.close()


def _save_figures(report: Report, folder: Path) -> list[tuple[str, Path]]:
    """Every figure of the feedback written next to the student's file as PNG (a terminal cannot show
    one): ``autograder-a4_vanishing-6.1.png``; the feedback names the file instead."""
    from autograder.figures import save_images

    saved = []
    for result in report.results:
        stem = f"autograder-{result.assignment}-{result.number}"
        result.output, paths = save_images(result.output, lambda i: folder / (f"{stem}-{i + 1}.png" if i else f"{stem}.png"))
        saved += [(f"{result.assignment} {result.number}", p) for p in paths]
    return saved


def _nothing_to_check(path: Path) -> str:
    """Why ``check PATH`` has nothing to grade, and what would be graded."""
    if path.is_file() and path.suffix.lower() != ".zip":
        why = "its name and the functions it defines match none"
        if path.suffix.lower() == ".py" and parse_source(path.read_text(errors="replace")) is None:
            why = "its name matches none, and it does not parse, so what it defines cannot be read"
        return (f"cannot tell which assignment {path.name} is ({why}); name it: autograder check {path} "
                f"--assignment NAME (one of {', '.join(ASSIGNMENTS)})")
    expected = ", ".join(a.filename for a in ASSIGNMENTS.values())
    return f"no assignment's file was found in {path} (expected one of {expected}, or a notebook of that name)"


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
    """Grade a folder of submissions; write per-student results, a CSV gradebook and a summary (by
    default into FOLDER-graded/ next to FOLDER, so that one command gives everything) and say where.

    Without --assignment, the assignments some submission holds are graded (not all five: a class hands
    in one, and every student would otherwise need attention for four missing files).
    Exits 2 for a folder that does not exist or holds no submissions, 3 when the grader cannot grade
    (nothing is graded then) or failed on some submission (everything else is still written).
    """
    from autograder.batch import ACCEPTED_LAYOUTS, default_out_dir, discover, grade_all, present_assignments
    from autograder.preflight import InfrastructureError

    folder = Path(args.submissions)
    if not folder.is_dir():
        return _fail(f"{folder} is not a folder of submissions" + ("" if folder.exists() else " (it does not exist)"),
                     EXIT_USAGE)
    students = discover(folder)
    if not students:
        return _fail(f"no submissions found in {folder}; accepted layouts: {ACCEPTED_LAYOUTS}", EXIT_USAGE)
    names = _assignment_names(args.assignment)
    if args.assignment is None:  # 'all' grades all five
        found = present_assignments(students)
        names = list(found) or None
        held = ", ".join(f"{name} (in {count} of {len(students)} submissions)" for name, count in found.items())
        print(f"grading {held}: inferred from the submissions (--assignment chooses)" if found else
              "no submission holds a file of any assignment that could be recognised: grading all of them")
    out_dir = Path(args.out_dir) if args.out_dir else default_out_dir(folder)
    csv_path = Path(args.csv) if args.csv else out_dir / "grades.csv"
    try:
        batch = grade_all(folder, jobs=args.jobs, out_dir=out_dir, assignments=names)
    except InfrastructureError as exc:
        return _fail(f"cannot grade: {exc}", EXIT_GRADER)
    csv_path.write_text(batch.csv())
    print(batch.summary())
    reports = f"{out_dir / '<submission>' / 'results.json'} (one per submission)"
    print("wrote:", *(f"  {path}" for path in (csv_path, reports, *batch.written)), sep="\n")
    failed = [r.submission for r in batch.reports if r.errors]
    if failed:
        return _fail(f"the grader failed on {len(failed)} submission(s): {', '.join(failed[:10])}; fix it and regrade",
                     EXIT_GRADER)
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    """Build the autograder zip (``all``: one per assignment); with --try, run it on a submission as Gradescope would.

    Exits 2 without --assignment (one zip of all five does not fit Gradescope's default memory), 3 when
    the tried zip left no results or results saying that the autograder failed; a student's low score is 0.
    """
    from autograder.gradescope.build import build_autograder_zip
    from autograder.gradescope.config import ONE_ZIP_MEMORY, GradescopeConfig

    if args.assignment is None:
        return _fail(f"gradescope needs --assignment NAME[,NAME...] or 'all' (one zip per assignment): "
                     f"{ONE_ZIP_MEMORY}", EXIT_USAGE)
    names = _assignment_names(args.assignment)
    upload = Path(args.try_) if args.try_ is not None else None
    if upload is not None and names is None:
        return _fail("--try runs one zip: name its assignment(s) instead of 'all'", EXIT_USAGE)
    if upload is not None and not upload.exists():
        return _fail(f"no such submission: {upload}", EXIT_USAGE)
    out = Path(args.out)
    zips = {out: names} if names else {out.with_name(f"{out.stem}-{name}{out.suffix}"): [name] for name in ASSIGNMENTS}
    for path, chosen in zips.items():
        written = build_autograder_zip(path, GradescopeConfig(chosen, args.visibility, args.jobs, args.hidden_visibility))
        print(f"wrote {path} ({len(written)} files) for {', '.join(chosen)}")
    return 0 if upload is None else _try_zip(out, upload, args.timeout)


def _try_zip(zip_path: Path, upload: Path, timeout_s: int) -> int:
    """Run ``zip_path`` on ``upload`` in a scratch /autograder tree; keep its results.json next to the zip."""
    import shutil
    import subprocess
    import tempfile

    from autograder.gradescope.emulator import run_gradescope

    kept = zip_path.with_suffix(".results.json")
    with tempfile.TemporaryDirectory(prefix="autograder-try-") as scratch:
        try:
            run = run_gradescope(zip_path, upload, Path(scratch), timeout_s)
        except ValueError as exc:
            return _fail(f"cannot store {upload} as Gradescope would: {exc}", EXIT_USAGE)
        except subprocess.TimeoutExpired:
            return _fail(f"run_autograder did not finish within {timeout_s} s: Gradescope would stop it and "
                         "show the student no results", EXIT_GRADER)
        print(run.stdout.rstrip())
        if run.results is not None:
            shutil.copyfile(run.results_path, kept)
    if run.results is None:
        return _fail("run_autograder left no readable results.json (see its output above)", EXIT_GRADER)
    total = sum(test["max_score"] for test in run.results["tests"])
    print(f"results.json: {kept} (score {run.results['score']:g} / {total:g}, {run.seconds:.1f} s)")
    if run.grader_failed:
        return _fail(f"the autograder failed on this submission (see its output above and {kept})", EXIT_GRADER)
    return 0


def cmd_kit(args: argparse.Namespace) -> int:
    from autograder.kit import build_kit

    names = build_kit(Path(args.out))
    print(f"wrote {args.out} ({len(names)} files): assignments, handouts and the public checks")
    return 0


def cmd_otter_export(args: argparse.Namespace) -> int:
    from autograder.frontends.inprocess import ReferenceUnavailable
    from autograder.frontends.otter import export

    try:
        written = export(Path(args.out), _assignment_names(args.assignment), include_hidden=not args.public)
    except ReferenceUnavailable as exc:
        return _fail(f"cannot export: {exc}", EXIT_GRADER)
    print("wrote " + ", ".join(str(p) for p in written))
    tests = Path(args.out) / "tests"
    print(f"next: otter check FILE.py -t {tests} -q ASSIGNMENT" if args.public else
          f"next: otter generate -t {tests} -o autograder.zip   (then: otter run -a autograder.zip FILE.py)")
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


#: Whether the instructor's tools are here: the student kit leaves out the Gradescope builder and the
#: authoring tools, so its ``autograder`` offers only what works without them.
INSTRUCTOR_TOOLS = importlib.util.find_spec("autograder.gradescope") is not None


def _add_gradescope(sub: argparse._SubParsersAction) -> None:
    from autograder.gradescope.config import ONE_ZIP_MEMORY
    from autograder.gradescope.emulator import TIMEOUT_S

    gradescope = sub.add_parser("gradescope", help="build the Gradescope autograder zip; --try runs it locally")
    gradescope.add_argument("--assignment", type=_assignment_option,
                            help="required (no default): the zip's assignment(s), comma-separated, or 'all' for "
                                 f"one zip per assignment (autograder-a1_init.zip, ... for the default --out); {ONE_ZIP_MEMORY}")
    gradescope.add_argument("--out", default="autograder.zip", help="the zip to write (default: %(default)s)")
    gradescope.add_argument("--visibility", default="visible", choices=VISIBILITIES,
                            help="when students see their results and total score (default: %(default)s)")
    gradescope.add_argument("--hidden-visibility", default="after_published", choices=HIDDEN_VISIBILITIES,
                            help="when students see the hidden checks (default: %(default)s; "
                                 "'hidden' never shows them)")
    gradescope.add_argument("--jobs", type=_positive, default=1,
                            help="checks run in parallel on Gradescope (default: %(default)s)")
    gradescope.add_argument("--try", dest="try_", metavar="SUBMISSION",
                            help="then run the zip on SUBMISSION (a file, a folder or a zip, as a student uploads "
                                 "it) as Gradescope would, print the checks, and keep results.json next to --out "
                                 "(autograder.results.json for the default --out); exit 3 if the autograder "
                                 "failed (default: build only)")
    gradescope.add_argument("--timeout", type=_positive, default=TIMEOUT_S,
                            help="with --try: seconds before run_autograder is stopped, as Gradescope's "
                                 "autograder timeout (default: %(default)s, Gradescope's default)")
    gradescope.set_defaults(func=cmd_gradescope)


def _add_authoring(sub: argparse._SubParsersAction) -> None:
    new = sub.add_parser("new", help="instructors: scaffold a new assignment from the template")
    new.add_argument("name", help="the assignment's name, aN_topic (e.g. a6_dropout)")
    new.add_argument("--title", help="its title in reports and the handout (default: the name)")
    new.add_argument("--file", help="the student file (default: the topic, e.g. dropout.py)")
    new.set_defaults(func=cmd_new)

    validate = sub.add_parser("validate", help="instructors: grade the reference, the stub and every mutant, "
                                               "variant and realistic submission of an assignment")
    validate.add_argument("assignment", type=_assignment_option, help="assignment name(s), comma-separated, or 'all'")
    validate.add_argument("--jobs", type=_positive, default=2, help="checks run in parallel (default: 2)")
    validate.set_defaults(func=cmd_validate)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="autograder", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade one submission (all checks, hidden included)")
    grade.add_argument("submission", help="submission folder or a single student file")
    grade.add_argument("--assignment", type=_assignment_option,
                       help="assignment name(s), comma-separated, or 'all' (default: those the submission holds, "
                            "all when it holds none)")
    grade.add_argument("--out", help="write Gradescope results.json here (default: none written)")
    grade.add_argument("--jobs", type=_positive, default=1, help="checks run in parallel (default: 1)")
    grade.add_argument("--quiet", action="store_true", help="table only, no feedback of failed checks (default: off)")
    grade.set_defaults(func=cmd_grade)

    check = sub.add_parser("check", help="students: run the public checks on your work")
    check.add_argument("path", nargs="?", default=".", help="your file or folder (default: .)")
    check.add_argument("--assignment", type=_assignment_option,
                       help="assignment name(s), comma-separated (default: those PATH holds)")
    check.add_argument("--jobs", type=_positive, default=1, help="checks run in parallel (default: 1)")
    check.set_defaults(func=cmd_check)

    stubs = sub.add_parser("stubs", help="regenerate assignments/ from solutions/")
    stubs.add_argument("--check", action="store_true", help="only report, and fail when assignments/ is stale "
                                                           "(default: regenerate)")
    stubs.set_defaults(func=cmd_stubs)

    batch = sub.add_parser("grade-all", help="grade a class: a folder of submissions or a Gradescope export")
    batch.add_argument("submissions", help="folder with one folder or .zip per submission")
    batch.add_argument("--assignment", type=_assignment_option,
                       help="assignment name(s), comma-separated, or 'all' (default: those the submissions hold)")
    batch.add_argument("--jobs", type=_positive, default=1, help="submissions graded in parallel (default: 1)")
    batch.add_argument("--csv", help="write the gradebook here (default: OUT_DIR/grades.csv)")
    batch.add_argument("--out-dir", help="write each submission's results.json, summary.txt, summary.json and "
                                         "scores.png here (default: SUBMISSIONS-graded, next to SUBMISSIONS)")
    batch.set_defaults(func=cmd_grade_all)

    if INSTRUCTOR_TOOLS:
        _add_gradescope(sub)

    kit = sub.add_parser("kit", help="build the student kit zip (no solutions, no hidden checks)")
    kit.add_argument("--out", default="student-kit.zip", help="the zip to write (default: %(default)s)")
    kit.set_defaults(func=cmd_kit)

    otter = sub.add_parser("otter", help="Otter-Grader front-end").add_subparsers(dest="otter_command", required=True)
    otter_export = otter.add_parser("export", help="write Otter test files that call the registered checks")
    otter_export.add_argument("--assignment", type=_assignment_option, default="all",
                              help="assignment name(s) or 'all' (default: all)")
    otter_export.add_argument("--out", default="otter", help="folder to write tests/ into (default: otter)")
    otter_export.add_argument("--public", action="store_true",
                              help="visible checks only, for students' otter check (default: hidden ones too)")
    otter_export.set_defaults(func=cmd_otter_export)

    if INSTRUCTOR_TOOLS:
        _add_authoring(sub)

    data = sub.add_parser("data", help="find and verify Fashion-MNIST")
    data.add_argument("--install", action="store_true", help="install or download it when missing (default: "
                                                             "only find and verify)")
    data.set_defaults(func=cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
