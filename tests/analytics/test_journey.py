"""Journey matrices follow the map's stage order; weakest stage; moments of truth."""

from __future__ import annotations

import pandas as pd
import pytest

from cxdash.filters import Filters
from cxdash.journey import (
    moments_of_truth,
    stage_channel_matrix,
    stage_gaps,
    stage_touchpoint_matrix,
    weakest_stage,
)
from cxdash.promise import scorecard
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints

NO_DERIVED = pd.DataFrame(columns=["touchpoint", "importance_derived", "method"])


def csat(touchpoint: str, positives: int, n: int, **extra) -> list[dict]:
    return [
        {"metric": "csat", "value": 5 if i < positives else 2, "touchpoint": touchpoint, **extra}
        for i in range(n)
    ]


@pytest.fixture
def journey(ws: Workspace) -> Workspace:
    # Map order is not alphabetical: Learn (1), Buy (2), Use (3).
    add_touchpoints(
        ws,
        [
            {
                "touchpoint": "Ads",
                "stage": "Learn",
                "stage_order": 1,
                "importance": 2,
                "target": 0.8,
            },
            {
                "touchpoint": "Checkout",
                "stage": "Buy",
                "stage_order": 2,
                "importance": 5,
                "target": 0.8,
            },
            {
                "touchpoint": "Cart",
                "stage": "Buy",
                "stage_order": 2,
                "importance": 1,
                "target": 0.8,
            },
            {"touchpoint": "App", "stage": "Use", "stage_order": 3, "importance": 4, "target": 0.8},
        ],
    )
    add_feedback(
        ws,
        csat("Ads", 36, 40, channel="Web")  # 90 %: gap +10
        + csat("Checkout", 24, 40, channel="Web")  # 60 %: gap -20
        + csat("Checkout", 14, 20, channel="Store")  # 70 %: gap -10
        + csat("Cart", 36, 40, channel="Web")  # 90 %: gap +10 (stage from the map)
        + csat("App", 30, 40, channel="App", stage="Use")  # 75 %: gap -5
        + csat("Kiosk", 5, 10, stage="Zeta")  # unmapped stages come last, A-Z
        + csat("Desk", 5, 10, stage="Alpha"),
    )
    return ws


def test_stage_touchpoint_matrix_follows_the_map_order(journey: Workspace):
    matrix = stage_touchpoint_matrix(journey, Filters())
    assert list(dict.fromkeys(matrix["stage"])) == ["Learn", "Buy", "Use", "Alpha", "Zeta"]
    assert matrix["stage_order"].tolist()[:4] == [1, 2, 2, 3]
    cell = matrix.set_index("touchpoint").loc["Checkout"]
    assert cell["n"] == 60
    assert cell["score100"] == pytest.approx(100 * 38 / 60)
    assert cell["gap100"] == pytest.approx(100 * 38 / 60 - 80)
    assert not cell["directional"]
    assert matrix.set_index("touchpoint").loc["Kiosk", "directional"]  # 10 < 30


def test_stage_channel_matrix_pools_touchpoints_by_n(journey: Workspace):
    matrix = stage_channel_matrix(journey, Filters()).set_index(["stage", "channel"])
    web_buy = matrix.loc[("Buy", "Web")]
    # Checkout (60 %, n 40) and Cart (90 %, n 40) on the web.
    assert web_buy["n"] == 80 and web_buy["touchpoints"] == 2
    assert web_buy["score100"] == pytest.approx((60 * 40 + 90 * 40) / 80)
    assert web_buy["gap100"] == pytest.approx(-5.0)
    assert matrix.loc[("Buy", "Store"), "directional"]  # 20 answers
    stages = list(dict.fromkeys(stage_channel_matrix(journey, Filters())["stage"]))
    assert stages[:3] == ["Learn", "Buy", "Use"]


def test_weakest_stage_is_the_lowest_importance_weighted_gap(journey: Workspace):
    card = scorecard(journey, Filters(), derived=NO_DERIVED)
    gaps = stage_gaps(journey, Filters(), card).set_index("stage")
    # Buy: Checkout (importance 1.0, gap 100*38/60 - 80) and Cart (0.2, gap +10).
    checkout_gap = 100 * 38 / 60 - 80
    assert gaps.loc["Buy", "gap100"] == pytest.approx((1.0 * checkout_gap + 0.2 * 10) / 1.2)
    assert gaps.loc["Use", "gap100"] == pytest.approx(-5.0)
    assert pd.isna(gaps.loc["Zeta", "gap100"])  # too few answers: no figure
    worst = weakest_stage(journey, Filters(), card)
    assert worst["stage"] == "Buy" and worst["n"] == 100 and worst["confirmed"] == 2


def test_weakest_stage_is_none_without_confirmed_touchpoints(ws: Workspace):
    add_feedback(ws, csat("Kiosk", 1, 5, stage="Buy"))
    assert weakest_stage(ws, Filters()) is None


def test_moments_of_truth_use_derived_importance(journey: Workspace):
    derived = pd.DataFrame(
        {
            "touchpoint": ["Ads", "Checkout", "Cart", "App"],
            "importance_derived": [0.1, 0.4, 0.2, 0.3],
            "method": "relative weights",
        }
    )
    top = moments_of_truth(journey, Filters(), top=2, derived=derived)
    assert top["touchpoint"].tolist() == ["Checkout", "App"]
    assert (top["basis"] == "derived").all() and top.loc[0, "stage"] == "Buy"


def test_moments_of_truth_fall_back_to_stated_importance(journey: Workspace):
    top = moments_of_truth(journey, Filters(), top=3, derived=NO_DERIVED)
    assert top["touchpoint"].tolist() == ["Checkout", "App", "Ads"]
    assert (top["basis"] == "stated").all()


def test_empty_workspace_gives_empty_matrices(ws: Workspace):
    assert stage_touchpoint_matrix(ws, Filters()).empty
    assert stage_channel_matrix(ws, Filters()).empty
    assert moments_of_truth(ws, Filters(), derived=NO_DERIVED).empty
