"""The calibration benchmark's machinery, on a few implementations (the full run: benchmarks/calibration.py).

Also the calibrated constants themselves: exact where the null law is known exactly.
"""

from __future__ import annotations

import math

import pytest
import torch

from autograder import stats
from benchmarks import calibration


def test_constants_meet_their_stated_false_fail_probability():
    assert math.erfc(stats.Z / math.sqrt(2)) == pytest.approx(stats.ALPHA, rel=1e-6)
    assert 2 * math.exp(-2 * stats.KS_LAMBDA ** 2) == pytest.approx(stats.ALPHA, rel=1e-9)
    assert 2 * math.exp(-stats.SIGN_T ** 2 / 2) == pytest.approx(stats.ALPHA, rel=1e-9)
    assert (1 - stats.reach_fraction(4000)) ** 4000 == pytest.approx(stats.ALPHA, rel=1e-6)


def test_chi_square_quantile_is_exact_and_the_table_statistic_is_scaled():
    x = stats.chi2_quantile(81, 1e-8)
    assert float(torch.special.gammaincc(torch.tensor(40.5, dtype=torch.float64),
                                         torch.tensor(x / 2, dtype=torch.float64))) == pytest.approx(1e-8, rel=1e-6)
    generator = torch.Generator().manual_seed(0)
    values = []
    for _ in range(200):
        orders = torch.stack([torch.randperm(10, generator=generator) for _ in range(2000)])
        counts = torch.stack([torch.bincount(orders[:, p], minlength=10) for p in range(10)], dim=1)
        statistic, df, scale = stats.chi_square_uniform(counts)
        values.append(statistic)
    mean = sum(values) / len(values)
    assert (df, scale) == (81, 10 / 9)
    assert abs(mean - 90) < 4 * math.sqrt(200 / len(values))   # chi2_81 alone would have mean 81


def test_normal_variance_bounds_are_exact_chi_square_quantiles():
    low, high = stats.variance_ratio_bounds("normal", 4000)
    upper = lambda x: float(torch.special.gammaincc(torch.tensor(2000.0, dtype=torch.float64),
                                                    torch.tensor(x * 4000 / 2, dtype=torch.float64)))
    assert upper(high) == pytest.approx(stats.ALPHA / 2, rel=1e-5)
    assert 1 - upper(low) == pytest.approx(stats.ALPHA / 2, rel=1e-4)


@pytest.mark.parametrize("assignment,count", [("a1_init", 6), ("a2_split", 3)])
def test_correct_implementations_pass_every_statistical_check(assignment, count):
    lines = calibration.calibrate(assignment, count, workers=1)
    assert not [line for line in lines if line.startswith("FALSE FAIL")], "\n".join(lines)


def test_implementations_differ_in_how_they_draw():
    sources = {calibration.implementation("a1_init", k)[0] for k in range(48)}
    assert len(sources) == 48
    described = {calibration.implementation("a1_init", k)[1] for k in range(48)}
    assert len(described) == 48   # 4 normal x 4 uniform samplers x 3 ways to use the RNG


def test_a_planted_error_is_caught():
    _, _, graded = calibration._grade(("a1_init", 5, {"std_factor": 1.1}, ("2.1",)))
    assert graded["2.1"][0] == 0.0
