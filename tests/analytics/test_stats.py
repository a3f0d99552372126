"""Intervals and tests checked against hand arithmetic and published t-table values."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from cxdash import stats

Z95 = 1.959963984540054  # the 97.5 % standard normal quantile


def test_z_for_95_percent_is_1_96():
    assert stats.z_for(0.95) == pytest.approx(Z95)


@pytest.mark.parametrize(
    ("df", "expected"),
    # Two-sided 95 % critical values from any printed t table.
    [
        (1, 12.7062),
        (2, 4.3027),
        (3, 3.1824),
        (5, 2.5706),
        (10, 2.2281),
        (30, 2.0423),
        (120, 1.9799),
    ],
)
def test_t_quantile_matches_the_t_table(df: int, expected: float):
    assert float(stats.t_quantile(0.975, df)) == pytest.approx(expected, abs=2e-4)
    assert float(stats.t_quantile(0.025, df)) == pytest.approx(-expected, abs=2e-4)


def test_t_quantile_is_vectorised_and_nan_without_degrees_of_freedom():
    out = stats.t_quantile(0.975, np.array([3.0, np.nan, 0.0]))
    assert out[0] == pytest.approx(3.1824, abs=2e-4)
    assert np.isnan(out[1]) and np.isnan(out[2])


def test_t_cdf_inverts_the_table():
    assert stats.t_cdf(2.2281, 10) == pytest.approx(0.975, abs=1e-4)
    assert stats.t_cdf(-2.2281, 10) == pytest.approx(0.025, abs=1e-4)
    assert stats.t_cdf(0.0, 7) == pytest.approx(0.5)
    # With many degrees of freedom t is normal.
    assert stats.t_cdf(1.5, 10_000) == pytest.approx(NormalDist().cdf(1.5), abs=1e-4)


def test_wilson_interval_by_hand():
    # 8 successes out of 10.
    p, n, z2 = 0.8, 10, Z95**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low, high = stats.wilson_interval(8, 10)
    assert float(low) == pytest.approx(centre - half)
    assert float(high) == pytest.approx(centre + half)
    assert 0.49 < float(low) < 0.50 and 0.94 < float(high) < 0.95


def test_wilson_interval_edges():
    low, high = stats.wilson_interval(0, 20)
    assert float(low) == pytest.approx(0.0, abs=1e-12) and 0 < float(high) < 0.2
    low, high = stats.wilson_interval(np.array([5, 0]), np.array([10, 0]))
    assert not np.isnan(low[0]) and np.isnan(low[1]) and np.isnan(high[1])


def test_nps_and_margin_of_error_by_hand():
    # 10 answers: 5 promoters, 3 passives, 2 detractors.
    p, d, n = 0.5, 0.2, 10
    nps_expected = 100 * (p - d)  # 30
    variance = 100**2 * (p + d - (p - d) ** 2)  # 10000 * (0.7 - 0.09) = 6100
    margin_expected = 1.96 * math.sqrt(variance / n)  # 1.96 * 24.698 = 48.41
    nps, low, high, margin = stats.nps_interval(5, 2, 10)
    assert float(nps) == pytest.approx(30.0)
    assert nps_expected == pytest.approx(30.0)
    assert float(margin) == pytest.approx(margin_expected, rel=1e-4)
    assert float(margin) == pytest.approx(48.41, abs=0.01)
    assert float(low) == pytest.approx(30 - float(margin))
    assert float(high) == pytest.approx(30 + float(margin))


def test_nps_interval_is_kept_within_plus_minus_100():
    _, low, high, _ = stats.nps_interval(9, 0, 10)  # NPS 90, margin about 18.6
    assert float(high) == 100.0 and float(low) < 90


def test_mean_interval_uses_t_with_n_minus_1():
    values = [2.0, 4.0, 4.0, 5.0]
    mean = 15 / 4  # 3.75
    sd = math.sqrt((1.75**2 + 0.25**2 + 0.25**2 + 1.25**2) / 3)  # sqrt(4.75 / 3)
    half = 3.1824 * sd / 2  # t(0.975, 3) from the table, sqrt(4) = 2
    low, high = stats.mean_interval(np.mean(values), np.std(values, ddof=1), 4)
    assert float(low) == pytest.approx(mean - half, abs=1e-3)
    assert float(high) == pytest.approx(mean + half, abs=1e-3)
    low, high = stats.mean_interval(3.0, np.nan, 1)
    assert np.isnan(low) and np.isnan(high)


def test_two_proportion_ztest_by_hand():
    # 40/100 then 55/100.
    pooled = 95 / 200
    se = math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    z = (0.55 - 0.40) / se  # about 2.12
    result = stats.two_proportion_ztest(40, 100, 55, 100)
    assert result.difference == pytest.approx(0.15)
    assert result.statistic == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * (1 - NormalDist().cdf(z)))
    assert 0.03 < result.p_value < 0.04
    assert result.significant()


def test_two_proportion_ztest_tiny_change_is_not_significant():
    result = stats.two_proportion_ztest(30, 40, 29, 40)
    assert result.p_value > 0.5 and not result.significant()


def test_two_proportion_ztest_without_answers_is_nan():
    result = stats.two_proportion_ztest(0, 0, 3, 10)
    assert math.isnan(result.p_value) and not result.significant()


def test_nps_difference_test_by_hand():
    # A: 50 promoters, 20 detractors of 100 (NPS 30); B: 30 and 40 of 100 (NPS -10).
    var_a = 100**2 * (0.5 + 0.2 - 0.3**2) / 100  # 61
    var_b = 100**2 * (0.3 + 0.4 - 0.1**2) / 100  # 69
    z = (-10 - 30) / math.sqrt(var_a + var_b)  # -40 / sqrt(130) = -3.508
    result = stats.nps_difference_test(50, 20, 100, 30, 40, 100)
    assert result.difference == pytest.approx(-40.0)
    assert result.statistic == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(z))))
    assert result.significant()


def test_welch_test_by_hand():
    # A: mean 4.0, sd 1.0, n 20; B: mean 3.0, sd 1.5, n 25.
    va, vb = 1.0 / 20, 2.25 / 25
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / 19 + vb**2 / 24)
    result = stats.welch_test(4.0, 1.0, 20, 3.0, 1.5, 25)
    assert result.statistic == pytest.approx(-1.0 / se)
    assert result.df == pytest.approx(df)
    # |t| = 2.67 > t(0.975, ~41) = 2.02, and < t(0.995, 41) = 2.70 -> 0.01 < p < 0.05.
    assert 0.01 < result.p_value < 0.05


def test_no_difference_with_zero_spread_is_not_significant():
    result = stats.welch_test(4.0, 0.0, 10, 4.0, 0.0, 10)
    assert result.p_value == pytest.approx(1.0)
