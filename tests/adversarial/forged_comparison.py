"""Implements nothing of a4 but deep_mlp's signature: when the probe first calls it, it writes the whole
compare_initializers record itself, in the grader's own encoding and framing: untrained models that
look trained, losses that fall, every pass over the loader claimed, and impossible passes besides (empty
and oversized). Issue 25, class "a4 records are forgeable in full": the parent's replay is its truth."""
BASE = "stub"
ASSIGNMENT = "a4_vanishing"
ONLY = ["5.1", "5.2", "5.3", "7.5"]
EXPECT_MAX = 0
BUDGET_S = 90
ATTACK = '''import sys, torch
from autograder.course.a4_vanishing import probes
@FORGE@
def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    frame = sys._getframe(1)
    local = frame.f_locals
    schemes, grid = local["schemes"], local["grid"]
    models = {}
    for scheme in schemes:
        torch.manual_seed(local["seed"])
        model = torch.nn.Sequential(torch.nn.Linear(784, 200), torch.nn.Sigmoid(), torch.nn.Linear(200, 10))
        models[scheme] = probes.describe_modules(model, grid)
    iterations = local["epochs"] * 30
    returned = {s: {"losses": [2.3 - 0.01 * i for i in range(iterations)], "val_accuracy": 0.1,
                    "junction": models[s]["modules"][2]["weight"], "model": models[s]} for s in schemes}
    _forge({"returned": returned, "iterations": iterations, "initial": models,
            "passes": [0, 10 ** 9, -1] + [3000] * (local["epochs"] * len(schemes))})
'''
