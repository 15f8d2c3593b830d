"""Implements nothing: from inside Net() it finds the probe that is running and writes a result record
of its own, consistent with itself (layers and the outputs they would give; accuracy 1.0; an
unchanged state; right-looking predictions), then exits. Issue 12, class 1: the parent's truth is its own."""
BASE = "stub"
ASSIGNMENT = "a3_train"
ONLY = ["1.3", "1.4", "4.1", "4.2", "4.3", "5.2", "5.3", "6.2"]
EXPECT_MAX = 0
BUDGET_S = 120
ATTACK = '''import os, sys, torch
@FORGE@
def _probe_frame():
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.endswith("fashion.py"):
        frame = frame.f_back
    while frame is not None and frame.f_code.co_name.startswith("_"):
        frame = frame.f_back
    return frame
def _lie():
    frame = _probe_frame()
    name, local = frame.f_code.co_name, frame.f_locals
    if name == "forward":
        images = local["images"]
        out = torch.zeros(len(images), 10)
        _forge({"square": out, "flat": out})
    if name == "evaluation":
        _forge({"returned": {"accuracy": 1.0, "loss": 0.01}, "grad_modes": [False] * 4,
                "after": dict(local["state"])})
    if name == "fit_history":
        _forge({"history": {"train_loss": [1.0] * 18, "train_accuracy": [0.5] * 3, "val_accuracy": [1.0] * 3},
                "state": {}, "batches": 6})
    if name == "predictions":
        _forge([(0, "T-shirt/top")] * len(local["images"]))
    _forge({})
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        _lie()
def evaluate(model, loader, device="cpu", loss_fn=None):
    _lie()
def fit(*args, **kwargs):
    _lie()
def predict(model, image):
    _lie()
'''
