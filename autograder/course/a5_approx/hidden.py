"""Hidden checks of a5_approx: a target function students have not seen, another n and w, another
network shape and learning rate for the replayed training steps."""

from __future__ import annotations

from autograder.course.a5_approx import judge
from autograder.course.a5_approx.judge import bump_layers, check_replay, check_sup_errors
from autograder.registry import check
from autograder.submission import Submission


@check("4.1", "bump_network for another f (n = 30, w = 3000): construction and error bound", points=3,
       visibility="hidden", repeats=("2.1", "2.2", "2.3"))
def bump_other_target(sub: Submission) -> str:
    """The grader's ``ramp`` target (a sine with a kink; L = 1.93, M = 0.81): the bound at n = 30 is 0.0330
    (the reference reaches 0.0317: at w = 100 n the blur adds little, so the bound is nearly tight)."""
    networks = bump_layers(sub, "ramp", [(30, 3000.0)])
    for n, w, layers in networks:
        judge.expect_construction(f"bump_network(f, n={n}, w={w:g})", layers, n, w)
    return check_sup_errors("ramp", networks)


@check("4.2", "train_approximator with hidden=(32, 16), another f and lr: the first steps replayed", points=3,
       visibility="hidden", repeats=("3.1", "3.3"))
def train_other_shape(sub: Submission) -> str:
    return check_replay(sub, "ramp", (32, 16), {"steps": 4, "lr": 5e-3, "seed": 5, "batch_size": 16},
                        architecture=True)
