"""Each mistake of a1/a2 is charged once: a check of a function that calls other student functions is
judged against what those calls returned in the same run, and names the check that charges them."""

from __future__ import annotations

import pytest

from autograder.authoring.corpus import mutant_of
from autograder.course import SOLUTIONS_DIR
from autograder.registry import checks_for
from tests.support.inprocess_grading import grade_module, load_module

REFERENCE = {a: (SOLUTIONS_DIR / a / f).read_text() for a, f in (("a1_init", "initializers.py"), ("a2_split", "split.py"))}


def _failed(results: dict[str, tuple[float, str]]) -> set[str]:
    return {number for number, (fraction, _) in results.items() if fraction < 1.0}


def _graded(tmp_path, assignment: str, source: str, only=None) -> dict[str, tuple[float, str]]:
    return grade_module(assignment, load_module(tmp_path, assignment, source), only)


def _replace(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


UNIMPLEMENTED_KAIMING_NORMAL = _replace(
    REFERENCE["a1_init"],
    "    std = math.sqrt(2.0 / _fan(tensor, mode))\n    with torch.no_grad():\n        return tensor.normal_(0.0, std)\n",
    "    raise NotImplementedError('kaiming_normal_')\n")


def test_broken_initializer_is_charged_in_its_own_check_not_in_init_weights(tmp_path):
    """kaiming_normal_ without the ReLU gain: 4.1/4.2 fail; 7.1 (init_weights with kaiming_normal) passes
    because init_weights applies the student's own kaiming_normal_ correctly, and says where it is charged."""
    source = mutant_of("a1_init", "kaiming_no_relu_gain").source
    results = _graded(tmp_path, "a1_init", source)
    assert _failed(results) == {"4.1", "4.2", "8.3"}
    assert "charged in check 4.1" in results["7.1"][1]


def test_unimplemented_initializer_is_charged_once_and_its_traceback_printed_only_in_its_checks(tmp_path):
    results = _graded(tmp_path, "a1_init", UNIMPLEMENTED_KAIMING_NORMAL)
    own = {"4.1", "4.2", "4.3", "8.3"}
    assert own <= _failed(results)
    assert _failed(results) - own == {"7.1"}, "init_weights('kaiming_normal') cannot run: its only other charge"
    assert "charged in check 4.1" in results["7.1"][1] and "Where, in" not in results["7.1"][1]
    for number in ("6.1", "6.2", "6.3"):
        assert results[number][0] == 1.0 and "charged in check 4.1" in results[number][1]
    tracebacks = [n for n, (_, message) in results.items() if "Where, in" in message and n not in own]
    assert not tracebacks


def test_crashing_init_weights_does_not_fail_the_nn_init_check(tmp_path):
    source = _replace(REFERENCE["a1_init"], "    if isinstance(module, nn.Linear):\n",
                      "    if isinstance(module, nn.Linear):\n        raise RuntimeError('boom')\n")
    results = _graded(tmp_path, "a1_init", source, only={"6.4", "7.1"})
    assert results["6.4"][0] == 1.0, results["6.4"][1]
    assert results["7.1"][0] == 0.0 and "RuntimeError" in results["7.1"][1]


def test_stub_still_fails_the_checks_that_judge_every_initializer(tmp_path):
    stub = (SOLUTIONS_DIR.parent / "assignments" / "a1_init" / "initializers.py").read_text()
    results = _graded(tmp_path, "a1_init", stub, only={"6.1", "6.2", "6.3", "6.4"})
    for number, (fraction, message) in results.items():
        assert fraction == 0.0 and message.startswith("Not implemented yet"), (number, message)


def test_unseeded_split_is_charged_only_in_the_seed_check(tmp_path):
    source = mutant_of("a2_split", "global_rng").source
    assert _failed(_graded(tmp_path, "a2_split", source)) == {"2.2"}


def test_wrong_split_sizes_are_charged_once(tmp_path):
    """round() instead of int(): only the size check whose case tells them apart (1.2) fails; the loaders
    (5.1, 6.3, 6.4) are judged against the split the student's own split_indices returned."""
    source = _replace(REFERENCE["a2_split"], "    n_val = int(n * fractions[1])\n    n_test = int(n * fractions[2])\n",
                      "    n_val = round(n * fractions[1])\n    n_test = round(n * fractions[2])\n")
    assert _failed(_graded(tmp_path, "a2_split", source)) == {"1.2"}


def test_loaders_that_split_with_other_arguments_still_fail(tmp_path):
    source = mutant_of("a2_split", "loaders_ignore_split").source
    results = _graded(tmp_path, "a2_split", source, only={"5.1", "6.3"})
    assert _failed(results) == {"5.1", "6.3"}
    assert "another split" in results["5.1"][1]


@pytest.mark.parametrize("assignment", ["a1_init", "a2_split"])
def test_reference_passes_in_process(tmp_path, assignment):
    results = _graded(tmp_path, assignment, REFERENCE[assignment])
    assert not _failed(results), {n: m for n, (f, m) in results.items() if f < 1}
    assert set(results) == {c.number for c in checks_for(assignment)}


def test_unimplemented_split_is_not_charged_again_with_a_traceback_in_the_loader_checks(tmp_path):
    source = _replace(REFERENCE["a2_split"], "    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))\n",
                      "    raise NotImplementedError('split')\n")
    results = _graded(tmp_path, "a2_split", source, only={"5.1", "5.2", "6.3"})
    for number, (fraction, message) in results.items():
        assert fraction == 0 and "charged in check 1.1" in message and "Where, in" not in message, (number, message)
        assert message.startswith("Not implemented yet")
