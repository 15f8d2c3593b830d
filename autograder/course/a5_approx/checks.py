"""Public checks of a5_approx: steps and bumps, the hand-built bump network (construction, a derived
error bound, convergence in n) and the trained deep ReLU network (architecture, seeding, the first
steps replayed by the grader, a calibrated final error), with a feedback plot."""

from __future__ import annotations

import math

import torch

from autograder.course.a5_approx import judge
from autograder.course.a5_approx.judge import (LOOP_HINT, SANDBOX_SEED, bump_layers, check_replay, check_sup_errors,
                                               expect_values, feedback_plot, marked_grid, mlp_layers, own_bump,
                                               sup_errors, trained)
from autograder.expect import Partial, expect, expect_tensor
from autograder.registry import check
from autograder.seeds import runs_until
from autograder.submission import Submission

#: (n, w) of the bump networks: w = 100 n keeps each step 1/100 of a bin wide.
SIZES = [(10, 1000.0), (50, 5000.0), (200, 20000.0)]


@check("1.1", "step(x, s, w) = sigmoid(w (x - s)): a step at position s", points=2)
def step_values(sub: Submission) -> None:
    for s, w in ((0.3, 50.0), (0.75, 400.0)):
        x = marked_grid(-0.5, 1.5, 401, (s,))
        expected = torch.sigmoid(w * (x.double() - s))
        expect_values(f"step(x, s={s}, w={w:g})", sub.call("step", x, s, w), expected, {
            "the step sits at -s: sigma(w x + b) steps where w x + b = 0, at s = -b/w, so the bias is -w s.":
                torch.sigmoid(w * (x.double() + s)),
            "the steepness w multiplies (x - s): sigma(w * (x - s)).": torch.sigmoid(x.double() - s),
        }, "step(x, s, w) = torch.sigmoid(w * (x - s)).")
        middle = sub.call("step", torch.tensor([s]), s, w)
        expect_tensor(f"step(tensor([{s}]), s={s}, w={w:g})", middle, shape=(1,))
        expect(abs(float(middle[0]) - 0.5) <= 1e-6, f"step(s, s, w) must be 0.5 (half way up, at the step's "
               f"position); got {float(middle[0]):.6g} for s = {s}.")


@check("1.2", "bump(x, left, right, height, w) = height (step at left - step at right)", points=2)
def bump_values(sub: Submission) -> None:
    """Judged against the grader's steps, or against the student's own ``step`` where that differs
    (a wrong step is charged once, in 1.1)."""
    for left, right, height, w in ((0.2, 0.6, 0.7, 100.0), (0.5, 0.55, -0.3, 2000.0)):
        x = marked_grid(-0.25, 1.25, 301, (left, right))
        up, down = (torch.sigmoid(w * (x.double() - edge)) for edge in (left, right))
        expected = height * (up - down)
        observed = sub.call("bump", x, left, right, height, w)
        own = own_bump(sub, x, left, right, height, w)
        if own is not None and not torch.allclose(own, expected, rtol=0, atol=1e-5, equal_nan=True) \
                and type(observed) is torch.Tensor and observed.shape == own.shape \
                and torch.allclose(observed.double(), own, rtol=0, atol=1e-5, equal_nan=True):
            continue   # NaN where the student's own step overflows: charged once, by 1.1
        expect_values(f"bump(x, {left}, {right}, {height}, {w:g})", observed, expected,
                       {"the steps are swapped: the bump points the wrong way (step up at left minus "
                        "step up at right).": -expected}, "height * (step(x, left, w) - step(x, right, w)).")


@check("1.3", "neilson_example(x) = 0.2 + 0.4 x^2 + 0.3 x sin(15 x) + 0.05 cos(50 x)", points=1)
def example_values(sub: Submission) -> None:
    x = torch.linspace(0.0, 1.0, 1001).reshape(-1, 1)
    expect_values("neilson_example(x) for x of shape (1001, 1)", sub.call("neilson_example", x),
                  judge.target("nielsen", x), {}, "0.2 + 0.4 * x**2 + 0.3 * x * torch.sin(15 * x) + "
                  "0.05 * torch.cos(50 * x), elementwise on the tensor.")


@check("2.1", "bump_network: exactly Linear(1, 2n) -> Sigmoid -> Linear(2n, 1) (n = 10, 50, 200)", points=2)
def bump_architecture(sub: Submission) -> None:
    bump_layers(sub, "nielsen", SIZES, architecture=True)


@check("2.2", "bump_network: weights set by hand (all first-layer weights w, steps at the bin edges)", points=3)
def bump_construction(sub: Submission) -> None:
    for n, w, layers in bump_layers(sub, "nielsen", SIZES):
        judge.expect_construction(f"bump_network(f, n={n}, w={w:g})", layers, n, w)


