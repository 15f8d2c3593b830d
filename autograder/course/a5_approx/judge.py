"""How a5_approx checks judge: target values, the bump network's error bound, forward passes and the
replay of the first training steps, all computed here in the parent from plain weights."""

from __future__ import annotations

import ast
import hashlib
import math
import threading
from collections import OrderedDict
from typing import Any

import torch

from autograder import laws
from autograder.course.a5_approx import probes
from autograder.course.a5_approx.probes import FORMULAS
from autograder.expect import CheckFailed, describe, expect, expect_tensor, fail
from autograder.files import parse_source
from autograder.sandbox import SubmissionError
from autograder.sandbox.wire import is_number
from autograder.submission import Submission, student_source

#: Bounds on |f''| over [0, 1], from the formulas term by term:
#: nielsen: 0.8 + 4.5 + 4.5 + 0.3*15^2 + 0.05*50^2 = 202.3 (|d2/dx2 0.3 x sin 15x| <= 0.3*(30 + 225 x));
#: ramp: 0.3 * 6^2 = 10.8 away from the kink (a kink does not raise the Lipschitz constant).
CURVATURE = {"nielsen": 202.3, "ramp": 10.8}
#: Grid for the Lipschitz constant: spacing 1e-5.
LIPSCHITZ_POINTS = 100_001
#: What float32 weights and arithmetic may add to the bound (heights and positions are rounded to
#: 6e-8 relative; 2n <= 400 terms of size <= 1): far below any error the checks separate.
FLOAT_SLACK = 1e-5


def target(name: str, x: torch.Tensor) -> torch.Tensor:
    """The grader's target ``name`` at ``x``, in float64."""
    return FORMULAS[name](x.double(), torch)


def dense_grid(points: int = 20_001) -> torch.Tensor:
    return torch.linspace(0.0, 1.0, points, dtype=torch.float64)


def lipschitz(name: str) -> float:
    """An upper bound on sup |f'| over [0, 1].

    The largest difference quotient on a grid of spacing d equals f'(xi) somewhere in its interval,
    and f' moves by at most |f''| * d inside an interval, so sup |f'| <= max quotient + CURVATURE * d.
    Nielsen's function: 6.998 (the term-by-term bound 0.8 + 0.3 + 4.5 + 2.5 = 8.1 is looser).
    """
    x = torch.linspace(0.0, 1.0, LIPSCHITZ_POINTS, dtype=torch.float64)
    spacing = 1.0 / (LIPSCHITZ_POINTS - 1)
    quotients = target(name, x).diff().abs() / spacing
    return float(quotients.max()) + CURVATURE[name] * spacing


def sup_bound(name: str, n: int, w: float) -> float:
    """A bound on sup over [0, 1] of |N(x) - f(x)| for the bump network N built as the handout says.

    With Z logistic (CDF sigma), sigma(w(x - a)) - sigma(w(x - b)) = P(a <= x - Z/w < b): the network is
    N(x) = E[S(Y)], Y = x - Z/w, for the staircase S equal to h_i = f(c_i) on bin i (the outer bins
    reach the outer steps at -1/n and 1 + 1/n) and 0 beyond. So
        |N(x) - f(x)| <= E[|f(c_bin(Y)) - f(x)|; Y inside] + |f(x)| P(Y outside)
                      <= L (1/(2n) + E|Z|/w) + M (sigma(-w/n) + sigma(-w/n)),
    since |c_bin(Y) - x| <= |c - clamp(Y, 0, 1)| + |Y - x| <= 1/(2n) + |Y - x| for x in [0, 1],
    E|Z| = 2 ln 2, and the outer steps lie 1/n beyond [0, 1]. L = sup|f'|, M = sup|f| on [0, 1].
    For Nielsen's function (L = 6.998, M = 0.853) and w = 100 n: 0.360, 0.0720, 0.0180 at n = 10, 50,
    200; the reference's sup error on the grid is 0.234, 0.0617, 0.0155, heights taken at the bins'
    left edges give 0.463, 0.130, 0.033, and steps left at 0 and 1 give 0.42 at x = 1.
    """
    lip = lipschitz(name)
    grid = dense_grid(LIPSCHITZ_POINTS)
    sup_f = float(target(name, grid).abs().max()) + lip / (LIPSCHITZ_POINTS - 1)
    outside = 2.0 * torch.sigmoid(torch.tensor(-w / n, dtype=torch.float64)).item()
    return lip * (1.0 / (2 * n) + 2 * math.log(2) / w) + sup_f * outside + FLOAT_SLACK


# -- networks from plain weights ----------------------------------------------------------------

#: The largest network the parent reads, runs forward on its grids or replays (the student picks the
#: widths and the depth; the grader's own networks have at most 8,577 parameters, 4 Linear layers and
#: 400 units in a layer; a forward pass of 512 units on the 20,001-point grid holds 82 MB).
MAX_PARAMETERS, MAX_LAYERS, MAX_WIDTH = 50_000, 8, 512


