"""Real idioms (issue 13.5, parent side): numpy scalars and arrays, float64 models, layers in any order."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.authoring.corpus import write_submission
from autograder.course import SOLUTIONS_DIR
from autograder.course.a3_train import judge as a3_judge
from autograder.expect import CheckFailed
from autograder.sandbox.wire import decode, encode, to_plain

A1_SOURCE = (SOLUTIONS_DIR / "a1_init" / "initializers.py").read_text()
A3_SOURCE = (SOLUTIONS_DIR / "a3_train" / "fashion.py").read_text()


def _replace(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


@pytest.mark.parametrize("value, expected", [
    (np.int64(784), 784), (np.prod((16, 5, 5)), 400), (np.float32(0.5), 0.5), (np.bool_(True), True),
    (np.float64(0.25), 0.25), (np.str_("Bag"), "Bag"),
])
def test_numpy_scalars_become_python_numbers(value, expected):
    plain = to_plain(value)
    assert plain == expected and type(plain) is type(expected)
    assert decode(encode(plain)) == expected


def test_numpy_arrays_become_tensors_and_object_arrays_are_refused():
    array = np.arange(6, dtype=np.int64).reshape(2, 3)
    plain = to_plain([array, {"p": np.ones(2, dtype=np.float32)}])
    assert decode(encode(plain))[0].tolist() == array.tolist()  # plain data: it crosses the wire
    assert type(plain[0]) is torch.Tensor and plain[0].dtype == torch.int64 and plain[0].tolist() == array.tolist()
    array[0, 0] = 99  # a copy: later changes in the child do not reach what was sent
    assert plain[0][0, 0] == 0 and plain[1]["p"].dtype == torch.float32
    assert "__unsupported__" in to_plain(np.array([1, "a"], dtype=object))


def _layer(name: str, out_features: int, in_features: int, dtype=torch.float32) -> dict:
    generator = torch.Generator().manual_seed(out_features)
    return {"name": name, "weight": torch.randn(out_features, in_features, generator=generator, dtype=dtype),
            "bias": torch.randn(out_features, generator=generator, dtype=dtype)}


def test_layers_are_matched_by_shape_not_definition_order():
    hidden, output = _layer("hidden", 128, 784), _layer("output", 10, 128)
    in_order = a3_judge.mlp_layers([hidden, output])
    reversed_order = a3_judge.mlp_layers([output, hidden])
    assert all(torch.equal(a, b) for pair in zip(in_order, reversed_order) for a, b in zip(*pair))
    with pytest.raises(CheckFailed, match="found weights of shapes"):
        a3_judge.mlp_layers([hidden, _layer("output", 10, 784)])


def test_float64_layers_give_float64_logits_that_match_a_float64_forward():
    layers = a3_judge.mlp_layers([_layer("hidden", 128, 784, torch.float64), _layer("output", 10, 128, torch.float64)])
    images = torch.rand(4, 1, 28, 28)
    logits = a3_judge.mlp_logits(layers, images)
    (w1, b1), (w2, b2) = layers
    own = torch.relu(images.reshape(4, -1).double() @ w1.T + b1) @ w2.T + b2
    assert logits.dtype == torch.float64 and torch.allclose(logits, own)


def test_numpy_fans_from_np_prod_get_full_marks(grader, tmp_path):
    source = _replace(A1_SOURCE, "    receptive_field = 1\n    for size in tensor.shape[2:]:\n        receptive_field *= size\n",
                      "    import numpy as np\n    receptive_field = np.prod(tensor.shape[2:], dtype=np.int64)\n")
    report = grader.grade(write_submission(tmp_path / "sub", "a1_init", source), ["a1_init"], only={"1.1", "1.2", "8.1"})
    assert report.score == report.max_score, [r.output for r in report.results if r.status == "failed"]


FLOAT64_NET = (("        self.output = nn.Linear(128, 10)\n        # END SOLUTION",
                "        self.output = nn.Linear(128, 10)\n        self.double()\n        # END SOLUTION"),
               ("        x = x.reshape(x.shape[0], -1)\n", "        x = x.reshape(x.shape[0], -1).double()\n"))
OUTPUT_FIRST = (("        self.hidden = nn.Linear(784, 128)\n        self.output = nn.Linear(128, 10)",
                 "        self.output = nn.Linear(128, 10)\n        self.hidden = nn.Linear(784, 128)"),)


@pytest.mark.parametrize("replacements", [FLOAT64_NET, OUTPUT_FIRST], ids=["float64", "output_layer_first"])
def test_float64_nets_and_layers_in_another_order_get_full_marks(grader, tmp_path, replacements):
    source = A3_SOURCE
    for old, new in replacements:
        source = _replace(source, old, new)
    report = grader.grade(write_submission(tmp_path / "sub", "a3_train", source), ["a3_train"],
                          only={"1.1", "1.2", "1.3", "1.4", "2.1"})
    assert report.score == report.max_score, [r.output for r in report.results if r.status == "failed"]
    assert not report.errors