@check("2.3", "bump_network: sup error on [0, 1] below the bound from L, n and w", points=4)
def bump_sup_error(sub: Submission) -> str:
    """The bound and its derivation: :func:`autograder.course.a5_approx.judge.sup_bound` (0.360, 0.0720, 0.0180
    at n = 10, 50, 200; the reference reaches 0.234, 0.0617, 0.0155 on a grid of 20,001 points)."""
    return check_sup_errors("nielsen", bump_layers(sub, "nielsen", SIZES))


#: 2.4 measures the error away from the ends: steps left at 0 and 1 are charged once, by 2.3.
CONVERGENCE_MARGIN = 0.1


@check("2.4", "bump_network: the error shrinks as n grows (n = 10, 50, 200), away from the ends", points=1)
def bump_convergence(sub: Submission) -> str:
    rows = sup_errors("nielsen", bump_layers(sub, "nielsen", SIZES), margin=CONVERGENCE_MARGIN)
    errors = [error for _, error, _, _ in rows]
    expect(errors[0] > errors[1] > errors[2],
           f"the sup error on [{CONVERGENCE_MARGIN:g}, {1 - CONVERGENCE_MARGIN:g}] must shrink as n grows; got "
           + ", ".join(f"n={n}: {e:.4g}" for n, e, _, _ in rows) + ".",
           "an error that stays put inside [0, 1] comes from heights that do not follow f (f at each bin's centre).")
    return "sup errors " + ", ".join(f"{e:.3g}" for e in errors)


@check("3.1", "train_approximator: the lecture's 3 x 64 ReLU network, Linear(1, 64) ... Linear(64, 1), and the "
       "handout's defaults", points=2)
def train_architecture(sub: Submission) -> None:
    """The network built with the default ``hidden``; the other defaults (steps, lr, seed, batch_size) read
    from the student's source in the parent: every other check passes them explicitly."""
    mlp_layers("train_approximator(f, steps=0)", trained(sub, "nielsen", {"steps": 0, "seed": 7}), (64, 64, 64))
    judge.expect_defaults(sub, "train_approximator", TRAIN_DEFAULTS)


#: train_approximator's signature in the handout.
TRAIN_DEFAULTS = {"hidden": (64, 64, 64), "steps": 3000, "lr": 1e-3, "seed": 0, "batch_size": 64}


@check("3.2", "train_approximator: seeded first, then built: initial weights match the reference's", points=2,
       uses_reference=True)
def train_seeded(sub: Submission) -> None:
    """The reference builds the same widths as the student's network, so only the seeding is judged here,
    on the network as its optimizer received it (not charged again for a loop's number of steps)."""
    what = "train_approximator(f, steps=0, seed=7)"
    student = judge.start_layers(what, trained(sub, "nielsen", {"steps": 0, "seed": 7}, sandbox_seed=SANDBOX_SEED))
    widths = judge.hidden_widths(student)
    reference = trained(sub, "nielsen", {"steps": 0, "seed": 7, "hidden": widths}, reference=True)["layers"]
    for i, ((weight, bias), layer) in enumerate(zip(student, reference)):
        expect(bool(torch.equal(weight, layer["weight"].double()) and torch.equal(bias, layer["bias"].double())),
               f"{what}: Linear layer {i} starts from other weights than torch.manual_seed(7) followed by "
               "building the network gives.",
               "call torch.manual_seed(seed) first, then build the network (default initialization), and only "
               "then draw training points.")


#: The replayed run: few steps, a learning rate other than the default, a batch size other than 64.
REPLAY = {"steps": 5, "lr": 3e-3, "seed": 11, "batch_size": 32}


@check("3.3", "train_approximator: the first steps match the grader's replay (MSE, Adam, lr)", points=4)
def train_replay(sub: Submission) -> str:
    return check_replay(sub, "nielsen", (64, 64, 64), REPLAY)


#: The final-error check's settings and thresholds; its docstring gives the calibration.
FINAL = {"steps": 1500, "lr": 1e-3, "seed": 0, "batch_size": 64}
FULL_CREDIT_MSE = 7e-3
NO_CREDIT_MSE = 2e-2
#: The seeds 3.4 trains with, in turn, until a fit earns full credit; the best fit counts.
FINAL_SEEDS = (0, 1, 2)
#: What returning the losses as tensors costs 3.4 (a memory mistake, not a wrong fit): one point of six.
TENSOR_LOSSES_CHARGE = 1 / 6


@check("3.4", "train_approximator fits Nielsen's function: MSE on [0, 1] below 7e-3 (1,500 steps)", points=6,
       timeout_s=120)
