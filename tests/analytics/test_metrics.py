"""Headline KPIs and breakdowns checked against hand-computed values on small fixtures."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.metrics import convert_units, kpis, metric_by, to_score100
from cxdash.workspace import Workspace
from tests.helpers import add_feedback

Z = 1.96
NPS_ANSWERS = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]  # 5 promoters, 2 passives, 3 detractors


def wilson(x: int, n: int) -> tuple[float, float]:
    p, z2 = x / n, Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return 100 * (centre - half), 100 * (centre + half)


def kpi(ws: Workspace, name: str, **filters) -> dict:
    frame = kpis(ws, Filters(**filters))
    return frame.set_index("kpi").loc[name].to_dict()


def nps_records(values: list[int], **extra) -> list[dict]:
    return [
        {"metric": "nps", "value": v, "response_id": f"r{i}", **extra} for i, v in enumerate(values)
    ]


def test_empty_workspace_gives_every_kpi_with_no_figure(ws: Workspace):
    frame = kpis(ws, Filters())
    assert list(frame["kpi"]) == ["nps", "csat", "ces", "overall"]
    assert (frame["n"] == 0).all() and frame["value"].isna().all() and frame["directional"].all()


def test_nps_value_shares_and_margin_of_error(ws: Workspace):
    add_feedback(ws, nps_records(NPS_ANSWERS))
    row = kpi(ws, "nps")
    p, d, n = 0.5, 0.3, 10
    margin = Z * math.sqrt(100**2 * (p + d - (p - d) ** 2) / n)  # 1.96 * sqrt(760) = 54.03
    assert row["value"] == pytest.approx(20.0)
    assert row["ci_low"] == pytest.approx(20.0 - margin, abs=1e-3)
    assert row["ci_high"] == pytest.approx(20.0 + margin, abs=1e-3)
    assert (row["promoters_pct"], row["passives_pct"], row["detractors_pct"]) == pytest.approx(
        (50.0, 20.0, 30.0)
    )
    assert row["n"] == 10 and row["unit"] == "nps"
    assert row["score100"] == pytest.approx((20 + 100) / 2)
    assert row["mean"] == pytest.approx(sum(NPS_ANSWERS) / 10)


def test_directional_flag_follows_min_n(ws: Workspace):
    add_feedback(ws, nps_records(NPS_ANSWERS))
    assert kpi(ws, "nps")["directional"]  # 10 < 30
    assert not kpi(ws, "nps", min_n=10)["directional"]


def test_a_response_counts_once_for_nps_even_when_repeated(ws: Workspace):
    # A long export repeats the respondent's NPS on each of their touchpoint rows.
    records = nps_records(NPS_ANSWERS)
    records += [{**r, "touchpoint": "Shop", "source_row": 100 + i} for i, r in enumerate(records)]
    add_feedback(ws, records)
    row = kpi(ws, "nps")
    assert row["n"] == 10 and row["value"] == pytest.approx(20.0)


def test_csat_top2_box_and_mean(ws: Workspace):
    add_feedback(ws, [{"metric": "csat", "value": v} for v in [5, 4, 4, 3, 2]])
    row = kpi(ws, "csat")
    low, high = wilson(3, 5)
    assert row["value"] == pytest.approx(60.0)  # 4, 4, 5 of five answers
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-3)
    assert row["mean"] == pytest.approx(18 / 5)
    assert row["share_positive"] == pytest.approx(60.0)


def test_csat_top2_box_generalises_to_other_scales(ws: Workspace):
    add_feedback(
        ws, [{"metric": "csat", "value": v, "scale_min": 1, "scale_max": 10} for v in [10, 9, 8, 7]]
    )
    assert kpi(ws, "csat")["value"] == pytest.approx(50.0)  # 9 and 10 are the top two points


def test_ces_share_is_the_top_three_of_seven_and_is_not_reversed_again(ws: Workspace):
    add_feedback(ws, [{"metric": "ces", "value": v} for v in [7, 6, 5, 4, 3, 2, 1, 5]])
    row = kpi(ws, "ces")
    assert row["value"] == pytest.approx(50.0)  # 7, 6, 5, 5 of eight
    assert row["mean"] == pytest.approx(33 / 8)


def test_binary_overall_is_the_share_positive_with_a_wilson_interval(ws: Workspace):
    add_feedback(
        ws,
        [{"metric": "overall", "value": v, "scale_min": 0, "scale_max": 1} for v in [1, 1, 1, 0]],
    )
    row = kpi(ws, "overall")
    assert row["value"] == pytest.approx(75.0) and row["share_positive"] == pytest.approx(75.0)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(3, 4), abs=1e-3)


def test_overall_on_a_scale_is_the_mean_score_with_a_t_interval(ws: Workspace):
    add_feedback(ws, [{"metric": "overall", "value": v} for v in [5, 4, 4, 3, 5, 3]])
    scores = [100, 75, 75, 50, 100, 50]  # (v - 1) / 4 * 100
    mean = sum(scores) / 6  # 75
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / 5)  # sqrt(2500 / 5) = 22.36
    half = 2.5706 * sd / math.sqrt(6)  # t(0.975, 5) from the table
    row = kpi(ws, "overall")
    assert row["value"] == pytest.approx(75.0)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((mean - half, mean + half), abs=1e-3)
    assert math.isnan(row["share_positive"])


def test_mean_interval_stays_on_the_scale(ws: Workspace):
    add_feedback(ws, [{"metric": "overall", "value": v} for v in [5, 1]])
    row = kpi(ws, "overall")
    assert row["ci_low"] == 0.0 and row["ci_high"] == 100.0


def test_filters_narrow_the_kpis(ws: Workspace):
    add_feedback(
        ws,
        [{"metric": "csat", "value": 5, "channel": "App", "ts": datetime(2025, 1, 5)}] * 3
        + [{"metric": "csat", "value": 1, "channel": "Store", "ts": datetime(2025, 2, 5)}],
    )
    assert kpi(ws, "csat", channels=["App"])["value"] == pytest.approx(100.0)
    assert kpi(ws, "csat", channels=["Store"])["value"] == pytest.approx(0.0)
    assert kpi(ws, "csat")["n"] == 4


def test_metric_by_segment_uses_a_bound_map_key(ws: Workspace):
    odd = "Region'); DROP TABLE feedback; --"
    add_feedback(
        ws,
        nps_records([10, 10, 9, 0, 3], segments={odd: "North"})
        + [
            {"metric": "nps", "value": v, "response_id": f"s{i}", "segments": {odd: "South"}}
            for i, v in enumerate([6, 7, 8, 10])
        ],
    )
    frame = metric_by(ws, Filters(), odd, "nps").set_index("group")
    assert frame.loc["North", "value"] == pytest.approx(100 * (3 - 2) / 5)  # 20
    assert frame.loc["South", "value"] == pytest.approx(100 * (1 - 1) / 4)  # 0
    assert frame.loc["North", "n"] == 5
    assert kpi(ws, "nps")["n"] == 9  # the table is intact


def test_metric_by_touchpoint_and_stage(ws: Workspace):
    add_feedback(
        ws,
        [{"metric": "csat", "value": 5, "touchpoint": "Web", "stage": "Buy"}] * 3
        + [{"metric": "csat", "value": 2, "touchpoint": "Desk", "stage": "Buy"}] * 2,
    )
    by_tp = metric_by(ws, Filters(min_n=3), "touchpoint", "csat").set_index("group")
    assert by_tp.loc["Web", "value"] == pytest.approx(100.0)
    assert by_tp.loc["Desk", "value"] == pytest.approx(0.0)
    assert not by_tp.loc["Web", "directional"] and by_tp.loc["Desk", "directional"]
    by_stage = metric_by(ws, Filters(), "stage", "csat")
    assert by_stage.loc[0, "group"] == "Buy" and by_stage.loc[0, "value"] == pytest.approx(60.0)


def test_unknown_metric_is_a_plain_error(ws: Workspace):
    with pytest.raises(CxdashError, match="no metric"):
        metric_by(ws, Filters(), "stage", "loyalty")


def test_unit_conversions():
    assert to_score100(4.2, "mean", 1, 5) == pytest.approx(80.0)
    assert to_score100(30, "nps") == pytest.approx(65.0)
    assert convert_units(80.0, "score", "mean", 1, 5) == pytest.approx(4.2)
    assert math.isnan(convert_units(4.2, "mean", "share", 1, 5))
