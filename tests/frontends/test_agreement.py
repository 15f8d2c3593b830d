"""Every door gives the corpus the same verdicts (issue 24): ``autograder grade`` (:meth:`Grader.grade`),
the pytest plugin (``pytest --submission``, read from its ``--junitxml``) and Otter's test cases
(:func:`autograder.frontends.otter.run_check`, in-process as Otter runs them).

The pytest plugin must give every check grade's score. Otter's test cases are all-or-nothing, so
Otter must pass exactly the checks grade gives full points. Each door grades an assignment's whole
corpus in one run (one grader, one pytest process, one Python process for Otter). a1_init and a2_split
are graded whole (3 to 4 minutes on 2 cores); of a3-a5, whose checks train networks, the default run
grades the reference (under a minute) and the ``slow`` marker holds the rest of their corpus (4 to 10
minutes each, about 20 in all: ``make test-doors`` runs it; ``make test`` leaves it out to stay within 20 minutes).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograder import discovery
from autograder.authoring import corpus as corpora
from autograder.course import SOLUTIONS_DIR, get_assignment
from autograder.frontends.inprocess import encode_recorded, import_file, reference_outcomes
from autograder.frontends.otter import run_check
from autograder.grading import Grader
from autograder.registry import checks_for

DRIVER = Path(__file__).with_name("pytest_door.py")

#: (assignment, submission, check) -> why Otter's verdict differs from grade's, deliberately (README,
#: "Otter-Grader users"). Otter replays the reference's outcomes recorded at export, for the arguments
#: the reference itself was called with; a check that calls the reference with arguments taken from the
#: student's answer finds none recorded, and its test case fails.
OTTER_DIFFERS = {
    ("a5_approx", "mutants/relu_two_layers", "3.2"):
        "3.2 builds the reference network with the student's hidden widths (two layers, not three)",
}

#: Of a3-a5, the submissions every run grades (the rest are ``slow``).
QUICK = {"a3_train": {"reference"}, "a4_vanishing": {"reference"}, "a5_approx": {"reference"}}


def submissions(assignment: str, scratch: Path) -> dict[str, Path]:
    """Name -> submission path: the reference and the whole corpus (mutants, variants, realistic cases)."""
    corpus = corpora.corpus_of(assignment)
    found = {"reference": SOLUTIONS_DIR / assignment}
    for path in corpus.mutant_paths():
        found[f"mutants/{path.stem}"] = corpora.write_submission(
            scratch / "mutants" / path.stem, assignment, corpora.load_mutant(path).source)
    for path in corpus.variant_paths():
        found[f"variants/{path.stem}"] = corpora.write_submission(
            scratch / "variants" / path.stem, assignment, corpora.variant_source(path))
    for case in corpus.cases():
        found[f"realistic/{case.name}"] = corpora.case_target(case, scratch)
    return found


def grade_door(grader: Grader, assignment: str, chosen: dict[str, Path]) -> dict[str, dict[str, float]]:
    """Name -> check number -> score, as ``autograder grade PATH --assignment A`` gives it."""
    return {name: {r.number: r.score for r in grader.grade(path, [assignment]).results}
            for name, path in chosen.items()}


class PytestDoor:
    """``pytest --submission PATH --assignment A --junitxml J`` for each submission, run in a process of
    its own while the other doors grade (:mod:`tests.frontends.pytest_door`)."""

    def __init__(self, assignment: str, chosen: dict[str, Path], scratch: Path) -> None:
        self.junits = {name: scratch / f"{i}.xml" for i, name in enumerate(chosen)}
        jobs = [[str(chosen[name]), assignment, str(junit)] for name, junit in self.junits.items()]
        (scratch / "jobs.json").write_text(json.dumps(jobs))
        self.process = subprocess.Popen([sys.executable, str(DRIVER), str(scratch / "jobs.json")], cwd=scratch,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def scores(self) -> dict[str, dict[str, float]]:
        """Name -> check number -> score, read from each run's ``--junitxml``."""
        output, _ = self.process.communicate(timeout=3600)
        assert self.process.returncode == 0, output[-3000:]
        return {name: {case.get("name").split()[0]: float(prop.get("value"))
                       for case in ET.parse(junit).getroot().iter("testcase")
                       for prop in case.iter("property") if prop.get("name") == "score"}
                for name, junit in self.junits.items()}


def otter_door(assignment: str, chosen: dict[str, Path]) -> dict[str, dict[str, bool]]:
    """Name -> check number -> passed, from the test cases Otter runs on the student's environment
    (the file graded executed once, every check run on it)."""
    spec = get_assignment(assignment)
    reference = encode_recorded(reference_outcomes([assignment], include_hidden=True)[assignment]) or None
    numbers = [c.number for c in checks_for(assignment)]
    passed = {}
    for name, path in chosen.items():
        staged = discovery.find_student_file(path, spec, True)
        try:  # in a scratch folder, as Otter runs in the student's: what the file writes stays out of the project
            with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
                env = vars(import_file(staged, spec.module_name)) if staged is not None else None
        except Exception:  # noqa: BLE001 -- Otter cannot run a file that fails to execute: every case fails
            env = None
        passed[name] = {number: env is not None and _otter_passes(env, assignment, number, reference)
                        for number in numbers}
    return passed


def _otter_passes(env: dict, assignment: str, number: str, reference: str | None) -> bool:
    try:
        run_check(env, assignment, number, reference)
    except AssertionError:
        return False
    return True


def disagreements(assignment: str, graded: dict, viewed: dict, otter: dict) -> list[str]:
    """One line per check on which a door disagrees with grade."""
    maximum = {c.number: c.points for c in checks_for(assignment)}
    lines = []
    for name, scores in graded.items():
        for number, score in scores.items():
            if viewed[name].get(number) != score:
                lines.append(f"{name} {number}: grade {score:g}, pytest {viewed[name].get(number)}")
            if otter[name][number] != (score >= maximum[number]) and (assignment, name, number) not in OTTER_DIFFERS:
                lines.append(f"{name} {number}: grade {score:g} of {maximum[number]:g}, otter "
                             f"{'passes' if otter[name][number] else 'fails'}")
    return lines


def _agree(grader: Grader, assignment: str, chosen: dict[str, Path], scratch: Path) -> None:
    door = PytestDoor(assignment, chosen, scratch)  # while grade's and Otter's doors run here
    graded = grade_door(grader, assignment, chosen)
    otter = otter_door(assignment, chosen)
    viewed = door.scores()
    assert set(viewed) == set(graded) and all(graded[n] for n in graded)
    problems = disagreements(assignment, graded, viewed, otter)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ["a1_init", "a2_split"])
def test_every_door_agrees_on_the_whole_corpus(grader, tmp_path, assignment):
    _agree(grader, assignment, submissions(assignment, tmp_path / "corpus"), tmp_path)


@pytest.mark.parametrize("assignment", sorted(QUICK))
def test_every_door_agrees_on_the_quick_part_of_a_training_corpus(grader, tmp_path, assignment):
    chosen = {n: p for n, p in submissions(assignment, tmp_path / "corpus").items() if n in QUICK[assignment]}
    _agree(grader, assignment, chosen, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted(QUICK))
def test_every_door_agrees_on_the_rest_of_a_training_corpus(grader, tmp_path, assignment):
    chosen = {n: p for n, p in submissions(assignment, tmp_path / "corpus").items() if n not in QUICK[assignment]}
    _agree(grader, assignment, chosen, tmp_path)
