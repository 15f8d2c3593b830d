"""Public checks of a1_init: fans, the four initializers, and ``init_weights`` via ``model.apply``.

Every statistical tolerance comes from :mod:`autograder.stats`: at most 1e-8 per statistic for a correct
implementation, at the sample size really used; a check makes at most 12 statistics (7.x: 3 Linear
weights x 4), so it false-fails with probability below 1.2e-7. Each public spread check draws 150,000
values (300 x 500). Checks that need another function's result (6.x over every initializer, 7.x over
the student's own initializers) charge a failing function once, in its own check, and name that check.
"""

from __future__ import annotations

import torch

from autograder.course.a1_init import judge, probes
from autograder.course.a1_init.judge import INITIALIZERS
from autograder.expect import expect, expect_tensor, fail, hint_on_error
from autograder.registry import check
from autograder.submission import Submission, student_source

#: What fan_in_and_fan_out must do: shown also when the student's code raises (feedback.explain).
FANS_HINT = hint_on_error("for a weight of shape (out, in, *kernel): fan_in = in * prod(kernel), fan_out = out * "
                          "prod(kernel); raise ValueError below 2 dimensions.")
MODE_HINT = hint_on_error("mode is 'fan_in' or 'fan_out'; any other value raises ValueError.")
SHAPE = (300, 500)   # out=300, in=500: non-square, so fan_in and fan_out cannot be confused


@check("1.1", "fan_in_and_fan_out: Linear weight (out, in)", points=2)
@FANS_HINT
def fans_linear(sub: Submission) -> None:
    judge.judge_fans(sub, (128, 784))


@check("1.2", "fan_in_and_fan_out: Conv2d weight (out, in, kh, kw)", points=2)
@FANS_HINT
def fans_conv(sub: Submission) -> None:
    judge.judge_fans(sub, (16, 3, 5, 5))


@check("1.3", "fan_in_and_fan_out: ValueError below 2 dimensions", points=1)
@FANS_HINT
def fans_value_error(sub: Submission) -> None:
    judge.expect_value_error(sub, "fan_in_and_fan_out(torch.empty(5))", "fan_in_and_fan_out", torch.zeros(5))


