"""Hidden checks of a1_init: shapes, gains and modes the public checks never show.

Tolerances scale with each sample's size (autograder.stats); the smallest sample here has 4,000
values, where the uniform variance bounds are 0.920 ... 1.082, the bound must be reached within
0.46 % (1 - 1e-8^(1/4000)), and the nearest named mistake (the other fan) is off by a factor 2.
Checks 8.2 and 8.3 each make 2 x 8 tests at <= 1e-8 each: false-fail probability <= 1.6e-7.
"""

from __future__ import annotations

import math

from autograder.course.a1_init import judge
from autograder.registry import check
from autograder.submission import Submission


@check("8.1", "fan_in_and_fan_out: Conv1d and Conv3d weights", points=2, visibility="hidden",
       repeats=('1.1', '1.2'))
def fans_other_convs(sub: Submission) -> None:
    judge.judge_fans(sub, (20, 10, 5))
    judge.judge_fans(sub, (4, 2, 3, 3, 3))


@check("8.2", "Xavier on conv weights and an odd Linear shape, with gains", points=3, visibility="hidden",
       repeats=('1.2', '2.1', '2.3', '3.1', '3.3'))
def xavier_unseen(sub: Submission) -> str:
    """At most 8 tests per call (:func:`judge.judge_initializer`, 1e-8 each): a correct initializer
    false-fails the three calls with probability below 2.4e-7. The conv kernel of xavier_uniform_
    catches a fan_out that forgets the receptive field (variance 2.8 times the law's)."""
    return "\n".join((
        judge.judge_initializer(sub, "xavier_normal_", (64, 32, 3, 3), test_shape=True, gain=math.sqrt(2.0)),
        judge.judge_initializer(sub, "xavier_uniform_", (129, 257), test_shape=True, gain=5.0 / 3.0),
        judge.judge_initializer(sub, "xavier_uniform_", (32, 16, 5, 5), test_shape=True),
    ))


@check("8.3", "Kaiming on conv weights, both modes", points=3, visibility="hidden",
       repeats=('1.2', '4.1', '4.2', '5.1', '5.2'))
def kaiming_unseen(sub: Submission) -> str:
    return "\n".join((
        judge.judge_initializer(sub, "kaiming_normal_", (64, 32, 3, 3), test_shape=True, mode="fan_out"),
        judge.judge_initializer(sub, "kaiming_uniform_", (40, 20, 5), test_shape=True, mode="fan_in"),
    ))


@check("8.4", "init_weights via model.apply: kaiming_uniform weights, bias constant 0.1", points=2,
       visibility="hidden", repeats=('5.1', '5.2', '7.1', '7.2'))
def apply_kaiming_uniform(sub: Submission) -> str:
    return judge.judge_apply(sub, "kaiming_uniform", 0.1, bias_free=False)  # the bias-free Linear is 7.1's
