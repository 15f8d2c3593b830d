"""Hidden checks of a3_train: the loop with another optimizer and batch size, another evaluation."""

from __future__ import annotations

from autograder.course.a3_train import judge, probes
from autograder.course.a3_train.judge import LOOP_HINT, run_evaluation
from autograder.expect import expect, expect_float, expect_result_dict
from autograder.registry import check
from autograder.submission import Submission


@check("6.1", "train_one_epoch with SGD + momentum and batches of 32 matches the reference", points=2,
       visibility="hidden", repeats=("3.1", "3.2"), uses_reference=True)
def train_epoch_sgd(sub: Submission) -> None:
    args = (probes.train_epoch, 200, 32, "sgd", 41)
    student, reference = sub.run(*args, sandbox_seed=41), sub.reference.run(*args, sandbox_seed=41)
    judge.expect_states_match("after train_one_epoch (SGD momentum 0.9, batch 32)", student["state"],
                              reference["state"], LOOP_HINT)
    got = expect_result_dict("train_one_epoch", student["returned"], ("loss", "accuracy", "losses"))
    judge.expect_close_list("train_one_epoch(...)['losses']", got["losses"], reference["returned"]["losses"])


@check("6.2", "evaluate on 333 samples in batches of 50", points=1, visibility="hidden", repeats=("4.1", "4.3"))
def evaluate_other_loader(sub: Submission) -> None:
    scenario, _, returned = run_evaluation(sub, 333, 50, 12, True, mode_sensitive=False)
    wanted = scenario.accuracy
    got = judge.as_fraction(expect_float("evaluate(...)['accuracy']", returned["accuracy"]), wanted)
    expect(abs(got - wanted) < judge.ACCURACY_TOLERANCE, f"evaluate returned accuracy {got:.6f}, expected {wanted:.6f}.")
    want_loss = scenario.loss
    loss = expect_float("evaluate(...)['loss']", returned["loss"])
    expect(abs(loss - want_loss) <= 1e-4 * want_loss, f"evaluate returned loss {loss:.6f}, expected {want_loss:.6f}.")
