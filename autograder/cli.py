"""Command line: ``autograder grade | check | grade-all | gradescope | kit | otter | stubs | data``."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from autograder.assignments import ASSIGNMENTS, STUDENT_DIR
from autograder.results import Report


def _assignment_names(value: str | None) -> list[str] | None:
    if value in (None, "all"):
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    for name in names:
        if name not in ASSIGNMENTS:
            raise SystemExit(f"autograder: unknown assignment {name!r}; known: {', '.join(ASSIGNMENTS)}")
    return names


def _early_pool(jobs: int):
    """Start the fork servers before this process imports torch: both imports then run at once."""
    from autograder.sandbox import SandboxPool

    return SandboxPool(jobs)


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade a submission (instructors): all checks, hidden included; always writes --out."""
    report = Report(submission=str(args.submission))
    try:
        if not Path(args.submission).exists():
            raise FileNotFoundError(f"no such submission: {args.submission}")
        pool = _early_pool(args.jobs)
        from autograder.grading import Grader

        with Grader(pool=pool) as grader:
            report = grader.grade(Path(args.submission), _assignment_names(args.assignment))
    except BaseException as exc:  # noqa: BLE001 -- still write a valid report
        report.notes.append(f"grading stopped early: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    finally:
        if args.out:
            report.write_json(Path(args.out))
    print(report.to_table(verbose=not args.quiet))
    return 0


def _guess_assignments(path: Path) -> list[str] | None:
    """Which assignments a student's PATH is about: a student file, an assignment folder, or all."""
    for assignment in ASSIGNMENTS.values():
        if path.name in (assignment.filename, assignment.name):
            return [assignment.name]
    return None


def cmd_check(args: argparse.Namespace) -> int:
    """Students: run the visible checks on PATH; exit 1 when anything fails."""
    path = Path(args.path)
    if not path.exists():
        print(f"autograder: {path} does not exist", file=sys.stderr)
        return 2
    names = _assignment_names(args.assignment) or _guess_assignments(path.resolve())
    pool = _early_pool(args.jobs)
    from autograder.grading import Grader

    with Grader(include_hidden=False, pool=pool) as grader:
        report = grader.grade(path, names)
    print(report.to_table(verbose=True))
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
    """Grade a folder of submissions; write per-student results, a CSV gradebook and a summary."""
    from autograder.batch import grade_all

    out_dir = Path(args.out_dir) if args.out_dir else None
    batch = grade_all(Path(args.submissions), jobs=args.jobs, out_dir=out_dir,
                      assignments=_assignment_names(args.assignment))
    if args.csv:
        Path(args.csv).write_text(batch.csv())
    print(batch.summary())
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    from autograder.gradescope.build import build_autograder_zip
    from autograder.gradescope.config import GradescopeConfig

    config = GradescopeConfig(_assignment_names(args.assignment), args.visibility, args.jobs)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade one submission (all checks, hidden included)")
    grade.add_argument("submission", help="submission folder or a single student file")
    grade.add_argument("--assignment", help="assignment name(s), comma-separated, or 'all' (default)")
    grade.add_argument("--out", help="write Gradescope results.json here")
    grade.add_argument("--jobs", type=int, default=1, help="checks run in parallel (default 1)")
    grade.add_argument("--quiet", action="store_true", help="table only, no feedback of failed checks")
    grade.set_defaults(func=cmd_grade)

    check = sub.add_parser("check", help="students: run the public checks on your work")
    check.add_argument("path", nargs="?", default=".", help="your file or folder (default: .)")
    check.add_argument("--assignment", help="assignment name(s), comma-separated")
    check.add_argument("--jobs", type=int, default=1)
    check.set_defaults(func=cmd_check)

    stubs = sub.add_parser("stubs", help="regenerate assignments/ from solutions/")
    stubs.add_argument("--check", action="store_true", help="fail when assignments/ is stale")
    stubs.set_defaults(func=cmd_stubs)

    batch = sub.add_parser("grade-all", help="grade a class: a folder of submissions or a Gradescope export")
    batch.add_argument("submissions", help="folder with one folder or .zip per submission")
    batch.add_argument("--assignment", help="assignment name(s), comma-separated, or 'all' (default)")
    batch.add_argument("--jobs", type=int, default=1)
    batch.add_argument("--csv", help="write the gradebook here")
    batch.add_argument("--out-dir", help="write each results.json, summary.txt and scores.png here")
    batch.set_defaults(func=cmd_grade_all)

    gradescope = sub.add_parser("gradescope", help="build the Gradescope autograder zip")
    gradescope.add_argument("--assignment", default="all", help="assignment name(s) or 'all'")
    gradescope.add_argument("--out", default="autograder.zip")
    gradescope.add_argument("--visibility", default="visible",
                            help="visibility of the total score: visible, hidden, after_due_date, after_published")
    gradescope.add_argument("--jobs", type=int, default=1, help="checks run in parallel on Gradescope")
    gradescope.set_defaults(func=cmd_gradescope)

    kit = sub.add_parser("kit", help="build the student kit zip (no solutions, no hidden checks)")
    kit.add_argument("--out", default="student-kit.zip")
    kit.set_defaults(func=cmd_kit)

    otter = sub.add_parser("otter", help="Otter-Grader front-end").add_subparsers(dest="otter_command", required=True)
    otter_export = otter.add_parser("export", help="write Otter test files that call the registered checks")
    otter_export.add_argument("--assignment", default="all", help="assignment name(s) or 'all'")
    otter_export.add_argument("--out", default="otter", help="folder to write tests/ into")
    otter_export.add_argument("--public", action="store_true", help="visible checks only (for students' otter check)")
    otter_export.set_defaults(func=cmd_otter_export)

    data = sub.add_parser("data", help="find and verify Fashion-MNIST")
    data.add_argument("--install", action="store_true", help="install or download it when missing")
    data.set_defaults(func=cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
