"""pytest front-end: ``pytest --submission PATH [--assignment NAME] [--public-only] [--no-sandbox]``.

Every registered check becomes a pytest item ``<assignment>::<number> <name>``, so the usual
workflow applies (``-k``, ``-x``, ``--lf``, ``-v``, node ids as arguments). The items are a view of
the grading core: the first item of an assignment grades the selected checks, and the checks they
repeat, with :meth:`Grader.grade` (once), and every item reads its result from that report, so the
charge-once rule and the time budget decide as in ``autograder grade``. ``--no-sandbox`` judges the
checks in-process instead (no isolation, no timeouts), charged once the same way. The failure
message is the check's feedback; a points summary closes the run. Without ``--submission`` the
plugin does nothing.
"""

from __future__ import annotations

import atexit
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from autograder import discovery
from autograder.course import ASSIGNMENTS, Assignment
from autograder.figures import strip_images
from autograder.files import BadArchive, Unpacked
from autograder.registry import Check, checks_for
from autograder.results import CheckResult, Report

if TYPE_CHECKING:
    from autograder.frontends.inprocess import InProcessGrading
    from autograder.grading import Grader

_ASSIGNMENTS: pytest.StashKey[list[Assignment]] = pytest.StashKey()
_EARNED: pytest.StashKey[dict[str, tuple[float, float]]] = pytest.StashKey()
_REPORTS: pytest.StashKey[dict[str, Report]] = pytest.StashKey()
_IN_PROCESS: pytest.StashKey[dict[str, InProcessGrading]] = pytest.StashKey()
_SUBMISSION: pytest.StashKey[Path] = pytest.StashKey()

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder", "grade a submission with the autograder's checks")
    group.addoption("--submission", help="submission folder or student file to grade")
    group.addoption("--assignment", help="assignment name(s), comma-separated (default: all found)")
    group.addoption("--no-sandbox", action="store_true",
                    help="run checks in-process (no isolation, no timeouts): for debugging")
    group.addoption("--public-only", action="store_true", help="visible checks only")


class CheckFailure(Exception):
    """A check that did not earn all its points; the message is its feedback."""


class AssignmentNode(pytest.Collector):
    """Groups one assignment's checks, so node ids read ``a1_init::1.3 ...``."""

    def collect(self):  # items are added by pytest_collection
        return []


class CheckItem(pytest.Item):
    def __init__(self, *, check: Check, assignment: Assignment, **kwargs) -> None:
        super().__init__(**kwargs)
        self.check, self.assignment = check, assignment
        self.user_properties.append(("points", check.points))

    def runtest(self) -> None:
        result = _in_process_result(self) if self.config.getoption("no_sandbox") else _graded_result(self)
        self.config.stash[_EARNED][self.nodeid] = (result.score, result.max_score)
        self.user_properties.append(("score", result.score))  # --junitxml carries each check's score
        if result.score < result.max_score:
            raise CheckFailure(f"{result.score:g} / {result.max_score:g} points\n\n{strip_images(result.output)}")
        self.add_report_section("call", "autograder", strip_images(result.output))  # shown by -rP

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return _submission(self.config), None, f"{self.assignment.name} {self.check.number} {self.check.name}"


def _submission(config: pytest.Config) -> Path:
    """The submission graded: ``--submission``, a zip unpacked for the session (as ``autograder grade``)."""
    return config.stash[_SUBMISSION]


def _graded_result(item: CheckItem) -> CheckResult:
    """The item's result in its assignment's report, graded at the assignment's first item: the checks
    selected in this session and those they repeat (the charge-once rule reads them)."""
    reports = item.config.stash.setdefault(_REPORTS, {})
    name = item.assignment.name
    if name not in reports:
        selected = [i.check for i in item.session.items if isinstance(i, CheckItem) and i.assignment == item.assignment]
        only = {c.number for c in selected} | {n for c in selected for n in c.repeats}
        from autograder.preflight import InfrastructureError

        try:
            reports[name] = _grader(item.config).grade(_submission(item.config), [name], only=only)
        except InfrastructureError as exc:  # the machine's, not a check's: said once, as `autograder grade` does
            pytest.exit(f"autograder: cannot grade: {exc}", returncode=3)
    return next(r for r in reports[name].results if r.number == item.check.number)


def _in_process_result(item: CheckItem) -> CheckResult:
    """The item's result judged in this process, its assignment's checks kept for the session."""
    from autograder.frontends import inprocess

    gradings = item.config.stash.setdefault(_IN_PROCESS, {})
    assignment = item.assignment
    if assignment.name not in gradings:
        found = discovery.locate(_submission(item.config), assignment, True)  # one assignment at a time, as grade's
        if found.path is None:
            return CheckResult(assignment.name, item.check.number, item.check.name, item.check.points, 0.0,
                               found.problem or "")
        gradings[assignment.name] = inprocess.InProcessGrading(
            assignment, lambda: inprocess.import_file(found.path, assignment.module_name),
            inprocess.reference_for(assignment))
    return gradings[assignment.name].result(item.check.number)


