"""Trend series per period and period comparisons with significance tests."""

from __future__ import annotations

import math
from datetime import date, datetime
from statistics import NormalDist

import pytest

from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.trends import compare_periods, default_periods, series
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
Q2 = (date(2025, 4, 1), date(2025, 6, 30))


def csat_month(month: int, positives: int, n: int, **extra) -> list[dict]:
    return [
        {
            "metric": "csat",
            "value": 5 if i < positives else 1,
            "ts": datetime(2025, month, 1 + i % 28, 12),
            **extra,
        }
        for i in range(n)
    ]


def test_monthly_series_with_default_target(ws: Workspace):
    add_feedback(ws, csat_month(1, 36, 40) + csat_month(2, 30, 40) + csat_month(3, 20, 40))
    trend = series(ws, Filters(), "csat", grain="month")
    assert [p.month for p in trend["period"]] == [1, 2, 3]
    assert trend["value"].tolist() == pytest.approx([90.0, 75.0, 50.0])
    assert trend["n"].tolist() == [40, 40, 40]
    assert (trend["target"] == 80.0).all()
    assert (trend["ci_low"] < trend["value"]).all() and (trend["value"] < trend["ci_high"]).all()


def test_weekly_series_starts_on_mondays(ws: Workspace):
    add_feedback(
        ws, [{"metric": "csat", "value": 5, "ts": datetime(2025, 1, d)} for d in (1, 2, 6)]
    )
    trend = series(ws, Filters(), "csat", grain="week")
    # 1-2 January 2025 fall in the week of Monday 30 December; the 6th starts a new week.
    assert [p.date() for p in trend["period"]] == [date(2024, 12, 30), date(2025, 1, 6)]
    assert trend["n"].tolist() == [2, 1]


def test_series_by_touchpoint_uses_the_touchpoints_own_target(ws: Workspace):
    add_touchpoints(
        ws, [{"touchpoint": "Web", "target": 0.9}, {"touchpoint": "Shop", "target": 4.5}]
    )
    add_feedback(
        ws, csat_month(1, 8, 10, touchpoint="Web") + csat_month(1, 5, 10, touchpoint="Shop")
    )
    trend = series(ws, Filters(), "csat", by="touchpoint").set_index("group")
    assert trend.loc["Web", "value"] == pytest.approx(80.0) and trend.loc["Web", "target"] == 90.0
    assert trend.loc["Shop", "value"] == pytest.approx(50.0)
    assert math.isnan(trend.loc["Shop", "target"])  # a mean target cannot be read as a share


def test_series_by_theme(ws: Workspace):
    add_feedback(
        ws,
        csat_month(1, 2, 4, themes=["trust", "convenience"])
        + csat_month(1, 0, 2, themes=["trust"]),
    )
    trend = series(ws, Filters(), "csat", by="theme").set_index("group")
    assert trend.loc["trust", "n"] == 6 and trend.loc["trust", "value"] == pytest.approx(
        100 * 2 / 6
    )
    assert trend.loc["convenience", "n"] == 4


def test_rating_series_is_the_mean(ws: Workspace):
    add_feedback(
        ws, [{"metric": "rating", "value": v, "ts": datetime(2025, 5, 2)} for v in (5, 4, 3)]
    )
    row = series(ws, Filters(), "rating").iloc[0]
    assert row["value"] == pytest.approx(4.0) and row["unit"] == "mean"
    assert row["target"] == pytest.approx(1 + 0.8 * 4)  # the default 80 on 0-100, on 1-5


def test_bad_grain_and_split_are_plain_errors(ws: Workspace):
    with pytest.raises(CxdashError):
        series(ws, Filters(), "csat", grain="fortnight")
    with pytest.raises(CxdashError):
        series(ws, Filters(), "csat", by="owner")


def test_clear_decline_is_significant(ws: Workspace):
    add_feedback(ws, csat_month(2, 80, 100) + csat_month(5, 55, 100))
    result = compare_periods(ws, Filters(), "csat", Q1, Q2)
    pooled = 135 / 200
    z = (0.55 - 0.80) / math.sqrt(pooled * (1 - pooled) * (2 / 100))  # about -3.77
    assert result["test"] == "two-proportion z-test"
    assert result["period_a"]["value"] == pytest.approx(80.0)
    assert result["period_b"]["value"] == pytest.approx(55.0)
    assert result["difference"] == pytest.approx(-25.0)
    assert result["z"] == pytest.approx(z)
    assert result["p"] == pytest.approx(2 * NormalDist().cdf(z))
    assert result["significant"] and "fell" in result["message"]


def test_tiny_change_is_not_significant(ws: Workspace):
    add_feedback(ws, csat_month(2, 30, 40) + csat_month(5, 29, 40))
    result = compare_periods(ws, Filters(), "csat", Q1, Q2)
    assert result["difference"] == pytest.approx(-2.5)
    assert not result["significant"] and result["p"] > 0.5
    assert "chance" in result["message"]


def test_nps_comparison_uses_the_nps_difference_test(ws: Workspace):
    def nps(month: int, promoters: int, detractors: int, n: int) -> list[dict]:
        values = [10] * promoters + [3] * detractors + [8] * (n - promoters - detractors)
        return [
            {
                "metric": "nps",
                "value": v,
                "ts": datetime(2025, month, 10),
                "response_id": f"{month}-{i}",
            }
            for i, v in enumerate(values)
        ]

    add_feedback(ws, nps(1, 50, 20, 100) + nps(4, 30, 40, 100))
    result = compare_periods(ws, Filters(), "nps", Q1, Q2)
    se = math.sqrt(100**2 * (0.7 - 0.09) / 100 + 100**2 * (0.7 - 0.01) / 100)  # sqrt(61 + 69)
    assert result["test"] == "NPS difference z-test"
    assert result["difference"] == pytest.approx(-40.0)
    assert result["z"] == pytest.approx(-40 / se)
    assert result["significant"]


def test_comparison_within_one_theme(ws: Workspace):
    add_feedback(
        ws,
        csat_month(2, 40, 40, themes=["trust"])
        + csat_month(5, 10, 40, themes=["trust"])
        + csat_month(5, 40, 40, themes=["convenience"]),
    )
    result = compare_periods(ws, Filters(), "csat", Q1, Q2, theme="trust")
    assert result["period_b"]["n"] == 40 and result["period_b"]["value"] == pytest.approx(25.0)
    assert result["significant"]


def test_comparison_without_answers_says_so(ws: Workspace):
    add_feedback(ws, csat_month(2, 3, 4))
    result = compare_periods(ws, Filters(), "csat", Q1, Q2)
    assert result["difference"] is None and not result["significant"]
    assert "not enough answers" in result["message"]


def test_default_periods_are_the_last_three_months_and_the_three_before(ws: Workspace):
    assert default_periods(ws, Filters()) is None
    latest = {"metric": "csat", "value": 4, "ts": datetime(2025, 6, 30, 9)}
    add_feedback(ws, [*csat_month(1, 1, 1), latest])
    (a_from, a_to), (b_from, b_to) = default_periods(ws, Filters())
    assert (b_from, b_to) == (date(2025, 4, 1), date(2025, 6, 30))
    assert (a_from, a_to) == (date(2025, 1, 1), date(2025, 3, 31))