def expect_modules(what: str, seen: dict, modules: list[str], hint: str) -> None:
    """The model's leaf modules, in order, are exactly ``modules``."""
    expect(seen["modules"] == modules, f"{what}: expected the modules {modules}, found {seen['modules']}.", hint)


def expect_layers(what: str, seen: dict, shapes: list[tuple[int, int]] | None, hint: str
                  ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The model's Linear layers as (weight, bias) pairs in float64, with biases and finite entries;
    of exactly ``shapes`` when given, else chained from 1 input to 1 output."""
    listed = seen.get("layers") if type(seen) is dict else None
    expect(type(listed) is list and all(type(layer) is dict and type(layer.get("weight")) is torch.Tensor
                                        and layer["weight"].dim() == 2 for layer in listed),
           f"{what}: the model's Linear layers could not be read (expected a weight matrix for each).", hint)
    found = [tuple(layer["weight"].shape) for layer in listed]
    expect(len(found) <= MAX_LAYERS and all(max(shape) <= MAX_WIDTH for shape in found),
           f"{what}: the network's Linear layers are {found}; the grader reads networks of at most {MAX_LAYERS} "
           f"Linear layers of at most {MAX_WIDTH} units each.", hint)
    size = sum(math.prod(shape) + shape[0] for shape in found)
    expect(size <= MAX_PARAMETERS, f"{what}: the network has {size:,} parameters; the grader reads networks of at "
           f"most {MAX_PARAMETERS:,} (the lecture's 3 x 64 has 8,577; a bump network with n = 200, 1,201).", hint)
    chained = bool(found) and found[0][1] == 1 and found[-1][0] == 1 and all(
        a[0] == b[1] for a, b in zip(found[:-1], found[1:]))
    expect(found == [tuple(s) for s in shapes] if shapes is not None else chained,
           f"{what}: expected Linear weights of shapes {shapes or 'chaining 1 input to 1 output'}, "
           f"found {found}.", hint)
    pairs = []
    for i, layer in enumerate(listed):
        expect(layer.get("bias") is not None, f"{what}: Linear layer {i} has no bias.", "keep nn.Linear's bias=True.")
        weight = expect_tensor(f"{what}: weight of Linear layer {i}", layer["weight"])
        bias = expect_tensor(f"{what}: bias of Linear layer {i}", layer["bias"], shape=(found[i][0],))
        pairs.append((weight.double(), bias.double()))
    return pairs


def hidden_widths(layers: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[int, ...]:
    return tuple(weight.shape[0] for weight, _ in layers[:-1])


def bump_forward(layers: list[tuple[torch.Tensor, torch.Tensor]], x: torch.Tensor) -> torch.Tensor:
    """The grader's forward pass Linear -> Sigmoid -> Linear, in float64, for x of shape (N,).

    Checks 2.1, 2.3 and 2.4 judge the same networks (one shared call) on the same 20,001 points: the
    last few results are kept, keyed by the bytes of the layers and points, so identical inputs are
    computed once (half a second of the grader's time per submission)."""
    (w1, b1), (w2, b2) = layers
    key = hashlib.sha256()
    for tensor in (w1, b1, w2, b2, x):
        key.update(f"{tensor.dtype}{tuple(tensor.shape)}".encode() + tensor.contiguous().numpy().tobytes())
    digest = key.digest()
    with _RECENT_LOCK:
        known = _RECENT_FORWARDS.get(digest)
    if known is not None:
        return known.clone()
    value = (torch.sigmoid(x.double().reshape(-1, 1) @ w1.T + b1) @ w2.T + b2).reshape(-1)
    with _RECENT_LOCK:
        _RECENT_FORWARDS[digest] = value.clone()
        while len(_RECENT_FORWARDS) > RECENT_FORWARDS:
            _RECENT_FORWARDS.popitem(last=False)
    return value


RECENT_FORWARDS = 8
_RECENT_FORWARDS: "OrderedDict[bytes, torch.Tensor]" = OrderedDict()
_RECENT_LOCK = threading.Lock()


def mlp_forward(layers: list[tuple[torch.Tensor, torch.Tensor]], x: torch.Tensor) -> torch.Tensor:
    """The grader's forward pass Linear -> ReLU -> ... -> Linear, in float64, for x of shape (N,)."""
    h = x.double().reshape(-1, 1)
    for i, (weight, bias) in enumerate(layers):
        h = h @ weight.T + bias
        if i < len(layers) - 1:
            h = torch.relu(h)
    return h.reshape(-1)


def expect_own_output(what: str, claimed: Any, computed: torch.Tensor, hint: str) -> None:
    """The model's output (computed in the child) must be what its weights say it is."""
    output = expect_tensor(f"{what}: the model's output on the grid", claimed, finite=False)
    expect(output.numel() == computed.numel(), f"{what}: the model returned {output.numel()} values for "
           f"{computed.numel()} points of shape (N, 1).")
    gap = float((output.double().reshape(-1) - computed).abs().max())
    expect(gap <= 1e-4, f"{what}: the model's own output differs by up to {gap:.3g} from the forward pass "
           "of its layers computed by the grader.", hint)


def step_positions(layers: list[tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
    """Where each hidden unit steps: s = -b / w."""
    (w1, b1), _ = layers
    return -b1 / w1.reshape(-1)


def expect_construction(what: str, layers: list[tuple[torch.Tensor, torch.Tensor]], n: int, w: float) -> None:
    """First-layer weights all w; steps at the interior edges k/n (twice each) and one at or beyond each end."""
    (w1, _), _ = layers
    off = float((w1 - w).abs().max())
    expect(off <= 1e-6 * w, f"{what}: every first-layer weight must be w = {w:g}; the farthest is off by "
           f"{off:.4g} (weights from {float(w1.min()):.8g} to {float(w1.max()):.8g}).",
           "set the weights by hand under torch.no_grad() (model[0].weight.fill_(w)); do not train.")
    positions = step_positions(layers).sort().values
    interior = (torch.arange(1, n, dtype=torch.float64) / n).repeat_interleave(2)
    tol = 1e-5
    # Where exactly the outer steps sit (the handout says -1/n and 1 + 1/n) is judged by its effect,
    # the error at the ends (the sup-error check): here they only have to bound the bins.
    expect(bool(positions[0] <= tol) and bool(positions[-1] >= 1.0 - tol),
           f"{what}: the outermost steps are at {float(positions[0]):.4g} and {float(positions[-1]):.4g}; "
           f"expected the first bin's left step at or below 0 and the last bin's right step at or above 1.",
           "the first bin's left step goes to -1/n and the last bin's right step to 1 + 1/n.")
    gap = float((positions[1:-1] - interior).abs().max()) if n > 1 else 0.0
    expect(gap <= tol, f"{what}: the steps (s = -bias/weight) must sit at the bin edges k/n, each twice "
           f"(k = 1..{n - 1}); the sorted positions are off by up to {gap:.4g}.",
           "the unit stepping at s has bias -w * s.")


# -- training -------------------------------------------------------------------------------------

def relu_modules(depth: int) -> list[str]:
    return ["Linear", "ReLU"] * depth + ["Linear"]


def relu_shapes(hidden: tuple[int, ...]) -> list[tuple[int, int]]:
    sizes = (1, *hidden, 1)
    return [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def expect_losses(what: str, losses: Any, steps: int | None, floats: bool = True) -> list[float]:
    """One loss per step (``steps`` None: any number; the replay judges the count, the long run does
    not charge it again). ``floats``: each a Python float (loss.item()); otherwise one-element tensors
    are read too (the replay judges the values; the long run judges keeping tensors, once)."""
    if type(losses) is not list or (steps is not None and len(losses) != steps):
        count = len(losses) if type(losses) in (list, tuple) else None
        fail(f"{what}: expected a list of {'' if steps is None else f'{steps} '}losses (one per step), got "
             f"{describe(losses) if count is None else f'{count} items'}.")
    values = []
    for i, value in enumerate(losses):
        if not floats and type(value) is torch.Tensor and value.numel() == 1:
            value = float(value)
        expect(is_number(value), f"{what}[{i}] is {describe(value)}, not a finite float.",
               "append loss.item(): a loss tensor keeps its step's whole graph alive in memory.")
        values.append(float(value))
    return values


def step_batches(calls: Any, steps: int) -> list[torch.Tensor]:
    """The points of each training step, from the inputs the student evaluated the grader's f on."""
    expect(type(calls) is list and len(calls) in (steps, 1),
           f"train_approximator evaluated f {len(calls) if type(calls) is list else '?'} times in {steps} steps; "
           f"expected once per step ({steps}) or, for full-batch training, once.",
           "y = f(x) once per step on the step's points (or once, before the loop, for a fixed full batch).")
    batches = [expect_tensor("the points f was evaluated on", c).double().reshape(-1) for c in calls]
    for batch in batches:
        expect(batch.numel() > 0 and bool((batch >= 0).all()) and bool((batch <= 1).all()),
               f"train_approximator evaluated f on points from {float(batch.min()):.4g} to {float(batch.max()):.4g}; "
               "the points must lie in [0, 1].", "x = torch.rand(batch_size, 1)")
    return batches * steps if len(batches) == 1 else batches


def replay(initial: list[tuple[torch.Tensor, torch.Tensor]], batches: list[torch.Tensor], name: str,
           lr: float) -> tuple[list[tuple[torch.Tensor, torch.Tensor]], list[float]]:
    """The reference training steps, run here: Adam(lr) on the mean squared error against the grader's
    f, from the student's initial weights, on the points of each of the student's steps (float32)."""
    params = [p.float().clone().requires_grad_(True) for pair in initial for p in pair]
    adam = AdamUpdate(params, lr)
    losses = []
    for batch in batches:
        x = batch.float().reshape(-1, 1)
        y = FORMULAS[name](x, torch)  # in float32, as the child computed it
        h = x
        for i in range(0, len(params), 2):
            h = torch.nn.functional.linear(h, params[i], params[i + 1])
            if i < len(params) - 2:
                h = torch.relu(h)
        loss = torch.mean((h - y) ** 2)
        losses.append(loss.item())
        gradients = torch.autograd.grad(loss, params)
        adam.update(gradients)
    final = [(params[i].detach().double(), params[i + 1].detach().double()) for i in range(0, len(params), 2)]
    return final, losses


class AdamUpdate:
    """torch.optim.Adam's update with its default settings, operation for operation (its CPU
    single-tensor path), so the replay matches a student's Adam to the last bits.

    Written out because the grader itself must not construct torch.optim.Adam: its first
    construction imports torch._dynamo, about 1.5 s of CPU (5 s on a loaded machine), per grading.
    """

    def __init__(self, params: list[torch.Tensor], lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        self.params, self.lr, self.betas, self.eps, self.steps = params, lr, betas, eps, 0
        self.exp_avg = [torch.zeros_like(p) for p in params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in params]

    @torch.no_grad()
    def update(self, gradients: tuple[torch.Tensor, ...]) -> None:
        beta1, beta2 = self.betas
        self.steps += 1
        bias_correction1 = 1 - beta1 ** self.steps
        bias_correction2_sqrt = (1 - beta2 ** self.steps) ** 0.5
        for param, grad, exp_avg, exp_avg_sq in zip(self.params, gradients, self.exp_avg, self.exp_avg_sq):
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(self.eps)
            param.addcdiv_(exp_avg, denom, value=-self.lr / bias_correction1)


NETWORK = ["Linear", "Sigmoid", "Linear"]


NETWORK_HINT = "nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1)), weights set by hand."


MLP_HINT = ("nn.Sequential(Linear(1, 64), ReLU(), Linear(64, 64), ReLU(), Linear(64, 64), ReLU(), Linear(64, 1)): "
            "one Linear + ReLU per entry of `hidden`, then Linear(hidden[-1], 1).")


LOOP_HINT = ("per step: x = torch.rand(batch_size, 1); y = f(x); optimizer.zero_grad(); "
             "loss = nn.MSELoss()(model(x), y); loss.backward(); optimizer.step(); losses.append(loss.item()), "
             "with torch.optim.Adam(model.parameters(), lr=lr).")


def marked_grid(lo: float, hi: float, points: int, marks: tuple[float, ...]) -> torch.Tensor:
    """A float32 grid of [lo, hi] that contains the points ``marks`` exactly."""
    return torch.cat([torch.linspace(lo, hi, points), torch.tensor(marks)]).sort().values


def expect_values(what: str, observed: object, expected: torch.Tensor, hints: dict[str, torch.Tensor],
                  fallback: str) -> None:
    """``observed`` within 1e-5 of ``expected``; the hint is the first mistake the values match."""
    values = expect_tensor(what, observed, shape=tuple(expected.shape))
    gap = (values.double() - expected).abs()
    if float(gap.max()) <= 1e-5:
        return
    worst = int(gap.reshape(-1).argmax())
    hint = next((h for h, wrong in hints.items() if float((values.double() - wrong).abs().max()) <= 1e-5), fallback)
    fail(f"{what} is off by up to {float(gap.max()):.4g}: at entry {worst} it is "
         f"{float(values.reshape(-1)[worst]):.6g}, expected {float(expected.reshape(-1)[worst]):.6g}.", hint)


def own_bump(sub: Submission, x: torch.Tensor, left: float, right: float, height: float, w: float
              ) -> torch.Tensor | None:
    """height * (step(x, left, w) - step(x, right, w)) from the student's own step, or None."""
    try:
        up, down = (sub.call("step", x, edge, w) for edge in (left, right))
        if not (_steps_up(up, x) and _steps_up(down, x) and
                _steps_up(sub.call("step", STEP_PROBE, 0.5, 20.0), STEP_PROBE, rises=True)):
            return None  # not a step at all (constant, zeros, another shape): judged against the grader's steps
    except SubmissionError:
        return None
    return height * (up.double() - down.double())


#: Where the student's own step is tried once before 1.2 judges bumps against it: a step at 0.5 of
#: steepness 20 rises from sigma(-30) to sigma(30) here, and still rises by most of its height when its
#: position is mistaken for -s.
STEP_PROBE = torch.linspace(-1.0, 2.0, 301)


def _steps_up(values: Any, x: torch.Tensor, rises: bool = False) -> bool:
    """Whether ``values`` (at the points ``x``) never fall and stay within [0, 1], as a step does
    wherever it sits (where they are finite, at least half the points); ``rises``: and climb by at
    least a half (a constant, zeros included, is no step)."""
    if type(values) is not torch.Tensor or values.shape != x.shape:
        return False
    ordered = values.double().reshape(-1)[torch.argsort(x.reshape(-1))]
    finite = torch.isfinite(ordered)   # NaN where exp overflows: 1.1's finding, not a sign of no step
    ordered = ordered[finite]
    return bool(float(finite.double().mean()) >= 0.5 and (ordered >= -1e-6).all() and (ordered <= 1 + 1e-6).all()
                and (ordered.diff() >= -1e-6).all() and (not rises or float(ordered[-1] - ordered[0]) >= 0.5))


#: The sandbox's own seed for calls whose result must not depend on it (it differs from every seed
#: passed to train_approximator, so unseeded code shows).
SANDBOX_SEED = 1234


def bump_layers(sub: Submission, name: str, sizes: list[tuple[int, float]], architecture: bool = False,
                timeout_s: float | None = None) -> list[tuple[int, float, list]]:
    """The student's bump networks for the grader's target ``name``: (n, w, float64 layers) each.

    Only ``architecture`` (check 2.1) requires Linear -> Sigmoid -> Linear and that the model computes
    what its weights say; the other checks judge the weights through the grader's own forward pass,
    so a wrong activation is charged once.
    """
    grid = dense_grid()
    found = []
    networks = sub.run(probes.bump_networks, name, sizes, grid.float(), sandbox_timeout_s=timeout_s,
                       sandbox_seed=SANDBOX_SEED)  # one seed: checks 2.1-2.4 share the call
    expect(type(networks) is list and len(networks) == len(sizes),
           f"bump_network was asked for {len(sizes)} networks; the grader received "
           f"{len(networks) if type(networks) is list else describe(networks)}.", NETWORK_HINT)
    for (n, w), seen in zip(sizes, networks):  # the sizes the grader asked for, never the record's
        what = f"bump_network(f, n={n}, w={w:g})"
        if architecture:
            expect_modules(what, seen, NETWORK, NETWORK_HINT)
        layers = expect_layers(what, seen, [(2 * n, 1), (1, 2 * n)], NETWORK_HINT)
        if architecture:
            expect_own_output(what, seen["output"], bump_forward(layers, grid).float().double(),
                              "the model must be exactly Linear -> Sigmoid -> Linear.")
        found.append((n, w, layers))
    return found


def sup_errors(name: str, networks: list[tuple[int, float, list]], margin: float = 0.0
               ) -> list[tuple[int, float, float, float]]:
    """(n, sup error on the dense grid, where, bound) for each network, by the grader's forward pass;
    ``margin``: only on [margin, 1 - margin] (away from the ends, which the sup-error check judges)."""
    grid = dense_grid()
    grid = grid[(grid >= margin) & (grid <= 1 - margin)]
    truth = target(name, grid)
    rows = []
    for n, w, layers in networks:
        error = (bump_forward(layers, grid) - truth).abs()
        worst = int(error.argmax())
        rows.append((n, float(error[worst]), float(grid[worst]), sup_bound(name, n, w)))
    return rows


def check_sup_errors(name: str, networks: list[tuple[int, float, list]]) -> str:
    """Fail when a network's sup error exceeds the bound of :func:`sup_bound`; else a summary."""
    rows = sup_errors(name, networks)
    ends = torch.tensor([0.0, 1.0], dtype=torch.float64)
    at_ends = target(name, ends)
    for (n, error, where, bound), (_, _, layers) in zip(rows, networks):
        half_way = (bump_forward(layers, ends) - at_ends).abs() > 0.3 * at_ends.abs()  # f/2 at an end
        hint = ("at x = 0 or 1 a step placed exactly on the end is only half way up: move the outer steps to "
                "-1/n and 1 + 1/n." if bool(half_way.any())
                else "each bin's height is f at the bin's centre, (i + 1/2)/n, not at an edge.")
        expect(error <= bound, f"bump_network(f, n={n}): the largest error |N(x) - f(x)| on [0, 1] is "
               f"{error:.4g} (at x = {where:.4f}), above the bound {bound:.4g} = L (1/(2n) + 2 ln 2 / w) + "
               f"2 M sigma(-w/n) that the construction guarantees (L = sup|f'|, M = sup|f|).", hint)
    return "sup errors " + ", ".join(f"n={n}: {error:.3g} (bound {bound:.3g})" for n, error, _, bound in rows)


def trained(sub: Submission, name: str, kwargs: dict, record: bool = False, reference: bool = False,
            sandbox_seed: int | None = None) -> dict:
    target = sub.reference if reference else sub
    return target.run(probes.trained, name, kwargs, record, dense_grid().float(), sandbox_seed=sandbox_seed)


def expect_defaults(sub: Submission, function: str, wanted: dict[str, Any]) -> None:
    """``function``'s default arguments, read from the student's source (parsed here, never run), must be
    ``wanted`` where they are literals; a default the parser cannot evaluate is not charged."""
    tree = parse_source(student_source(sub) or "")
    found = [node for node in (tree.body if tree else []) if isinstance(node, ast.FunctionDef) and node.name == function]
    if not found:
        return
    arguments = found[-1].args
    positional = arguments.posonlyargs + arguments.args
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
    for argument, default in pairs:
        if argument.arg not in wanted:
            continue
        try:
            value = ast.literal_eval(default)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        want = wanted[argument.arg]
        same = tuple(value) == want if isinstance(want, tuple) and isinstance(value, (tuple, list)) else value == want
        expect(same, f"{function}'s default {argument.arg}={value!r}; the handout's signature has "
               f"{argument.arg}={want!r}.", f"def {function}(f, " + ", ".join(f"{k}={v!r}" for k, v in wanted.items())
               + "): a caller relying on the defaults gets the lecture's training.")


def start_layers(what: str, seen: dict, hidden: tuple[int, ...] | None = None) -> list:
    """The network a steps=0 run starts from: its layers as its first optimizer received them, when the
    probe saw them (so a loop that takes one step too many is charged by the replay, 3.3, not again by
    the checks that need the start), else the weights it returned. The architecture and the model's own
    output are judged on what it returned (:func:`mlp_layers`)."""
    returned = mlp_layers(what, seen, hidden)
    if seen.get("initial") is None:
        return returned
    return expect_layers(what, {"layers": seen["initial"]}, [tuple(w.shape) for w, _ in returned], MLP_HINT)


def mlp_layers(what: str, seen: dict, hidden: tuple[int, ...] | None = None) -> list:
    """The trained network's Linear layers (float64).

    With ``hidden`` (checks 3.1 and 4.2): exactly one Linear + ReLU per entry, then Linear(., 1), and
    the model computes what its weights say. Without: any chain Linear(1, .) ... Linear(., 1), which
    the grader evaluates as a ReLU network, so a wrong architecture is charged once.
    """
    if hidden is not None:
        expect_modules(what, seen, relu_modules(len(hidden)), MLP_HINT)
    layers = expect_layers(what, seen, None if hidden is None else relu_shapes(hidden), MLP_HINT)
    if hidden is not None:
        expect_own_output(what, seen["output"], mlp_forward(layers, dense_grid()), MLP_HINT)
    return layers


def check_replay(sub: Submission, name: str, hidden: tuple[int, ...], settings: dict,
                 architecture: bool = False) -> str:
    """Replay the student's first steps here (:func:`replay`) and compare weights and losses.

    The initial weights are the student's own (steps=0, same seeds) and the points are the ones the
    student evaluated the grader's f on, so sampling schemes within the handout (fresh mini-batches,
    one fixed full batch) all replay exactly; what is judged is the update: MSE (mean), Adam, lr.
    ``architecture``: also require exactly the layers ``hidden`` asks for.
    """
    what, start, seen, final = recorded_run(sub, name, {**settings, "hidden": hidden},
                                            hidden if architecture else None)
    losses = expect_losses(f"{what}: losses", seen["losses"], settings["steps"], floats=False)
    batches = step_batches(seen["calls"], settings["steps"])
    sizes = sorted({len(batch) for batch in batches})
    expect(len(seen["calls"]) == 1 or sizes == [settings["batch_size"]],   # one call: a fixed full batch
           f"{what}: the steps drew {' or '.join(map(str, sizes))} points each; batch_size={settings['batch_size']} "
           "asks for that many per step.", "x = torch.rand(batch_size, 1) in every step (or one fixed full batch).")
    want_layers, want_losses = replay(start, batches, name, settings["lr"])
    hint = LOOP_HINT
    if all(math.isclose(o, e * len(b), rel_tol=1e-3) for o, e, b in zip(losses, want_losses, batches)):
        hint = "the loss is summed over the batch: the mean squared error averages it (nn.MSELoss())."
    elif all(math.isclose(o, e, rel_tol=1e-4) for o, e in zip(losses, replay(start, batches, name, 1e-3)[1])):
        hint = f"the learning rate is ignored: the steps match lr=1e-3, not lr={settings['lr']}."
    for i, (observed, expected) in enumerate(zip(losses, want_losses)):
        expect(math.isclose(observed, expected, rel_tol=1e-4, abs_tol=1e-7),
               f"{what}: the loss of step {i} is {observed:.6g}; the grader's replay of that step (your initial "
               f"weights, your points, Adam(lr={settings['lr']}), mean squared error) gives {expected:.6g}.", hint)
    for i, ((weight, bias), (want_w, want_b)) in enumerate(zip(final, want_layers)):
        gap = max(float((weight - want_w).abs().max()), float((bias - want_b).abs().max()))
        expect(gap <= 1e-5 + 1e-4 * float(want_w.abs().max()),
               f"{what}: after {settings['steps']} steps, Linear layer {i} differs from the grader's replay by "
               f"up to {gap:.3g}.", hint)
    return f"{settings['steps']} steps replayed: losses {', '.join(f'{v:.4g}' for v in losses)}"


#: How far (sup on the 20,001-point grid) the returned network may be from the grader's replay of the
#: whole run. Measured at 3.4's settings (1,500 Adam steps): nn.MSELoss, F.mse_loss, ((out - y) ** 2)
#: .mean(), torch.square, foreach Adam, another thread count: 0 (the same float32 operations); the
#: network trained in float64: 6.7e-4; a replay whose start moved by 1e-7: 3.2e-3 (Adam's steps
#: amplify the last bits, so weights are not compared). Trained otherwise: lr 2e-3 0.031, lr 5e-4
#: 0.045, no zero_grad 0.41; a network set by hand or not trained ends further still.
FUNCTION_SLACK = 0.01
#: The most the parent replays of a run whose sizes the student picks: the steps (at most twice those
#: asked for, so that per-step overhead stays bounded) and the work, points x parameters summed over the
#: steps, at most six times the reference's (1,500 steps of 64 points on 8,577 parameters: about 1 s
#: here; a full batch of up to 384 points fits).
MAX_STEP_FACTOR, MAX_REPLAY_WORK = 2, 6 * 1_500 * 64 * 8_577
#: Fewer distinct points than this in a step cannot be the handout's sampling (a batch of batch_size
#: points, or a fixed full batch of [0, 1]); a run on one point could start at a zero-gradient fit.
MIN_DISTINCT_POINTS = 16


def expect_untrained_start(what: str, start: list[tuple[torch.Tensor, torch.Tensor]], name: str) -> None:
    """A replayed run's start must be an untrained network: drawn as PyTorch's default initialization
    draws it (:func:`laws.expect_default_linear`), or, for another initialization (Xavier, say: 3.2
    charges that), one that does not already fit f, its MSE at least half of f's variance on [0, 1].

    Without this, a start set by hand (a fit of f, or all zeros on one point, where every gradient
    vanishes) would be replayed faithfully into a network that was never trained. An untrained network
    is near a constant on [0, 1], so its MSE is at least about f's variance (0.041 for Nielsen's f; the
    reference's starts 0.1 and more); the bound costs a correct start nothing."""
    try:
        laws.expect_default_linear(what, start, "")
        return
    except CheckFailed:
        pass
    grid = dense_grid()
    truth = target(name, grid)
    mse, floor = float(((mlp_forward(start, grid) - truth) ** 2).mean()), float(truth.var()) / 2
    expect(mse >= floor, f"{what}: the network starts at a mean squared error of {mse:.3g} on [0, 1], below half "
           f"of f's variance ({floor:.3g}): it already fits f before training, so the grader cannot replay a "
           "training from it.", "build the network after torch.manual_seed(seed) and leave nn.Linear's own "
           "initialization in place; only the training may fit f.")


def replayable_batches(calls: Any, losses: Any, steps: int, parameters: int) -> list[torch.Tensor]:
    """The points of every step the student made: one batch per evaluation of f, or one fixed batch
    repeated once per reported loss (full-batch training); at least ``steps`` steps (3.3 judges the
    exact count), within the replay's bounds."""
    expect(type(calls) is list and len(calls) > 0, "train_approximator never evaluated f, so its training "
           "cannot be replayed.", LOOP_HINT)
    expect(len(calls) <= MAX_STEP_FACTOR * steps, f"train_approximator evaluated f {len(calls)} times in a run of "
           f"{steps} steps; the grader replays at most {MAX_STEP_FACTOR * steps}.", LOOP_HINT)
    count = len(losses) if type(losses) is list and len(calls) == 1 else len(calls)
    expect(steps <= count <= MAX_STEP_FACTOR * steps, f"train_approximator made {count} steps; {steps} were asked "
           "for.", LOOP_HINT)
    batches = [expect_tensor("the points f was evaluated on", c).double().reshape(-1) for c in calls]
    work = sum(b.numel() for b in batches) * (count if len(batches) == 1 else 1) * parameters
    expect(work <= MAX_REPLAY_WORK, f"train_approximator trained {parameters:,} parameters on "
           f"{work // parameters:,} points in all (steps x points per step); the grader replays at most "
           f"{MAX_REPLAY_WORK // parameters:,} for this network.",
           "batch_size points per step, or one fixed full batch of a few hundred points.")
    for batch in batches:
        expect(batch.unique().numel() >= MIN_DISTINCT_POINTS, f"train_approximator made a step on "
               f"{batch.unique().numel()} distinct point(s); the handout's steps use batch_size points drawn in "
               "[0, 1] (or one fixed full batch).", LOOP_HINT)
    return batches * count if len(batches) == 1 else batches


def recorded_run(sub: Submission, name: str, kwargs: dict, shape: tuple[int, ...] | None = None,
                 sandbox_seed: int = SANDBOX_SEED) -> tuple[str, list, dict, list]:
    """What a replay starts from: the call as written for feedback, the student's starting weights
    (the same call with steps=0, judged by :func:`expect_untrained_start`), the run recorded with every
    input f saw, and the network it returned (``shape``: exactly those hidden layers)."""
    what = f"train_approximator(f, {', '.join(f'{k}={v}' for k, v in kwargs.items())})"
    start = start_layers(what.replace(f"steps={kwargs['steps']}", "steps=0"),
                         trained(sub, name, {**kwargs, "steps": 0}, sandbox_seed=sandbox_seed), shape)
    expect_untrained_start(what, start, name)
    seen = trained(sub, name, kwargs, record=True, sandbox_seed=sandbox_seed)
    return what, start, seen, mlp_layers(what, seen, shape)


def verified_fit(sub: Submission, name: str, settings: dict, sandbox_seed: int = SANDBOX_SEED
                 ) -> tuple[list[tuple[torch.Tensor, torch.Tensor]], bool]:
    """The network train_approximator returns, once the grader has replayed the whole run (Adam at the
    settings' lr, mean squared error, from the student's own starting weights, on the points the
    student evaluated f on) and found the returned network to compute what the replay's does. A
    network set without this training cannot match it. Returns the replay's layers (truth computed here)
    and whether the losses came back as tensors rather than floats (the caller charges that, in proportion).
    ``sandbox_seed`` seeds the child's generators (a run that does not seed with ``settings["seed"]``
    still draws anew for another seed)."""
    what, start, seen, final = recorded_run(sub, name, settings, sandbox_seed=sandbox_seed)
    expect([w.shape for w, _ in final] == [w.shape for w, _ in start], f"{what}: the trained network's layers "
           f"{[tuple(w.shape) for w, _ in final]} are not those it starts from, {[tuple(w.shape) for w, _ in start]}.")
    expect_losses(f"{what}: losses", seen["losses"], None, floats=False)  # 3.3 judges the count
    batches = replayable_batches(seen["calls"], seen["losses"], settings["steps"],
                                 sum(w.numel() + b.numel() for w, b in start))
    replayed, _ = replay(start, batches, name, settings["lr"])
    grid = dense_grid()
    gap = float((mlp_forward(final, grid) - mlp_forward(replayed, grid)).abs().max())
    expect(gap <= FUNCTION_SLACK, f"{what}: the returned network differs by up to {gap:.3g} on [0, 1] from the one "
           f"the grader's replay of your run ends with (your starting weights, your points, Adam(lr={settings['lr']}), "
           "mean squared error): the network must be the result of that training.", LOOP_HINT)
    return replayed, any(type(value) is not float for value in seen["losses"])


BUMPS_IN_PLOT = (50, 5000.0)


#: A bump_network that hangs costs the plot this much, not the final-error check's whole timeout.
PLOT_TIMEOUT_S = 10.0


def feedback_plot(sub: Submission, grid: torch.Tensor, fitted: torch.Tensor) -> str:
    """f, the student's bump network (n = 50) and trained network, drawn here from curves computed here."""
    from autograder.figures import markdown_image, new_figure

    figure, axes = new_figure()
    axes.plot(grid, target("nielsen", grid), color="black", lw=2.0, label="f (Nielsen's example)")
    try:
        (n, _, layers), = bump_layers(sub, "nielsen", [BUMPS_IN_PLOT], timeout_s=PLOT_TIMEOUT_S)
        axes.plot(grid, bump_forward(layers, grid), lw=1.0, label=f"your bump network, n = {n}")
    except Exception:  # noqa: BLE001 -- a broken bump_network is graded elsewhere; plot the rest
        pass
    axes.plot(grid, fitted, lw=1.0, ls="--", label="your trained ReLU network")
    axes.set(xlabel="x", ylabel="y", xlim=(0, 1))
    axes.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    return markdown_image(figure, "f, your bump network and your trained network")
