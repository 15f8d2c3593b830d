"""The grading engine end to end: verdicts, failures of student code, reports, determinism."""

from __future__ import annotations

import json
import multiprocessing
import textwrap

import pytest
import torch

from autograder.authoring.corpus import mutant_of, write_submission
from autograder.cli import main
from autograder.course import SOLUTIONS_DIR, STUDENT_DIR, get_assignment
from autograder.grading import Grader
from autograder.sandbox import SubmissionError, wire
from autograder.submission import Submission
from tests.support.gradescope_schema import validate_results

A1 = get_assignment("a1_init")
CORRECT_FANS = textwrap.dedent('''
    import math
    def fan_in_and_fan_out(tensor):
        if tensor.dim() < 2:
            raise ValueError("2 dims")
        k = math.prod(tensor.shape[2:])
        return tensor.shape[1] * k, tensor.shape[0] * k
''')


def _student(tmp_path, body: str):
    return write_submission(tmp_path, "a1_init", CORRECT_FANS + textwrap.dedent(body))


def _by_number(report):
    return {r.number: r for r in report.results}


def test_failures_of_student_code_each_become_one_failed_check(grader, tmp_path):
    submission = _student(tmp_path, '''
        import os, sys
        def xavier_normal_(tensor, gain=1.0):
            os._exit(0)
        def xavier_uniform_(tensor, gain=1.0):
            sys.exit(3)
        def kaiming_normal_(tensor, mode="fan_in"):
            return 1 / 0
        print("hello from import")
    ''')
    results = _by_number(grader.grade(submission, ["a1_init"], only={"1.1", "1.2", "1.3", "2.1", "3.1", "4.1", "5.1"}))
    assert all(results[n].score == results[n].max_score for n in ("1.1", "1.2", "1.3"))
    assert "exited with code 0 before returning a result" in results["2.1"].output
    assert "sys.exit" in results["3.1"].output and "SystemExit: 3" in results["3.1"].output
    assert "ZeroDivisionError" in results["4.1"].output and "return 1 / 0" in results["4.1"].output
    assert "Missing function" in results["5.1"].output and "kaiming_uniform_" in results["5.1"].output
    assert "hello from import" in results["1.1"].output
    for number in ("2.1", "3.1", "4.1", "5.1"):
        assert results[number].score == 0


def test_syntax_error_fails_every_check_and_the_note_says_the_line(grader, tmp_path):
    submission = write_submission(tmp_path, "a1_init", "def fan_in_and_fan_out(t):\n    return (1,\n")
    report = grader.grade(submission, ["a1_init"], only={"1.1", "2.1"})
    for result in report.results:
        assert result.score == 0 and "could not be imported (see the note" in result.output
    [note] = [n for n in report.notes if "could not be imported" in n]
    assert "could not be imported: SyntaxError" in note and 'File "initializers.py", line' in note


def test_timeout_kills_the_child_and_the_next_call_runs(grader, tmp_path):
    submission = _student(tmp_path, '''
        def xavier_normal_(tensor, gain=1.0):
            while True:
                pass
    ''')
    sub = Submission(A1, submission / A1.filename, grader.pool, "test/timeout", timeout_s=1.0)
    with pytest.raises(SubmissionError) as failure:
        sub.call("xavier_normal_", torch.empty(3, 3))
    assert failure.value.kind == "timeout" and "its 1 s of CPU time" in failure.value.message
    assert "CPU time" in failure.value.message and "backstop" not in failure.value.message
    assert sub.call("fan_in_and_fan_out", torch.empty(4, 5)) == (5, 4)


def test_wire_refuses_non_plain_data():
    """(A forged pickle written by a child is graded end to end in tests/adversarial/pickle_payload.py.)"""
    class Sneaky:
        def __eq__(self, other):
            return True
    assert wire.to_plain(Sneaky()) == {"__unsupported__": "an object of type Sneaky"}
    assert type(wire.to_plain(torch.nn.Parameter(torch.ones(2)))) is torch.Tensor
    assert wire.to_plain(torch.Size([2, 3])) == (2, 3)
    with pytest.raises(wire.WireError):
        wire.decode(b"not a torch archive")


def _without_timing(report) -> dict:
    data = report.to_gradescope()
    data.pop("execution_time")
    return data


def test_same_submission_same_report_for_any_jobs(reference_report, reference_regrade):
    """The full reference, every assignment: identical reports with --jobs 2 and, from a fresh grader,
    --jobs 1 (per assignment: tests/course/test_assignments.py); valid results.json."""
    validate_results(reference_report.to_gradescope())
    first = _without_timing(reference_report)
    assert _without_timing(reference_regrade) == first
    assert first["score"] == sum(t["max_score"] for t in first["tests"])


def test_missing_file_scores_zero_with_a_clear_message(grader, tmp_path):
    report = grader.grade(tmp_path, ["a1_init"], only={"1.1"})
    assert report.score == 0
    assert "initializers.py was not found" in report.results[0].output
    assert any("initializers.py was not found" in note for note in report.notes)