@check("2.1", "xavier_normal_: mean 0, std sqrt(2/(fan_in+fan_out))", points=3)
def xavier_normal_std(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_normal_", SHAPE)


@check("2.2", "xavier_normal_: the values follow a normal law (KS test)", points=2)
def xavier_normal_law(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_normal_", SHAPE, test_shape=True)


@check("2.3", "xavier_normal_: gain scales the std", points=2)
def xavier_normal_gain(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_normal_", SHAPE, gain=2.0)


@check("3.1", "xavier_uniform_: bound sqrt(6/(fan_in+fan_out)), variance a^2/3", points=3)
def xavier_uniform_bound(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_uniform_", SHAPE)


@check("3.2", "xavier_uniform_: the values follow a uniform law (KS test)", points=2)
def xavier_uniform_law(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_uniform_", SHAPE, test_shape=True)


@check("3.3", "xavier_uniform_: gain scales the bound", points=2)
def xavier_uniform_gain(sub: Submission) -> str:
    return judge.judge_initializer(sub, "xavier_uniform_", SHAPE, gain=0.5)


@check("4.1", "kaiming_normal_: std sqrt(2/fan_in)", points=3)
def kaiming_normal_fan_in(sub: Submission) -> str:
    return judge.judge_initializer(sub, "kaiming_normal_", SHAPE, test_shape=True)


@check("4.2", "kaiming_normal_: mode='fan_out' uses fan_out", points=2)
def kaiming_normal_fan_out(sub: Submission) -> str:
    return judge.judge_initializer(sub, "kaiming_normal_", SHAPE, mode="fan_out")


@check("4.3", "kaiming_normal_: ValueError for an unknown mode", points=1)
@MODE_HINT
def kaiming_normal_bad_mode(sub: Submission) -> None:
    judge.expect_value_error(sub, "kaiming_normal_(w, mode='fan_avg')", "kaiming_normal_",
                             torch.zeros(SHAPE), mode="fan_avg")


@check("5.1", "kaiming_uniform_: bound sqrt(6/fan_in)", points=3)
def kaiming_uniform_fan_in(sub: Submission) -> str:
    return judge.judge_initializer(sub, "kaiming_uniform_", SHAPE, test_shape=True)


@check("5.2", "kaiming_uniform_: mode='fan_out' uses fan_out", points=2)
def kaiming_uniform_fan_out(sub: Submission) -> str:
    return judge.judge_initializer(sub, "kaiming_uniform_", SHAPE, mode="fan_out")


@check("5.3", "kaiming_uniform_: ValueError for an unknown mode", points=1)
@MODE_HINT
def kaiming_uniform_bad_mode(sub: Submission) -> None:
    judge.expect_value_error(sub, "kaiming_uniform_(w, mode='in')", "kaiming_uniform_",
                             torch.zeros(SHAPE), mode="in")


@check("6.1", "every initializer fills in place and returns the same tensor", points=2)
def in_place(sub: Submission) -> str:
    def observe(name: str) -> None:
        observed = sub.run(probes.sample, name, [30, 50])
        expect_tensor(f"the tensor after {name}(torch.empty(30, 50))", observed["values"], shape=(30, 50))
        expect(observed["same_object"] is True,
               f"{name}(w) must return w itself (filled in place), not a new tensor.",
               "fill with an in-place method such as w.normal_(...) and `return w`.")
    return judge.each_initializer(sub, observe)


@check("6.2", "every initializer works on an nn.Parameter that requires grad", points=2, repeats=('6.1', '6.3'))
def on_parameter(sub: Submission) -> str:
    def observe(name: str) -> None:
        with hint_on_error("wrap the in-place fill in `with torch.no_grad():` (an nn.Parameter requires grad)."):
            observed = sub.run(probes.sample_parameter, name, [30, 50])
        expect_tensor(f"the parameter after {name}(nn.Parameter(...))", observed["values"], shape=(30, 50))
        expect(observed["same_object"] is True and observed["requires_grad"] is True and observed["is_leaf"] is True,
               f"{name}(p) on an nn.Parameter must fill p in place and keep it a leaf that requires grad.",
               "wrap the in-place fill in `with torch.no_grad():`.")
    return judge.each_initializer(sub, observe)


@check("6.3", "every initializer draws from torch's global RNG (torch.manual_seed reproduces it)", points=2)
def global_rng(sub: Submission) -> str:
    def observe(name: str) -> None:
        first, again, other = sub.run(probes.reseeded, name, [30, 50], base_seed=1234)
        for tensor in (first, again, other):
            expect_tensor(f"{name}(torch.zeros(30, 50))", tensor, shape=(30, 50))
        expect(bool(torch.equal(first, again)),
               f"{name}: torch.manual_seed(1234) twice gave two different tensors.",
               "draw from torch's global generator (tensor.normal_, torch.randn, ...), "
               "not from numpy, random or a generator of your own.")
        expect(not bool(torch.equal(first, other)),
               f"{name}: torch.manual_seed(1234) and torch.manual_seed(1235) gave the same tensor.",
               "a fixed seed or a private torch.Generator ignores torch.manual_seed.")
    return judge.each_initializer(sub, observe)


@check("6.4", "nothing calls torch.nn.init (written from scratch)", points=2)
def no_nn_init(sub: Submission) -> str:
    """Two witnesses: the parent reads the source (ast, never executed) and the child's profile hook
    watches the calls. A function that crashes, or returns without filling its tensor, is no evidence
    either way; if none does its work, nothing is shown and nothing is earned."""
    source = student_source(sub)
    uses = judge.nn_init_uses(source) if source is not None else []
    if uses:
        fail(f"your file reaches torch.nn.init ({'; '.join(uses[:5])}); this assignment asks you to write every "
             "initializer from scratch with tensor.normal_/uniform_ or torch.randn/rand.")
    ran, raised = [], set()
    for name in INITIALIZERS + ("init_weights",):
        observed = sub.run(probes.nn_init_calls, name, [30, 50])
        called = observed.get("calls") if type(observed) is dict else ["<no readable observation>"]
        if called:
            fail(f"{name} calls torch.nn.init ({', '.join(map(str, called))}); this assignment asks you to "
                 "write it from scratch with tensor.normal_/uniform_ or torch.randn/rand.")
        if observed.get("raised") is None and observed.get("filled") is True:
            ran.append(name)
        raised.add(observed.get("raised"))
    lead = "Not implemented yet: " if raised == {"NotImplementedError"} else ""
    expect(bool(ran), f"{lead}none of your initializers or init_weights fills its tensor yet (each raised an "
           "exception or left it unchanged), so there is nothing to check; the checks of each function say why.")
    return (f"no use of torch.nn.init in the source{' (not readable here)' if source is None else ''}, "
            f"none called by {', '.join(ran)}")


@check("7.1", "init_weights via model.apply: Linear weights kaiming_normal, biases 0", points=3)
def apply_default(sub: Submission) -> str:
    return judge.judge_apply(sub, "kaiming_normal", 0.0)


@check("7.2", "init_weights via model.apply: xavier_uniform weights, bias constant 0.01", points=3)
def apply_xavier_uniform(sub: Submission) -> str:
    return judge.judge_apply(sub, "xavier_uniform", 0.01, bias_free=False)  # the bias-free Linear is 7.1's
