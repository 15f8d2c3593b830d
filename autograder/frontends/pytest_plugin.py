"""pytest front-end: ``pytest --submission PATH [--assignment NAME] [--no-sandbox]``.

Every registered check becomes a pytest item ``<assignment>::<number> <name>``, so the usual
workflow applies (``-k``, ``-x``, ``--lf``, ``-v``). Items run through the sandbox unless
``--no-sandbox`` is given; the failure message is the check's feedback, and a points summary
closes the run. Without ``--submission`` the plugin does nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, Assignment, get_assignment
from autograder.discovery import find_student_file
from autograder.figures import strip_images
from autograder.registry import Check, checks_for

_EARNED = pytest.StashKey[dict]()
_IMPORT_GATES = pytest.StashKey[dict]()


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
    def __init__(self, *, check: Check, assignment: Assignment, student_file: Path | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.check, self.assignment, self.student_file = check, assignment, student_file
        self.user_properties.append(("points", check.points))

    def runtest(self) -> None:
        if self.config.getoption("no_sandbox"):
            fraction, message = _run_in_process(self)
        else:
            grader = _grader(self.config)
            result = grader.run_check(self.assignment, self.student_file, self.check, _import_error(self))
            fraction, message = result.score / result.max_score if result.max_score else 1.0, result.output
        self.config.stash[_EARNED][self.nodeid] = (self.check.points * fraction, self.check.points)
        if fraction < 1.0:
            raise CheckFailure(f"{fraction * self.check.points:g} / {self.check.points:g} points\n\n"
                               f"{strip_images(message)}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.student_file or Path("."), None, f"{self.assignment.name} {self.check.number} {self.check.name}"


def _run_in_process(item: CheckItem) -> tuple[float, str]:
    from autograder.frontends.inprocess import InProcessSubmission, import_file
    from autograder.grading import judge

    if item.student_file is None:
        return 0.0, f"{item.assignment.filename} was not found in the submission."

    name = item.assignment.module_name
    reference_file = find_student_file(SOLUTIONS_DIR, item.assignment)
    reference = (InProcessSubmission(item.assignment, import_file(reference_file, name), item.check.id)
                 if reference_file else None)
    sub = InProcessSubmission(item.assignment, import_file(item.student_file, name), item.check.id, reference=reference)
    return judge(item.check, sub, item.assignment.filename)


def _import_error(item: CheckItem) -> str | None:
    """The import gate of the item's assignment, run once per session (not once per check)."""
    gates = item.config.stash.setdefault(_IMPORT_GATES, {})
    if item.assignment.name not in gates:
        submission = Path(item.config.getoption("submission"))
        gates[item.assignment.name] = _grader(item.config).import_error(submission, item.assignment)
    return gates[item.assignment.name]


def _grader(config: pytest.Config):
    grader = getattr(config, "_autograder_grader", None)
    if grader is None:
        from autograder.grading import Grader

        grader = Grader(jobs=1, include_hidden=not config.getoption("public_only"))
        config._autograder_grader = grader
    return grader


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_EARNED] = {}


def pytest_collection(session: pytest.Session) -> bool | None:
    """With --submission, the items are the checks (no test files are collected)."""
    config = session.config
    submission = config.getoption("submission")
    if not submission:
        return None
    names = config.getoption("assignment")
    chosen = [get_assignment(n.strip()) for n in names.split(",")] if names else list(ASSIGNMENTS.values())
    items = []
    for assignment in chosen:
        student_file = find_student_file(Path(submission), assignment)
        if student_file is None and not names:
            continue  # grade only the assignments this submission has, unless asked for
        group = AssignmentNode.from_parent(session, name=assignment.name, nodeid=assignment.name)
        checks = [CheckItem.from_parent(group, name=f"{check.number} {check.name}", check=check,
                                        assignment=assignment, student_file=student_file)
                  for check in checks_for(assignment.name, include_hidden=not config.getoption("public_only"))]
        # reported like a collected module, so the header counts the checks ("collected 25 items")
        config.hook.pytest_collectreport(report=pytest.CollectReport(group.nodeid, "passed", None, checks))
        items += checks
    session.items = items
    config.hook.pytest_collection_modifyitems(session=session, config=config, items=session.items)
    config.hook.pytest_collection_finish(session=session)
    session.testscollected = len(session.items)
    return True


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    earned = config.stash.get(_EARNED, {})
    if earned and config.getoption("submission"):
        score = sum(e for e, _ in earned.values())
        total = sum(m for _, m in earned.values())
        terminalreporter.write_sep("=", f"autograder: {score:g} / {total:g} points in {len(earned)} checks")


def pytest_unconfigure(config: pytest.Config) -> None:
    grader = getattr(config, "_autograder_grader", None)
    if grader is not None:
        grader.close()
