"""A hint names a mistake only on that mistake's signature; otherwise feedback states what differs.

Also: the static reading of torch.nn.init uses, and the check's hint on an exception's feedback.
"""

from __future__ import annotations

import math

import pytest
import torch

from autograder import laws, stats
from autograder.course import SOLUTIONS_DIR
from autograder.course.a1_init import judge
from autograder.expect import CheckFailed
from tests.support.inprocess_grading import grade_module, load_module

REFERENCE = (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text()
CASES = [("xavier_normal_", (300, 500), {"gain": 2.0}), ("xavier_uniform_", (129, 257), {"gain": 0.5}),
         ("kaiming_normal_", (300, 500), {"mode": "fan_out"}), ("kaiming_uniform_", (40, 20, 5), {})]
N = 150_000


def _sample(kind: str, std: float, seed: int, n: int = N) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    if kind == "normal":
        return torch.randn(n, generator=generator) * std
    return (torch.rand(n, generator=generator) * 2 - 1) * math.sqrt(3.0) * std


def _message(values: torch.Tensor, law: laws.Law) -> str:
    with pytest.raises(CheckFailed) as failed:
        laws.judge_spread(values, law, "call")
    return str(failed.value)


def _distinguishable(law: laws.Law) -> list[tuple[str, float]]:
    low, high = stats.variance_ratio_bounds(law.kind, N)
    return [(hint, std) for hint, std in law.mistakes.items() if not low <= (std / law.std) ** 2 <= high]


@pytest.mark.parametrize("name,shape,kwargs", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_hint_appears_on_its_own_signature_only(name, shape, kwargs):
    law = laws.law_of(name, shape, **kwargs)
    mistakes = _distinguishable(law)
    assert len(mistakes) >= 3
    for seed, (hint, std) in enumerate(mistakes):
        message = _message(_sample(law.kind, std, seed), law)
        named = [h for h in law.mistakes if f"Hint: {h}" in message]
        assert named == [hint] or (named == [] and sum(
            abs(other / std - 1) < 0.05 for _, other in mistakes) > 1), (hint, message)


@pytest.mark.parametrize("name,shape,kwargs", CASES, ids=[c[0] for c in CASES])
def test_no_hint_when_the_std_matches_no_mistake(name, shape, kwargs):
    law = laws.law_of(name, shape, **kwargs)
    for factor in (1.07, 0.93, 1.37, 0.61):
        if any(abs(std / (law.std * factor) - 1) < 0.05 for std in law.mistakes.values()):
            continue
        message = _message(_sample(law.kind, law.std * factor, 7), law)
        assert "Hint:" not in message, (factor, message)


def test_ignored_gain_is_never_named_when_gain_is_one():
    law = laws.law_of("xavier_normal_", (300, 500), gain=1.0)
    message = _message(_sample("normal", law.std * 1.2, 1), law)
    assert "gain" not in message.split("Hint:")[-1] if "Hint:" in message else True


def test_unshifted_uniform_hint_only_when_every_value_is_non_negative():
    law = laws.law_of("xavier_uniform_", (300, 500))
    unshifted = _sample("uniform", law.std, 2).abs()
    assert "torch.rand draws from [0, 1)" in _message(unshifted, law)
    shifted = _sample("uniform", law.std, 3) + law.bound * 0.05
    assert "torch.rand" not in _message(shifted, law)


HARD_CODED = REFERENCE.replace("    std = math.sqrt(2.0 / _fan(tensor, mode))\n", "    _fan(tensor, mode)\n    std = 0.05\n")
FAN_IN_ONLY = REFERENCE.replace("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain * math.sqrt(2.0 / fan_in)")
IGNORES_GAIN = REFERENCE.replace("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = math.sqrt(2.0 / (fan_in + fan_out))")


def test_hard_coded_std_is_named_from_two_shapes(tmp_path):
    results = grade_module("a1_init", load_module(tmp_path / "h", "a1_init", HARD_CODED), only={"4.1", "7.1"})
    assert "hard-coded" in results["4.1"][1]
    assert "did you" not in results["4.1"][1]
    assert "charged in check 4.1" in results["7.1"][1] or "hard-coded" in results["7.1"][1]
    results = grade_module("a1_init", load_module(tmp_path / "f", "a1_init", FAN_IN_ONLY), only={"2.1", "2.3"})
    for fraction, message in results.values():
        assert fraction == 0 and "hard-coded" not in message and "fan_in alone" in message and "gain" not in message.split("Hint:")[1]


def test_ignored_gain_named_only_where_gain_is_not_one(tmp_path):
    results = grade_module("a1_init", load_module(tmp_path, "a1_init", IGNORES_GAIN), only={"2.1", "2.3"})
    assert results["2.1"][0] == 1.0
    assert "did you ignore `gain`?" in results["2.3"][1]


def test_init_weights_with_one_std_for_every_layer_is_called_hard_coded(tmp_path):
    source = REFERENCE.replace("        SCHEMES[scheme](module.weight)\n",
                               "        with torch.no_grad():\n            module.weight.normal_(0.0, 0.05)\n")
    results = grade_module("a1_init", load_module(tmp_path, "a1_init", source), only={"7.1"})
    assert results["7.1"][0] == 0 and "hard-coded" in results["7.1"][1]


def test_an_exception_carries_the_checks_hint(tmp_path):
    source = REFERENCE.replace("    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n",
                               "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    raise ValueError('oops')\n")
    fraction, message = grade_module("a1_init", load_module(tmp_path, "a1_init", source), only={"2.1"})["2.1"]
    assert fraction == 0 and "ValueError" in message and "Hint:" in message and "fan_in+fan_out" in message


@pytest.mark.parametrize("code", [
    "import torch.nn.init\n",
    "import torch.nn.init as I\n",
    "from torch.nn import init\n",
    "from torch.nn.init import normal_ as n\n",
    "from torch import nn\ndef f(t):\n    return nn.init.normal_(t)\n",
    "import torch\ndef f(t):\n    return torch.nn.init.normal_(t)\n",
    "import torch.nn as tnn\ndef f(t):\n    return tnn.init.normal_(t)\n",
    "import torch as T\ndef f(t):\n    return T.nn.init.normal_(t)\n",
    "from torch import nn as N\ndef f(t):\n    return getattr(N, 'init').normal_(t)\n",
    "import importlib\ninit = importlib.import_module('torch.nn.init')\n",
    "from torch import nn\ninit = vars(nn)['init']\n",
])
def test_static_reading_finds_nn_init(code):
    assert judge.nn_init_uses(code)


def test_static_reading_leaves_correct_code_alone():
    assert judge.nn_init_uses(REFERENCE) == []   # its docstring names torch.nn.init: text is not a use
    assert judge.nn_init_uses("def init(x):\n    return x.init\n") == []
    assert judge.nn_init_uses("def broken(:\n") == []


@pytest.mark.parametrize("mutant,named", [("shuffle_after_split", True), ("naive_swap_shuffle", False)])
def test_shuffle_after_split_named_only_on_its_signature(tmp_path, mutant, named):
    from autograder.authoring.corpus import mutant_of

    source = mutant_of("a2_split", mutant).source
    fraction, message = grade_module("a2_split", load_module(tmp_path, "a2_split", source), only={"2.3"})["2.3"]
    assert fraction == 0 and ("no index ever left the part" in message) == named, message


def test_other_law_named_only_when_the_kurtosis_is_the_other_laws():
    law = laws.law_of("kaiming_normal_", (300, 500))
    uniform = _sample("uniform", law.std, 11)
    with pytest.raises(CheckFailed, match="drawing from a uniform distribution"):
        laws.judge_shape(uniform, law, "call")
    laplace = torch.distributions.Laplace(0.0, law.std / math.sqrt(2)).sample((N,))
    with pytest.raises(CheckFailed) as failed:
        laws.judge_shape(laplace, law, "call")
    assert "Hint:" not in str(failed.value)
