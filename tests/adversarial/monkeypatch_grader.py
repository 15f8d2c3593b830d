"""Monkeypatches autograder and torch in its process to make every check pass."""
BASE = "stub"
EXPECT_MAX = 0
ATTACK = '''import torch, autograder.expect, autograder.sandbox.wire, autograder.grading
autograder.expect.expect = lambda *a, **k: None
autograder.expect.fail = lambda *a, **k: None
autograder.grading.Grader._run_check = lambda *a, **k: None
torch.equal = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
torch.Tensor.__eq__ = lambda *a, **k: True
_real_encode = autograder.sandbox.wire.encode
autograder.sandbox.wire.encode = lambda record: _real_encode({"ok": True, "value": {"score": 1000}})
'''
