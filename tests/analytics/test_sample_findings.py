"""The analytics find what the sample data plants (see sample_data/README.md)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from cxdash import sample
from cxdash.filters import Filters
from cxdash.journey import moments_of_truth
from cxdash.promise import report, scorecard
from cxdash.starter import ensure_sample_data
from cxdash.themes import theme_table
from cxdash.trends import compare_periods
from cxdash.workspace import Workspace


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path = tmp_path_factory.mktemp("findings") / "ws.duckdb"
    ws = Workspace(path)
    assert [r.status for r in ensure_sample_data(ws)] == ["loaded"] * 3
    yield ws
    ws.close()
    shutil.rmtree(Path(path).parent, ignore_errors=True)


def test_planted_weak_touchpoints_rank_at_the_top(sample_ws: Workspace) -> None:
    card = scorecard(sample_ws, Filters())
    top = card.sort_values("rank").head(3)
    assert set(top["touchpoint"]) == set(sample.PLANTED_WEAK_TOUCHPOINTS)
    assert (top["status"] == "below promise").all()
    assert (top["ci_high"] < top["target"]).all()  # the whole interval under the target
    # Nothing else is confirmed below the promise.
    below = set(card.loc[card["status"] == "below promise", "touchpoint"])
    assert below == set(sample.PLANTED_WEAK_TOUCHPOINTS)


def test_small_touchpoints_are_directional_and_unranked(sample_ws: Workspace) -> None:
    card = scorecard(sample_ws, Filters()).set_index("touchpoint")
    for name in sample.SMALL_N_TOUCHPOINTS:
        assert card.loc[name, "status"] == "too few responses"
        assert card.loc[name, "n"] < 30
        assert pd.isna(card.loc[name, "rank"])  # never ranked


def test_planted_worsening_theme_shows_a_significant_decline(sample_ws: Workspace) -> None:
    start = sample.WORSENING_START
    before = (
        date(start.year - (start.month <= 6), (start.month - 7) % 12 + 1, 1),
        start - timedelta(days=1),
    )
    last = (start, date(2026, 10, 31))
    result = compare_periods(
        sample_ws, Filters(), "csat", before, last, theme=sample.PLANTED_WORSENING_THEME
    )
    assert result["significant"] is True
    assert result["difference"] < -5  # percentage points of top-2-box share
    assert result["p"] < 0.001
    themes = theme_table(sample_ws, Filters()).set_index("theme")
    assert themes.loc[sample.PLANTED_WORSENING_THEME, "trend"] > 0  # mentioned more often lately


def test_moments_of_truth_are_the_planted_drivers(sample_ws: Workspace) -> None:
    moments = moments_of_truth(sample_ws, Filters(), top=len(sample.PLANTED_MOMENTS_OF_TRUTH))
    assert set(moments["touchpoint"]) == set(sample.PLANTED_MOMENTS_OF_TRUTH)
    assert (moments["basis"] == "derived").all()


def test_report_ranks_the_planted_touchpoints_first(sample_ws: Workspace) -> None:
    data = report(sample_ws, Filters())
    assert {t["touchpoint"] for t in data["touchpoints"][:3]} == set(
        sample.PLANTED_WEAK_TOUCHPOINTS
    )
    assert data["kpis"]["nps"]["n"] == 19420
    assert (
        -100
        <= data["kpis"]["nps"]["ci_low"]
        < data["kpis"]["nps"]["value"]
        < data["kpis"]["nps"]["ci_high"]
        <= 100
    )
    assert any(t["theme"] == sample.PLANTED_WORSENING_THEME for t in data["themes"])
