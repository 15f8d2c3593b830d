"""a4: when the probe builds the starting models, deep_mlp gives the first Linear a bias of 7 entries
(its weight still 784 -> 200): the parent's replay would fail inside its own forward pass, a grader fault
(exit 3) caused by a student. Found by a hostile review (issue 25): every bias is read with its shape
before any arithmetic, so the file is charged on the training checks and nothing is the grader's."""
BASE = "reference"
ASSIGNMENT = "a4_vanishing"
ONLY = ["2.1", "5.1", "5.2", "5.3", "7.5"]
EXPECT_PASS = ["2.1"]
EXPECT_FAIL = ["5.1", "5.2", "5.3", "7.5"]
BUDGET_S = 90
ATTACK = '''
import sys as _sys
_real_deep_mlp = deep_mlp


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    model = _real_deep_mlp(depth, width, activation, init, in_features, out_features)
    caller = _sys._getframe(1)
    if caller.f_code.co_name == "comparison" and caller.f_code.co_filename.endswith("probes.py"):
        model[0].bias = nn.Parameter(torch.zeros(7))
    return model
'''
