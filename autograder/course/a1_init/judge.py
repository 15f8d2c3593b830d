"""How a1_init checks judge an initializer: the exact law, calibrated tests, and named mistakes."""

from __future__ import annotations

import ast
import math
import re
from typing import Any, Callable

import torch

from autograder import laws, stats
from autograder.course.a1_init import probes
from autograder.expect import CheckFailed, expect, expect_equal, expect_tensor, fail, hint_on_error
from autograder.files import parse_source
from autograder.sandbox import SubmissionError, probes as common
from autograder.submission import Submission

INITIALIZERS = ("xavier_normal_", "xavier_uniform_", "kaiming_normal_", "kaiming_uniform_")
#: The check that charges each initializer's spread: other checks refer to it instead of charging again.
CHARGED_IN = {"xavier_normal_": "2.1", "xavier_uniform_": "3.1", "kaiming_normal_": "4.1", "kaiming_uniform_": "5.1"}


def sampled(sub: Submission, name: str, shape: tuple[int, ...], **kwargs: Any) -> torch.Tensor:
    """The tensor the student's initializer filled, validated as a full float tensor of ``shape``."""
    call = f"{name}(torch.empty{shape}{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
    with hint_on_error(f"{call} must fill the tensor in place with {laws.law_of(name, shape, **kwargs).formula}."):
        observed = sub.run(probes.sample, name, list(shape), **kwargs)
    return expect_tensor(f"the tensor after {call}", observed["values"], shape=shape, dtype=torch.float32)


#: Shapes with another law's std, to tell a hard-coded std from a wrong formula.
_PROBE_SHAPES = ((64, 1000), (1000, 64))


def spread_hint(sub: Submission, name: str, shape: tuple[int, ...], values: torch.Tensor, **kwargs: Any) -> str | None:
    """Why the spread is wrong, named only when the observations match one mistake's prediction.

    Runs the initializer once more on a shape whose correct std differs from this one's by far more than
    the tolerance. The same std on both shapes = hard-coded; a named mistake must explain both samples.
    """
    observed_std = math.sqrt(stats.second_moment(values))
    if observed_std == 0:
        return "the tensor is all zeros."
    law, other = laws.law_of(name, shape, **kwargs), next(s for s in _PROBE_SHAPES if s != shape)
    other_law = laws.law_of(name, other, **kwargs)
    try:
        other_values = sampled(sub, name, other, **kwargs)
    except (CheckFailed, SubmissionError):
        return laws.mistake_hint(observed_std, law, values.numel())
    other_std = math.sqrt(stats.second_moment(other_values))
    n = min(values.numel(), other_values.numel())
    low, high = stats.variance_ratio_bounds(law.kind, n)
    if low / high <= (other_std / observed_std) ** 2 <= high / low:
        return (f"the std is {observed_std:.5f} on shape {shape} and {other_std:.5f} on shape {other}, where the "
                f"correct stds are {law.std:.5f} and {other_law.std:.5f}: it does not change with the shape. "
                "Is it hard-coded? Compute it from fan_in_and_fan_out(tensor).")
    found = laws.diagnose(observed_std, law, values.numel())
    if found is not None and found == laws.diagnose(other_std, other_law, other_values.numel()):
        return list(law.mistakes)[found]
    return None


def judge_initializer(sub: Submission, name: str, shape: tuple[int, ...], test_shape: bool = False,
                      **kwargs: Any) -> str:
    """Run the student's ``name`` on ``shape`` and judge its spread (and its law and independence, when asked).

    Tests: 3-4 (spread), plus 4 with ``test_shape`` (KS, two sign agreements, repeats): at most 8, so a
    correct initializer fails with probability <= 8e-8 per sample.
    """
    values = sampled(sub, name, shape, **kwargs)
    call = f"{name} on shape {shape}" + "".join(f", {k}={v!r}" for k, v in kwargs.items())
    law = laws.law_of(name, shape, **kwargs)
    hint = spread_hint(sub, name, shape, values, **kwargs) if laws.spread_fails(values, law) else None
    notes = [laws.judge_spread(values, law, call, hint=hint or "")]
    if test_shape:
        ordered = values.flatten().sort().values
        notes.append(laws.judge_shape(values, law, call, ordered))
        notes.append(laws.judge_independence(values, call, ordered))
    return f"{call}: " + "; ".join(notes)