#: The grader of this process, kept for its settings (hidden checks or not, the assignments its fork
#: servers warm up for): pytest run again in one process (an IDE, a driver grading many submissions)
#: does not start the fork servers again. Closed when the process exits.
_kept: dict[tuple[bool, tuple[str, ...]], "Grader"] = {}


def _grader(config: pytest.Config) -> "Grader":
    from autograder.grading import Grader

    key = (not config.getoption("public_only"), tuple(a.name for a in config.stash[_ASSIGNMENTS]))
    if key not in _kept:
        _close_kept()
        _kept[key] = Grader(jobs=1, include_hidden=key[0], assignments=key[1])
    return _kept[key]


@atexit.register
def _close_kept() -> None:
    for grader in _kept.values():
        grader.close()
    _kept.clear()


def _chosen(submission: Path, names: str | None) -> list[Assignment]:
    """The assignments to grade: those named, else those whose file the submission holds (as
    ``autograder grade`` finds them). A bad path or name, or nothing to grade, is a usage error."""
    if not submission.exists():
        raise pytest.UsageError(f"--submission {submission}: no such file or folder")
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in ASSIGNMENTS]
        if unknown:
            raise pytest.UsageError(f"--assignment: unknown assignment {unknown[0]!r}; known: {', '.join(ASSIGNMENTS)}")
        return [ASSIGNMENTS[n] for n in wanted]
    found = discovery.present(submission, ASSIGNMENTS)
    if not found:
        expected = ", ".join(a.filename for a in ASSIGNMENTS.values())
        raise pytest.UsageError(f"--submission {submission}: no assignment's file found (expected one of {expected}, "
                                "or a notebook of that name); name the assignment with --assignment to grade it anyway")
    return [ASSIGNMENTS[n] for n in found]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_EARNED] = {}
    if config.getoption("submission"):
        given = Path(config.getoption("submission"))
        kept = contextlib.ExitStack()   # a zip's unpacked folder lives for the session
        config.add_cleanup(kept.close)
        try:
            config.stash[_SUBMISSION] = kept.enter_context(Unpacked(given))
        except BadArchive as exc:
            raise pytest.UsageError(f"--submission {given}: {exc}") from None
        config.stash[_ASSIGNMENTS] = _chosen(_submission(config), config.getoption("assignment"))


def _node_ids(config: pytest.Config) -> list[str] | None:
    """The node ids given as arguments (``a1_init``, ``a1_init::1.3`` or a full item id); None: none given
    (pytest then fills ``config.args`` with the test paths or the current folder)."""
    return list(config.args) if config.args_source == pytest.Config.ArgsSource.ARGS else None


def _matches(item: CheckItem, node_id: str) -> bool:
    assignment, _, name = node_id.partition("::")
    return assignment == item.assignment.name and name in ("", item.name, item.check.number)


def pytest_collection(session: pytest.Session) -> bool | None:
    """With --submission, the items are the checks (no test files are collected)."""
    config = session.config
    if not config.getoption("submission"):
        return None
    node_ids = _node_ids(config)
    items = []
    for assignment in config.stash[_ASSIGNMENTS]:
        group = AssignmentNode.from_parent(session, name=assignment.name, nodeid=assignment.name)
        checks = [CheckItem.from_parent(group, name=f"{check.number} {check.name}", check=check, assignment=assignment)
                  for check in checks_for(assignment.name, include_hidden=not config.getoption("public_only"))]
        checks = [c for c in checks if node_ids is None or any(_matches(c, n) for n in node_ids)]
        if checks:
            # reported like a collected module, so the header counts the checks ("collected 25 items")
            config.hook.pytest_collectreport(report=pytest.CollectReport(group.nodeid, "passed", None, checks))
        items += checks
    unmatched = [n for n in node_ids or () if not any(_matches(i, n) for i in items)]
    if unmatched:
        raise pytest.UsageError(f"not found: {unmatched[0]} (checks are named <assignment>::<number> <name>; "
                                "see --collect-only)")
    session.items = items
    config.hook.pytest_collection_modifyitems(session=session, config=config, items=session.items)
    config.hook.pytest_collection_finish(session=session)
    session.testscollected = len(session.items)
    return True


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    earned = config.stash.get(_EARNED, {})
    if earned and config.getoption("submission"):
        for report in config.stash.get(_REPORTS, {}).values():
            for note in report.notes:
                terminalreporter.write_line(f"autograder: {note}")
        score = sum(e for e, _ in earned.values())
        total = sum(m for _, m in earned.values())
        terminalreporter.write_sep("=", f"autograder: {score:g} / {total:g} points in {len(earned)} checks")
