"""The promise scorecard: target units, status rules, defaults, importance, ranking, quadrants."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from cxdash.filters import Filters
from cxdash.promise import (
    OVERALL_PILLAR,
    QUADRANT_CONCENTRATE,
    QUADRANT_KEEP_UP,
    QUADRANT_LOW_PRIORITY,
    QUADRANT_OVERKILL,
    STATUS_AT_RISK,
    STATUS_BELOW,
    STATUS_MEETS,
    STATUS_TOO_FEW,
    get_default_targets,
    ipa_splits,
    promise_keeping,
    promise_statement,
    report,
    scorecard,
    set_default_targets,
)
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints

NO_DERIVED = pd.DataFrame(columns=["touchpoint", "importance_derived", "method"])


def csat(touchpoint: str, positives: int, n: int, stage: str | None = None) -> list[dict]:
    """``n`` CSAT answers of which ``positives`` are 5 and the rest 2."""
    return [
        {
            "metric": "csat",
            "value": 5 if i < positives else 2,
            "touchpoint": touchpoint,
            "stage": stage,
        }
        for i in range(n)
    ]


def card_of(ws: Workspace, derived: pd.DataFrame = NO_DERIVED, **filters) -> pd.DataFrame:
    return scorecard(ws, Filters(**filters), derived=derived).set_index("touchpoint")


def wilson_high(x: int, n: int, z: float = 1.96) -> float:
    p = x / n
    return (
        100
        * ((p + z * z / (2 * n)) + z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)))
        / (1 + z * z / n)
    )


def test_status_rules_at_the_boundaries(ws: Workspace):
    add_touchpoints(
        ws,
        [
            {"touchpoint": t, "target": 80, "target_unit": "share"}
            for t in ("Low", "Near", "Good", "Few")
        ],
    )
    add_feedback(
        ws, csat("Low", 20, 40) + csat("Near", 30, 40) + csat("Good", 34, 40) + csat("Few", 0, 5)
    )
    # 50 % with the whole interval under 80 %; 75 % with the interval reaching 80 %.
    assert wilson_high(20, 40) < 80 < wilson_high(30, 40)
    card = card_of(ws)
    assert card.loc["Low", "status"] == STATUS_BELOW
    assert card.loc["Near", "status"] == STATUS_AT_RISK
    assert card.loc["Good", "status"] == STATUS_MEETS
    assert card.loc["Few", "status"] == STATUS_TOO_FEW
    assert card.loc["Near", "score"] == pytest.approx(75.0)
    assert card.loc["Near", "gap"] == pytest.approx(-5.0)
    assert card.loc["Near", "ci_high"] == pytest.approx(wilson_high(30, 40), abs=1e-3)


def test_target_units_mean_share_and_stored_fraction(ws: Workspace):
    add_touchpoints(
        ws,
        [
            {"touchpoint": "Mean", "target": 4.2, "target_unit": "mean", "target_metric": "csat"},
            {"touchpoint": "Pct", "target": 80, "target_unit": "share"},
            {"touchpoint": "Frac", "target": 0.8},  # no unit: a fraction is a share
            {"touchpoint": "Guess", "target": 4.2},  # no unit: within the 1-5 scale is a mean
        ],
    )
    answers = [5, 5, 4, 4, 3] * 8  # mean 4.2, top-2-box 80 %
    add_feedback(
        ws,
        [
            {"metric": "csat", "value": v, "touchpoint": t}
            for t in ("Mean", "Pct", "Frac", "Guess")
            for v in answers
        ],
    )
    card = card_of(ws)
    assert card.loc["Mean", "target_unit"] == "mean" and card.loc["Mean", "score"] == pytest.approx(
        4.2
    )
    assert card.loc["Mean", "target100"] == pytest.approx((4.2 - 1) / 4 * 100)  # 80
    assert card.loc["Mean", "gap"] == 0.0 and card.loc["Mean", "status"] == STATUS_MEETS
    for tp in ("Pct", "Frac"):
        assert card.loc[tp, "target_unit"] == "share"
        assert card.loc[tp, "target"] == pytest.approx(80.0)
        assert card.loc[tp, "score"] == pytest.approx(80.0)  # 32 of 40 answered 4 or 5
        assert card.loc[tp, "status"] == STATUS_MEETS
    assert card.loc["Guess", "target_unit"] == "mean"
    assert not card["target_is_default"].any()


def test_nps_target_on_a_touchpoint(ws: Workspace):
    add_touchpoints(
        ws, [{"touchpoint": "Call", "target": 30, "target_unit": "nps", "target_metric": "nps"}]
    )
    values = [10] * 20 + [8] * 10 + [2] * 10  # NPS = 50 - 25 = 25
    add_feedback(ws, [{"metric": "nps", "value": v, "touchpoint": "Call"} for v in values])
    row = card_of(ws).loc["Call"]
    assert row["metric"] == "nps" and row["score"] == pytest.approx(25.0)
    assert row["gap"] == pytest.approx(-5.0)
    assert row["gap100"] == pytest.approx(-2.5)  # NPS runs over 200 points
    assert row["status"] == STATUS_AT_RISK


def test_default_targets_are_applied_flagged_and_editable(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "Map only", "stage": "Join"}])
    add_feedback(
        ws,
        csat("Csat tp", 34, 40)
        + [{"metric": "rating", "value": 4, "touchpoint": "Rated"} for _ in range(40)],
    )
    card = card_of(ws)
    assert card["target_is_default"].all()
    assert card.loc["Csat tp", "target"] == 80.0 and card.loc["Csat tp", "target_unit"] == "share"
    # A rating is held to 80 on the 0-100 score: a 4 on 1-5 scores 75.
    assert card.loc["Rated", "metric"] == "rating" and card.loc["Rated", "target_unit"] == "score"
    assert card.loc["Rated", "score"] == pytest.approx(75.0)
    assert card.loc["Rated", "status"] == STATUS_BELOW  # every answer is 75
    assert card.loc["Map only", "n"] == 0 and card.loc["Map only", "status"] == STATUS_TOO_FEW
    assert math.isnan(card.loc["Csat tp", "importance_stated"])

    set_default_targets(ws, {"csat": 0.9, "rating": {"unit": "score", "target": 70}})
    assert get_default_targets(ws)["csat"] == {"unit": "share", "target": 90.0}
    card = card_of(ws)
    assert card.loc["Csat tp", "target"] == 90.0 and card.loc["Csat tp", "status"] == STATUS_AT_RISK
    assert card.loc["Rated", "status"] == STATUS_MEETS
    # A per-call override wins over the workspace default.
    over = scorecard(ws, Filters(), defaults={"csat": 50}, derived=NO_DERIVED).set_index(
        "touchpoint"
    )
    assert over.loc["Csat tp", "target"] == 50.0


def test_touchpoints_only_in_feedback_have_no_owner(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "Mapped", "owner": "Ann", "stage": "Buy"}])
    add_feedback(ws, csat("Unmapped", 30, 40, stage="Use"))
    card = card_of(ws)
    assert card.loc["Mapped", "owner"] == "Ann" and card.loc["Mapped", "in_map"]
    assert pd.isna(card.loc["Unmapped", "owner"]) and not card.loc["Unmapped", "in_map"]
    assert card.loc["Unmapped", "stage"] == "Use"


def test_stage_filter_leaves_out_other_map_touchpoints(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "A", "stage": "Buy"}, {"touchpoint": "B", "stage": "Use"}])
    assert list(card_of(ws, stages=["Buy"]).index) == ["A"]


def test_priority_ranks_by_importance_times_shortfall(ws: Workspace):
    add_touchpoints(
        ws,
        [
            {"touchpoint": "Big gap", "importance": 2, "target": 80, "target_unit": "share"},
            {"touchpoint": "Key", "importance": 5, "target": 80, "target_unit": "share"},
            {"touchpoint": "Fine", "importance": 5, "target": 80, "target_unit": "share"},
            {"touchpoint": "Tiny", "importance": 5, "target": 80, "target_unit": "share"},
        ],
    )
    add_feedback(
        ws,
        csat("Big gap", 20, 40) + csat("Key", 28, 40) + csat("Fine", 36, 40) + csat("Tiny", 0, 3),
    )
    card = card_of(ws)
    # importance: 2/5 = 0.4 and 5/5 = 1; shortfall: 80 - 50 = 30 and 80 - 70 = 10.
    assert card.loc["Big gap", "importance"] == pytest.approx(0.4)
    assert card.loc["Big gap", "priority"] == pytest.approx(0.4 * 30)  # 12
    assert card.loc["Key", "priority"] == pytest.approx(1.0 * 10)  # 10
    assert card.loc["Fine", "shortfall"] == 0.0 and card.loc["Fine", "priority"] == 0.0
    assert card.loc["Big gap", "rank"] == 1 and card.loc["Key", "rank"] == 2
    assert card.loc["Fine", "rank"] == 3
    # Too few answers: the biggest shortfall, yet never ranked.
    assert card.loc["Tiny", "priority"] > 12 and pd.isna(card.loc["Tiny", "rank"])
    assert list(scorecard(ws, Filters(), derived=NO_DERIVED)["touchpoint"])[-1] == "Tiny"


def test_derived_importance_fills_in_where_none_is_stated(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "Stated", "importance": 4}])
    add_feedback(ws, csat("Stated", 30, 40) + csat("Derived", 30, 40) + csat("Neither", 30, 40))
    derived = pd.DataFrame(
        {"touchpoint": ["Derived", "Stated"], "importance_derived": [0.2, 0.5], "method": "rw"}
    )
    card = card_of(ws, derived=derived)
    assert card.loc["Stated", "importance"] == 1.0
    assert card.loc["Stated", "importance_source"] == "stated"
    assert card.loc["Stated", "importance_derived"] == 0.5
    assert card.loc["Derived", "importance"] == pytest.approx(0.2 / 0.5)
    assert card.loc["Derived", "importance_source"] == "derived"
    # Neither: the median of the known importances (1.0 and 0.4).
    assert card.loc["Neither", "importance"] == pytest.approx(0.7)
    assert card.loc["Neither", "importance_source"] == "assumed"


def test_quadrants_split_at_the_target_and_the_mean_importance(ws: Workspace):
    add_touchpoints(
        ws,
        [
            {"touchpoint": "Concentrate", "importance": 5, "target": 80, "target_unit": "share"},
            {"touchpoint": "Keep up", "importance": 4, "target": 80, "target_unit": "share"},
            {"touchpoint": "Low", "importance": 1, "target": 80, "target_unit": "share"},
            {"touchpoint": "Overkill", "importance": 2, "target": 80, "target_unit": "share"},
        ],
    )
    add_feedback(
        ws,
        csat("Concentrate", 20, 40)
        + csat("Keep up", 36, 40)
        + csat("Low", 20, 40)
        + csat("Overkill", 36, 40),
    )
    card = scorecard(ws, Filters(), derived=NO_DERIVED)
    # Importances 1, 0.8, 0.2, 0.4 -> mean 0.6.
    assert ipa_splits(card) == {"gap100": 0.0, "importance": pytest.approx(0.6)}
    quadrant = card.set_index("touchpoint")["quadrant"]
    assert quadrant["Concentrate"] == QUADRANT_CONCENTRATE
    assert quadrant["Keep up"] == QUADRANT_KEEP_UP
    assert quadrant["Low"] == QUADRANT_LOW_PRIORITY
    assert quadrant["Overkill"] == QUADRANT_OVERKILL


def test_promise_keeping_is_importance_weighted(ws: Workspace):
    with ws.transaction() as cur:
        cur.executemany(
            "INSERT INTO promise VALUES (?, ?, ?, ?)",
            [
                (0, "statement", "The easy bank", "Banking without effort"),
                (1, "reason_to_believe", "Speed", None),
                (2, "reason_to_believe", "Trust", "We keep our word"),
            ],
        )
    add_touchpoints(
        ws,
        [
            {
                "touchpoint": "Meets",
                "pillar": "Speed",
                "importance": 4,
                "target": 80,
                "target_unit": "share",
            },
            {
                "touchpoint": "Misses",
                "pillar": "Speed",
                "importance": 1,
                "target": 80,
                "target_unit": "share",
            },
            {
                "touchpoint": "Unknown",
                "pillar": "Speed",
                "importance": 5,
                "target": 80,
                "target_unit": "share",
            },
            {"touchpoint": "Other", "importance": 5, "target": 80, "target_unit": "share"},
        ],
    )
    add_feedback(
        ws,
        csat("Meets", 36, 40)
        + csat("Misses", 20, 40)
        + csat("Unknown", 0, 4)
        + csat("Other", 20, 40),
    )
    keeping = promise_keeping(
        ws, Filters(), scorecard(ws, Filters(), derived=NO_DERIVED)
    ).set_index("pillar")
    # Speed: confirmed Meets (0.8) and Misses (0.2); Unknown has too few answers.
    assert keeping.loc["Speed", "kept_pct"] == pytest.approx(100 * 0.8 / (0.8 + 0.2))
    assert keeping.loc["Speed", "confirmed"] == 2 and keeping.loc["Speed", "too_few"] == 1
    assert keeping.loc["Speed", "below_promise"] == 1
    assert keeping.loc["Trust", "touchpoints"] == 0 and math.isnan(keeping.loc["Trust", "kept_pct"])
    # Overall adds Other (1.0, below promise): 0.8 / (0.8 + 0.2 + 1.0).
    assert keeping.loc[OVERALL_PILLAR, "kept_pct"] == pytest.approx(40.0)
    assert keeping.loc[OVERALL_PILLAR, "is_overall"]

    statement = promise_statement(ws)
    assert statement["statement"] == "The easy bank"
    assert [r["name"] for r in statement["reasons_to_believe"]] == ["Speed", "Trust"]


def test_empty_workspace_scorecard_and_report(ws: Workspace):
    assert scorecard(ws, Filters(), derived=NO_DERIVED).empty
    out = report(ws, Filters())
    assert out["touchpoints"] == [] and out["kpis"]["nps"]["value"] is None


def test_report_is_json_safe_and_follows_the_contract(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "Web", "owner": "Ann", "stage": "Buy", "target": 0.8}])
    add_feedback(
        ws,
        csat("Web", 30, 40)
        + [
            {"metric": "nps", "value": v, "response_id": f"r{i}"}
            for i, v in enumerate([0] * 6 + [10] * 4)
        ]
        + [{"metric": "csat", "value": 4, "touchpoint": "New"}],
    )
    out = report(ws, Filters())
    text = json.dumps(out, allow_nan=False)  # raises on NaN
    assert set(out["kpis"]) == {"nps", "csat", "ces", "overall"}
    assert out["kpis"]["nps"]["value"] == pytest.approx(100 * (0.4 - 0.6))  # -20 on -100..+100
    assert out["kpis"]["ces"]["n"] == 0 and out["kpis"]["ces"]["value"] is None
    rows = {r["touchpoint"]: r for r in out["touchpoints"]}
    needed = {
        "touchpoint",
        "stage",
        "channel",
        "owner",
        "n",
        "score",
        "ci_low",
        "ci_high",
        "target",
        "gap",
        "status",
        "importance_stated",
        "importance_derived",
        "priority",
        "quadrant",
    }
    assert needed <= set(rows["Web"])
    assert rows["Web"]["owner"] == "Ann" and rows["Web"]["target"] == 80.0
    assert rows["New"]["owner"] is None and rows["New"]["status"] == STATUS_TOO_FEW
    assert isinstance(out["themes"], list)
    assert "NaN" not in text