def test_cli_grade_writes_valid_results_and_check_exits_nonzero(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main(["grade", str(SOLUTIONS_DIR / "a1_init"), "--assignment", "a1_init", "--out", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    validate_results(data)
    assert data["score"] == sum(t["max_score"] for t in data["tests"])
    capsys.readouterr()
    assert main(["check", str(STUDENT_DIR / "a1_init" / "initializers.py")]) == 1
    printed = capsys.readouterr().out
    assert "Not implemented yet" in printed and "8.1" not in printed  # hidden checks stay hidden


def test_cli_grade_of_a_missing_path_still_writes_results(tmp_path):
    out = tmp_path / "results.json"
    main(["grade", str(tmp_path / "nope"), "--out", str(out), "--quiet"])
    data = json.loads(out.read_text())
    validate_results(data)
    assert data["score"] == 0 and "no such submission" in data["output"]


def test_ten_gradings_with_different_jobs_agree(grader, tmp_path):
    """The reference and two mutants, 10 gradings each, alternating --jobs 1 and --jobs 2: one report each.

    The checks chosen depend on random draws (KS tests, reseeding, model.apply, chi-square over
    seeds, epoch shuffles), where nondeterminism would show first.
    """
    only = {"2.2", "3.2", "4.1", "6.3", "7.1", "2.3", "4.2"}
    submissions = {"reference": SOLUTIONS_DIR}
    for name in ("xavier_fan_in_only", "kaiming_normal_draws_uniform"):
        source = mutant_of("a1_init", name).source
        submissions[name] = write_submission(tmp_path / name, "a1_init", source)
    with Grader(jobs=1) as single:
        for name, path in submissions.items():
            seen = {json.dumps(_without_timing(g.grade(path, ["a1_init", "a2_split"], only=only)), sort_keys=True)
                    for g in [single, grader] * 5}
            assert len(seen) == 1, f"{name}: {len(seen)} different reports in 10 gradings"


def _busy_loop() -> None:
    while True:
        pass


def test_verdicts_judge_cpu_time_so_load_does_not_change_them(grader, tmp_path):
    """Issue 13, point 3: an import that costs ~80 % of the CPU budget passes every time while two
    busy processes load both cores (a wall-clock limit would fail it on a loaded machine)."""
    submission = _student(tmp_path, '''
        import time
        _end = time.process_time() + 1.6
        while time.process_time() < _end:
            pass
        def fan_in_and_fan_out(tensor):
            return tensor.shape[1], tensor.shape[0]
    ''')
    busy = [multiprocessing.Process(target=_busy_loop, daemon=True) for _ in range(2)]
    for process in busy:
        process.start()
    try:
        outcomes = []
        for attempt in range(5):
            sub = Submission(A1, submission / A1.filename, grader.pool, "test/load", timeout_s=2.0)
            try:
                outcomes.append(sub.call("fan_in_and_fan_out", torch.empty(4, 5)))
            except SubmissionError as exc:
                outcomes.append(f"{exc.kind}: {exc.message}")
    finally:
        for process in busy:
            process.kill()
    assert outcomes == [(5, 4)] * 5


def test_a_timeout_at_import_says_where_the_time_went(grader, tmp_path):
    submission = _student(tmp_path, '''
        while True:
            pass
    ''')
    sub = Submission(A1, submission / A1.filename, grader.pool, "test/import-timeout", timeout_s=1.0)
    with pytest.raises(SubmissionError) as failure:
        sub.call("fan_in_and_fan_out", torch.empty(4, 5))
    assert failure.value.kind == "timeout" and "while importing your file" in failure.value.message
    assert 'if __name__ == "__main__":' in failure.value.message


def test_a_sleeping_call_ends_soon_after_its_cpu_limit(grader, tmp_path):
    """The wall-clock backstop ends a call that does not use its CPU time, whatever the load."""
    submission = _student(tmp_path, '''
        import time
        def fan_in_and_fan_out(tensor):
            time.sleep(1000)
    ''')
    sub = Submission(A1, submission / A1.filename, grader.pool, "test/sleep", timeout_s=1.0)
    with pytest.raises(SubmissionError) as failure:
        sub.call("fan_in_and_fan_out", torch.empty(4, 5))
    assert failure.value.kind == "timeout" and "sleep" in failure.value.message
    assert sub.outcomes[-1].seconds < 30


def test_a_first_check_that_raises_after_the_import_does_not_stop_the_others(grader, tmp_path):
    """The first check of an assignment also tells whether the file imports; an exception of the
    function it calls is that check's failure only."""
    a2 = get_assignment("a2_split")
    source = (SOLUTIONS_DIR / "a2_split" / a2.filename).read_text() + textwrap.dedent('''

        def split_indices(n, fractions=(0.7, 0.15, 0.15), seed=0):
            raise RuntimeError("not today")
    ''')
    report = grader.grade(write_submission(tmp_path, "a2_split", source), ["a2_split"])
    results = _by_number(report)
    assert results["1.1"].score == 0 and "RuntimeError: not today" in results["1.1"].output
    assert results["4.1"].score == results["4.1"].max_score, results["4.1"].output
    assert report.attention == []


def test_a_child_is_seeded_as_torch_manual_seed_seeds():
    """Without an accelerator the child seeds only the CPU generator (1.4 ms less per reset): the
    numbers drawn are the same as after torch.manual_seed."""
    from autograder.sandbox.server import reset_torch_state

    reset_torch_state(1234)
    ours = (torch.rand(5), torch.randn(3, dtype=torch.float64), torch.randperm(10))
    torch.manual_seed(1234)
    theirs = (torch.rand(5), torch.randn(3, dtype=torch.float64), torch.randperm(10))
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))


def test_cli_says_its_version(capsys):
    """Issue 24: `autograder --version` was a usage error."""
    from importlib import metadata

    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0 and capsys.readouterr().out.strip() == f"autograder {metadata.version('autograder')}"