def expect_value_error(sub: Submission, what: str, name: str, *args: Any, **kwargs: Any) -> None:
    """The student's ``name(*args)`` must raise ValueError."""
    raised = sub.run(common.raises, name, *args, **kwargs)
    expect(raised == "ValueError", f"{what}: expected ValueError, "
           + ("but nothing was raised." if raised is None else f"got {raised}."))


def judge_fans(sub: Submission, shape: tuple[int, ...]) -> None:
    """fan_in_and_fan_out on a tensor of ``shape`` must give the two fans as ints (zeros, never
    ``torch.empty``: what a check sends a child must not be the parent's uninitialized memory, which can
    hold freed bytes of other submissions)."""
    observed = sub.call("fan_in_and_fan_out", torch.zeros(shape))
    if type(observed) in (list, tuple) and len(observed) == 2:
        observed = tuple(int(v) if type(v) is int else v for v in observed)
    fan_in, fan_out = laws.fans(shape)
    expect_equal(f"fan_in_and_fan_out(torch.empty{shape})", observed, (fan_in, fan_out),
                 hint="for a weight of shape (out, in, *kernel): fan_in = in * prod(kernel), "
                 "fan_out = out * prod(kernel).")


def each_initializer(sub: Submission, observe: Callable[[str], None]) -> str:
    """Run ``observe(name)`` for every initializer; one that cannot even fill a plain tensor is charged in
    its own check only.

    A failure that also happens on a plain ``torch.empty`` (probes.sample) belongs to the initializer's own
    check (CHARGED_IN) and is listed once, without its traceback; a failure only this check's scenario
    provokes (e.g. an in-place fill of an nn.Parameter outside torch.no_grad) is this check's verdict.
    When no initializer runs at all, the first failure is the verdict (a stub reads "not implemented yet").
    """
    skipped: list[tuple[str, SubmissionError]] = []
    for name in INITIALIZERS:
        try:
            observe(name)
        except SubmissionError as error:
            try:
                sub.run(probes.sample, name, [30, 50])
            except SubmissionError:
                skipped.append((name, error))
                continue
            raise error from None
    if len(skipped) == len(INITIALIZERS):
        raise skipped[0][1]
    return "; ".join(f"{name} not judged here: it fails to run ({error.kind.replace('_', ' ')}), charged in "
                     f"check {CHARGED_IN[name]}" for name, error in skipped) or "every initializer"


def demo_state(seed: int = 2024, bias_free: bool = True) -> dict[str, torch.Tensor]:
    """The demo model's parameters and buffers before init_weights, chosen here in the parent."""
    generator = torch.Generator().manual_seed(seed)
    state = probes.demo_model(bias_free).state_dict()
    return {k: (torch.randn(v.shape, generator=generator) if v.is_floating_point() else v.clone())
            for k, v in state.items()}


def owners(bias_free: bool = True) -> dict[str, str]:
    """Which module type owns each parameter and buffer of the demo model (built here, not reported)."""
    model = probes.demo_model(bias_free)
    return {k: type(model.get_submodule(k.rsplit(".", 1)[0])).__name__ for k in model.state_dict()}


def _same_law(first: torch.Tensor, second: torch.Tensor) -> bool:
    """Two zero-mean samples with equal mean and variance (a two-sample test at about 1e-8 per statistic).

    log(s1^2 / s2^2) has variance ~ v (1/n1 + 1/n2), with v = E[x^4]/E[x^2]^2 - 1 estimated from the
    pooled sample; a factor 1.25 on the tolerance covers estimating v and the log approximation.
    """
    a, b = first.double().flatten(), second.double().flatten()
    pooled = torch.cat([a, b])
    m2 = float(pooled.pow(2).mean())
    if m2 == 0:
        return bool((a == 0).all() and (b == 0).all())
    v = max(float(pooled.pow(4).mean()) / m2 ** 2 - 1.0, 0.1)
    inverse = 1 / a.numel() + 1 / b.numel()
    var_ok = abs(math.log(max(float(a.pow(2).mean()), 1e-300) / max(float(b.pow(2).mean()), 1e-300))) \
        <= 1.25 * stats.Z * math.sqrt(v * inverse)
    mean_ok = abs(float(a.mean()) - float(b.mean())) <= 1.25 * stats.Z * math.sqrt(m2 * inverse)
    return var_ok and mean_ok