def train_final_error(sub: Submission) -> Partial | str:
    """The student's training with the grader's f, the MSE measured here on 20,001 points; the best of up
    to three seeds' runs (``FINAL_SEEDS``, each with its own sandbox seed too): the next seed is tried
    only while no run has reached full credit, so a good loop trains once.

    Settings: 1,500 Adam steps (the default is 3,000; the grader asks for half to save time, with the
    threshold set from the calibration below: it was 5e-3 at 2,000 steps; a larger lr would save more
    but widened the spread). The number of losses is charged by 3.3 only.

    Calibration (benchmarks/a5_sweep.py at these settings, results/a5_sweep_2000.txt and
    a5_sweep_full_batch_2000.txt). The MSE of one correct run has a heavy upper tail (a run can settle
    in a poor fit; for the reference's seed 166 neither its initial weights nor its points alone do it,
    only the pair; seed 0's initial weights with the points of 851 other generators all end below
    2.7e-3): over 2,000 seeds of the reference (mini-batches of 64) MSE 3.6e-4 .. 1.37e-2 and 5
    runs above FULL_CREDIT_MSE = 7e-3 (7.4e-3, 7.7e-3, 7.9e-3, 1.24e-2, 1.37e-2), so one run misses
    full credit with p = 2.5e-3 (95 % upper bound, 5 events: 5.3e-3); the full-batch variant's 2,000
    seeds (a5_sweep_full_batch_2000.txt): MSE 9.0e-5 .. 7.2e-3, 3 runs above 7e-3 (7.16e-3 .. 7.23e-3,
    0.97 of the points or more), p = 1.5e-3 (upper bound 3.9e-3). A correct loop whose random draws
    differ from the reference's makes three unrelated draws at three seeds, so it misses full credit
    with p ** 3: 1.6e-8 and 3.4e-9 (upper bounds 1.5e-7 and 5.8e-8), below the 1e-6 standard; one run
    alone is not. In each sweep's 666 disjoint groups of three seeds, no group's best run misses. The
    seeds are fixed, so a submission's score never changes between runs. NO_CREDIT_MSE = 2e-2 is half of
    Var(f) = 0.041; partial credit is linear in log MSE between the two, from the best run. Mistakes:
    a loop that is not Adam on the MSE at lr (plain SGD, no zero_grad, no step) fails the replay of
    the first run; points drawn from half of [0, 1] (mutant ``points_from_half_interval``) end at
    0.237, 0.048 and 0.061 (0 points).
    """
    grid = judge.dense_grid()
    truth = judge.target("nielsen", grid)

    def fit(seed: int) -> tuple[float, torch.Tensor, bool]:
        """The MSE of the run at ``seed`` (verified by its replay), its fit on the grid, tensor losses."""
        layers, tensors = judge.verified_fit(sub, "nielsen", {**FINAL, "seed": seed}, sandbox_seed=SANDBOX_SEED + seed)
        fitted = judge.mlp_forward(layers, grid)
        return float(((fitted - truth) ** 2).mean()), fitted, tensors

    runs = runs_until(FINAL_SEEDS, fit, lambda run: run[0] <= FULL_CREDIT_MSE)
    seed, (mse, fitted, tensors) = min(runs, key=lambda run: run[1][0])
    summary = (f"mean squared error {mse:.3g} on 20,001 points of [0, 1] after {FINAL['steps']} steps"
               f"{_seeds_tried(runs, seed)} (full credit below {FULL_CREDIT_MSE:g}).\n\n{feedback_plot(sub, grid, fitted)}")
    fraction = 1.0 if mse <= FULL_CREDIT_MSE else (
        max(0.0, math.log(NO_CREDIT_MSE / mse) / math.log(NO_CREDIT_MSE / FULL_CREDIT_MSE)) if mse > 0 else 0.0)
    if tensors:  # the fit is right; the memory it kept is the mistake: one point of six
        return Partial(fraction * (1 - TENSOR_LOSSES_CHARGE), f"Your losses are tensors, not floats: each keeps its "
                       f"step's whole graph alive ({TENSOR_LOSSES_CHARGE:.0%} of this check).\n\nHint: append "
                       f"loss.item().\n\nYour trained network's {summary}")
    if fraction == 1.0:
        return summary
    return Partial(fraction, "Your trained network's " + summary + "\n\nHint: " + LOOP_HINT)


def _seeds_tried(runs: list[tuple[int, tuple[float, torch.Tensor, bool]]], best: int) -> str:
    """Which seed the reported run used, and the others tried, when one run did not reach full credit."""
    if len(runs) == 1:
        return f" with seed={best}"
    others = ", ".join(f"seed={seed}: {mse:.3g}" for seed, (mse, _, _) in runs if seed != best)
    return (f" with seed={best}, the best of {len(runs)} runs ({others}: a correct loop settles in a poor fit "
            f"about once in 400 runs, so the grader trains again, up to {len(FINAL_SEEDS)} seeds, until one reaches "
            "full credit)")


