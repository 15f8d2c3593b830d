"""Returns objects whose __eq__ is always True, and tensors of NaN."""
BASE = "stub"
EXPECT_MAX = 0
ATTACK = '''import torch
class _Anything(tuple):
    def __eq__(self, other):
        return True
    __hash__ = tuple.__hash__
class _Liar:
    def __eq__(self, other):
        return True
def fan_in_and_fan_out(tensor):
    return _Liar()
def xavier_normal_(tensor, gain=1.0):
    return tensor.fill_(float("nan"))
def kaiming_normal_(tensor, mode="fan_in"):
    return tensor.fill_(float("inf"))
'''