def _judge_linear_weight(key: str, new: torch.Tensor, own: Any, scheme: str, hint: str) -> str:
    """A Linear weight after init_weights: the exact law if the student's own initializer is right,
    else the same law as that initializer's own output (its error is charged in its own check)."""
    name, call = f"{scheme}_", f"init_weights({scheme!r}) on Linear {key}"
    law = laws.law_of(name, tuple(new.shape))
    usable = type(own) is torch.Tensor and own.shape == new.shape and bool(torch.isfinite(own).all())
    if not usable or not laws.spread_fails(own, law):
        if type(own) is str:
            return f"{key}: not judged: your {name} raised {own} (charged in check {CHARGED_IN[name]})"
        return laws.judge_spread(new, law, call, hint=hint)
    expect(_same_law(new, own),
           f"{call}: std {math.sqrt(stats.second_moment(new)):.5f}, but your own {name} gives std "
           f"{math.sqrt(stats.second_moment(own)):.5f} on the same shape (the law's std is {law.std:.5f}; your "
           f"{name} is charged in check {CHARGED_IN[name]}).",
           f"init_weights must apply SCHEMES[scheme] = {name} to module.weight.")
    return (f"{key} follows your {name} (whose std {math.sqrt(stats.second_moment(own)):.5f} differs from "
            f"{law.std:.5f}: charged in check {CHARGED_IN[name]})")


def judge_apply(sub: Submission, scheme: str, bias: float, bias_free: bool = True) -> str:
    """``model.apply(partial(init_weights, scheme, bias))``: Linear weights follow the scheme (or the
    student's own initializer, when that one is charged elsewhere), Linear biases equal ``bias``, every
    other module is untouched. Before-values and module types are the parent's, not the child's.

    Tests: 3-4 per Linear weight (judge_spread or the two-sample test), 3 weights: at most 12 statistics,
    false-fail probability <= 1.2e-7.
    """
    before, owner_of = demo_state(bias_free=bias_free), owners(bias_free)
    try:
        observed = sub.run(probes.apply_init_weights, before, scheme, bias, bias_free)
    except SubmissionError as error:
        _explain_apply_error(sub, scheme, error)
    after = observed.get("after") if type(observed) is dict else None
    own = observed.get("own") if type(observed) is dict else None
    if type(after) is not dict:
        fail("init_weights: the grader could not read the model's parameters after model.apply.")
    own = own if type(own) is dict else {}
    notes: list[str] = []
    hint: str | None = None
    for key, owner in owner_of.items():
        new = expect_tensor(f"{key} after model.apply", after.get(key), shape=tuple(before[key].shape), finite=False)
        if owner != "Linear":
            expect(bool(torch.equal(new, before[key])),
                   f"init_weights changed {key} of a {owner}; only nn.Linear modules may be touched.")
        elif key.endswith("bias"):
            expect(bool((new == bias).all()),
                   f"{key}: every bias must equal the constant {bias!r}; got values in "
                   f"[{float(new.min()):.4g}, {float(new.max()):.4g}].")
        else:
            if hint is None:
                hint = _layers_hint(scheme, after)
            notes.append(_judge_linear_weight(key, new, own.get(key), scheme, hint))
    return "; ".join(notes)


