"""Infrastructure is never charged to students (issue 13.4): the dataset and dependencies are verified
before any check runs, a grader fault is the grader's, and the CLI fails in one line, never a traceback."""

from __future__ import annotations

import argparse
import gzip
import json
import shutil

import pytest

from autograder import data, preflight
from autograder.cli import build_parser, main
from autograder.course import SOLUTIONS_DIR, get_assignment
from autograder.gradescope.run import run as gradescope_run
from autograder.grading import judge_verdict
from autograder.registry import Check
from autograder.results import CheckResult, Report
from tests.support.gradescope_schema import validate_results


@pytest.fixture
def corrupt_dataset(tmp_path, monkeypatch):
    """Fashion-MNIST whose training images are truncated (the first search place, no cache)."""
    folder = tmp_path / "fashion"
    folder.mkdir()
    for path in data.locate().values():
        shutil.copy(path, folder / path.name)
    images = next(folder.glob("train-images*"))
    raw = gzip.decompress(images.read_bytes()) if images.suffix == ".gz" else images.read_bytes()
    images.write_bytes(gzip.compress(raw[: len(raw) // 2]) if images.suffix == ".gz" else raw[: len(raw) // 2])
    monkeypatch.setenv("FASHION_MNIST_DIR", str(folder))
    monkeypatch.setenv("AUTOGRADER_CACHE", str(tmp_path / "cache"))
    return images


def _one_line(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err


def test_corrupt_dataset_stops_grade_before_any_check(corrupt_dataset, tmp_path, capsys):
    out = tmp_path / "results.json"
    status = main(["grade", str(SOLUTIONS_DIR / "a3_train"), "--assignment", "a3_train", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 3 and "cannot grade: Fashion-MNIST is not usable" in err and corrupt_dataset.name in err
    _one_line(err)
    results = json.loads(out.read_text())
    validate_results(results)
    assert results["tests"] == [] and "The autograder failed" in results["output"]


def test_corrupt_dataset_on_gradescope_says_the_grader_failed(corrupt_dataset, tmp_path):
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "source" / "gradescope.json").write_text(json.dumps({"assignments": ["a3_train"]}))
    shutil.copytree(SOLUTIONS_DIR / "a3_train", root / "submission")
    gradescope_run(root)
    results = json.loads((root / "results" / "results.json").read_text())
    validate_results(results)
    assert results["tests"] == []
    assert results["output"].startswith('<div style="white-space: pre-wrap">The autograder failed') and "not of your work" in results["output"]
    assert "Fashion-MNIST" in results["output"]


def test_missing_dataset_and_missing_dependency_are_infrastructure_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "none"))
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "none")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(preflight.InfrastructureError, match="Fashion-MNIST"):
        preflight.verify(get_assignment("a3_train"))
    preflight.verify(get_assignment("a1_init"))  # needs no data
    monkeypatch.setattr(preflight, "REQUIRED_MODULES", preflight.REQUIRED_MODULES + ("no_such_module_here",))
    with pytest.raises(preflight.InfrastructureError, match="missing dependencies: no_such_module_here"):
        preflight.verify(get_assignment("a1_init"))


def test_missing_dependency_stops_grade_all(tmp_path, monkeypatch, capsys):
    shutil.copytree(SOLUTIONS_DIR / "a1_init", tmp_path / "class" / "alice")
    monkeypatch.setattr(preflight, "REQUIRED_MODULES", ("torch", "no_such_module_here"))
    assert main(["grade-all", str(tmp_path / "class"), "--assignment", "a1_init"]) == 3
    err = capsys.readouterr().err
    assert "missing dependencies: no_such_module_here" in err
    _one_line(err)


def test_a_grader_exception_is_the_graders_fault_not_the_students():
    def broken(sub):
        raise KeyError("layers")

    verdict = judge_verdict(Check("a1_init", "9.9", "broken", 1.0, "visible", 1.0, broken), None, "initializers.py")
    assert verdict.fraction == 0 and "KeyError" in verdict.grader_error and "not a fault of your submission" in verdict.message
    report = Report("sub", [CheckResult("a1_init", "9.9", "broken", 1.0, 0.0, verdict.message,
                                        grader_error=verdict.grader_error)])
    report.errors.append(f"a1_init 9.9: {verdict.grader_error}")
    assert report.status == "grader error"
    assert report.to_gradescope()["output"].startswith('<div style="white-space: pre-wrap">The autograder failed')


@pytest.mark.parametrize("argv", [
    ["grade", "/nonexistent/submission"],
    ["check", "/nonexistent/initializers.py"],
    ["grade-all", "/nonexistent/class"],
    ["gradescope", "--visibility", "public"],
    ["gradescope", "--hidden-visibility", "visible"],
    ["grade", ".", "--assignment", "a9_nope"],
    ["grade", ".", "--jobs", "0"],
    ["otter", "export", "--assignment", "nope"],
])
def test_usage_errors_exit_nonzero_in_one_line(argv, capsys):
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own exit
        status = exc.code
    assert status == 2
    _one_line(capsys.readouterr().err)


def test_no_submissions_found_lists_the_accepted_layouts(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("nothing here")
    assert main(["grade-all", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no submissions found" in err and "submission_metadata.yml" in err
    _one_line(err)


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command's parser by its command line (``otter export`` included)."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[f"{prefix}{name}"] = sub
                found.update(_subcommands(sub, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize("command", sorted(_subcommands(build_parser())))
def test_every_option_shows_its_default_in_help(command):
    """Issue 24, point 7: every option's help says its default (or that it has none)."""
    parser = _subcommands(build_parser())[command]
    for option in parser._actions:
        if option.option_strings and not isinstance(option, (argparse._HelpAction, argparse._SubParsersAction)):
            assert option.help and ("(default: " in option.help or "(no default)" in option.help), \
                (command, option.option_strings)