def _layers_hint(scheme: str, after: dict[str, Any]) -> str:
    """Why the Linear weights' spread is wrong, named only when every layer shows the same signature.

    The same std for weights of different shapes (where the law's stds differ) = hard-coded; a named
    mistake must explain every layer's std (stats bounds of each layer's size). Otherwise "" (no guess).
    """
    values = [v for k, v in after.items() if k.endswith("weight") and type(v) is torch.Tensor and v.dim() == 2
              and v.numel() > 0 and bool(torch.isfinite(v).all())]
    if len(values) < 2:
        return ""
    observed = [math.sqrt(stats.second_moment(v)) for v in values]
    expected = [laws.law_of(f"{scheme}_", tuple(v.shape)) for v in values]
    low, high = stats.variance_ratio_bounds("normal", min(v.numel() for v in values))
    if (observed[0] > 0 and all(low / high <= (o / observed[0]) ** 2 <= high / low for o in observed)
        and not all(low <= (law.std / expected[0].std) ** 2 <= high for law in expected)):
        return (f"the Linear weights of shapes {', '.join(str(tuple(v.shape)) for v in values)} all have std "
                f"{observed[0]:.5f}, where the law asks for {', '.join(f'{law.std:.5f}' for law in expected)}: is the "
                "std hard-coded instead of computed from each weight's fans?")
    found = {laws.diagnose(o, law, v.numel()) for o, law, v in zip(observed, expected, values)}
    return list(expected[0].mistakes)[found.pop()] if len(found) == 1 and None not in found else ""


def _explain_apply_error(sub: Submission, scheme: str, error: SubmissionError) -> None:
    """init_weights failed to run: when the student's own initializer fails the same way, the charge is
    that initializer's check, named here instead of repeating its traceback."""
    name = f"{scheme}_"
    frames = re.findall(r", in (\w+)", error.traceback)
    if frames and frames[-1] == "init_weights":  # init_weights itself failed (e.g. it is still a stub)
        own_error = None
    else:
        try:
            sub.run(probes.sample, name, [30, 50])
            own_error = None
        except SubmissionError as failed:
            own_error = failed
    if own_error is not None and own_error.kind == error.kind:
        lead = "Not implemented yet: " if error.kind == "not_implemented" else ""
        fail(f"{lead}init_weights({scheme!r}) cannot run because your {name} fails ({own_error.kind.replace('_', ' ')}: "
             f"{own_error.message[:200]}); that is charged in check {CHARGED_IN[name]}, not here again.")
    error.hint = (f"init_weights(module, scheme={scheme!r}, bias=...) must apply {name} to an nn.Linear's weight, "
                  "fill its bias with the constant, and leave other modules alone.")
    raise error


#: Names of torch.nn that lead to torch.nn.init.
_NN_MODULES = {"torch.nn"}


def nn_init_uses(source: str) -> list[str]:
    """Where the student's source reaches torch.nn.init, read in the parent with ``ast`` (never executed).

    Catches: ``import torch.nn.init [as x]``, ``from torch.nn import init``, ``from torch.nn.init import f``,
    ``<torch.nn or an alias of it>.init``, ``getattr(<x>, "init")``, ``<x>["init"]``, and import_module /
    __import__ / eval / exec of a string naming torch.nn.init. Does not catch what computes the name at run
    time (string arithmetic, reflection): the probe's profile hook is the second line of defence.
    """
    tree = parse_source(source)
    if tree is None:
        return []
    aliases = {"torch": "torch"}   # local name -> module it denotes
    uses: list[tuple[int, str]] = []

    def dotted(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def use(node: ast.AST, what: str) -> None:
        uses.append((getattr(node, "lineno", 0), what))

    for node in ast.walk(tree):   # imports first: aliases must be known before attribute uses
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "torch.nn.init" or alias.name.startswith("torch.nn.init."):
                    use(node, f"import {alias.name}")
                elif alias.name.startswith("torch"):
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else "torch"
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full.startswith("torch.nn.init") or node.module.startswith("torch.nn.init"):
                    use(node, f"from {node.module} import {alias.name}")
                elif node.module.startswith("torch"):
                    aliases[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "init" and dotted(node.value) in _NN_MODULES:
            use(node, f"{dotted(node.value)}.init")
        elif isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if func == "getattr" and "init" in strings:
                use(node, 'getattr(..., "init")')
            elif func in ("import_module", "__import__", "eval", "exec", "compile") and any(
                    "nn.init" in text for text in strings):
                use(node, f"{func}({strings[0]!r})")
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "init"
              and (getattr(getattr(node.value, "func", None), "id", None) == "vars"
                   or getattr(node.value, "attr", None) == "__dict__")):
            use(node, 'vars(...)["init"]')
    return [f"line {line}: {what}" for line, what in sorted(set(uses))]
