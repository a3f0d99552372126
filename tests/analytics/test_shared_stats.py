"""The shared per-level aggregate (``metric_levels``) and the per-workspace memo.

``metric_levels`` must give, level by level, exactly what ``metric_stats`` gives when it is
grouped the same way, with and without responses that repeat their NPS; the memo must never
return a result from before a write.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from cxdash.filters import Filters
from cxdash.metrics import (
    CELL_STAGE,
    STAT_COLUMNS,
    WorkspaceMemo,
    _metric_levels_sql,
    clear_memo,
    kpis,
    level_stats,
    metric_levels,
    metric_stats,
    repeats_response_level_answers,
)
from cxdash.promise import answered_metrics, touchpoint_frame
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints


def _survey(repeat_nps: bool) -> list[dict]:
    """Twelve responses over two touchpoints; one stage comes from the map only.

    Each response rates a touchpoint (CSAT) and gives an NPS on the touchpoint row; every
    third one also an overall score on a row without touchpoint. ``repeat_nps`` adds, as a
    long export does, the same NPS again on a second touchpoint's row and once more on the
    first (so it must count once per response in the totals and per touchpoint).
    """
    rows: list[dict] = []
    for i in range(12):
        touchpoint, stage = ("Checkout", "Buy") if i % 2 else ("App", None)  # App: map stage
        day = datetime(2025, 1 + i % 6, 3)
        common = {"response_id": f"r{i}", "ts": day, "channel": "Web" if i % 3 else "Store"}
        rows.append({**common, "metric": "csat", "value": 1 + i % 5, "touchpoint": touchpoint,
                     "stage": stage})  # fmt: skip
        rows.append({**common, "metric": "nps", "value": i % 11, "touchpoint": touchpoint,
                     "stage": stage})  # fmt: skip
        if i % 3 == 0:
            rows.append({**common, "metric": "overall", "value": 2 + i % 4})
        if repeat_nps:
            rows.append({**common, "metric": "nps", "value": i % 11, "touchpoint": "Desk"})
            rows.append({**common, "metric": "nps", "value": i % 11, "touchpoint": touchpoint,
                         "stage": stage})  # fmt: skip
    return rows


@pytest.fixture(params=[False, True], ids=["each-answer-once", "repeated-nps"])
def survey(request: pytest.FixtureRequest, ws: Workspace) -> Workspace:
    add_touchpoints(ws, [{"touchpoint": "App", "stage": "Use", "stage_order": 2}])
    add_feedback(ws, _survey(repeat_nps=request.param))
    return ws


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame[[*keys, "metric", *STAT_COLUMNS]].sort_values([*keys, "metric"])
    return out.reset_index(drop=True)


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(channels=("Web",)), Filters(date_from=datetime(2025, 3, 1).date())],
    ids=["all", "channel", "dates"],
)
def test_each_level_equals_metric_stats_grouped_the_same_way(survey: Workspace, filters):
    levels = metric_levels(survey, filters)
    expected = {
        "total": metric_stats(survey, filters),
        "touchpoint": metric_stats(
            survey, filters, groups=[("touchpoint", "f.touchpoint")],
            where="f.touchpoint IS NOT NULL",
        ),
        "cell": metric_stats(
            survey, filters, groups=[("stage", CELL_STAGE), ("touchpoint", "f.touchpoint")],
            where="f.touchpoint IS NOT NULL", join_map=True,
        ),
    }  # fmt: skip
    keys = {"total": [], "touchpoint": ["touchpoint"], "cell": ["stage", "touchpoint"]}
    for level, want in expected.items():
        got = level_stats(levels, level)
        assert len(got) == len(want) > 0, level
        pd.testing.assert_frame_equal(
            _sorted(got, keys[level]), _sorted(want, keys[level]), check_dtype=False
        )


def test_repeated_nps_counts_once_per_response_at_every_level(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "App", "stage": "Use", "stage_order": 2}])
    add_feedback(ws, _survey(repeat_nps=True))
    assert repeats_response_level_answers(ws)
    levels = metric_levels(ws, Filters())
    nps = levels[levels["metric"] == "nps"]
    total = nps[nps["level"] == "total"].iloc[0]
    assert total["n"] == 12  # twelve responses, each NPS on three rows
    by_touchpoint = nps[nps["level"] == "touchpoint"].set_index("touchpoint")["n"].to_dict()
    assert by_touchpoint == {"App": 6, "Checkout": 6, "Desk": 12}
    cells = nps[nps["level"] == "cell"].set_index(["stage", "touchpoint"])["n"]
    assert cells[("Use", "App")] == 6  # stage from the map


def test_a_workspace_without_repeats_is_recognised(ws: Workspace):
    add_feedback(ws, _survey(repeat_nps=False))
    assert not repeats_response_level_answers(ws)
    # The same NPS on another scale is another answer, not a repeat.
    add_feedback(
        ws,
        [{"metric": "nps", "value": 3, "response_id": "r0", "scale_min": 1, "scale_max": 10}],
    )
    assert not repeats_response_level_answers(ws)


def test_results_are_fresh_after_every_write(ws: Workspace):
    add_feedback(ws, [{"metric": "csat", "value": 5}] * 3)
    assert kpis(ws, Filters()).set_index("kpi").loc["csat", "n"] == 3
    assert not repeats_response_level_answers(ws)
    add_feedback(ws, [{"metric": "csat", "value": 1}] * 2, import_id="second")
    add_feedback(ws, [{"metric": "nps", "value": 9, "response_id": "x"}] * 2, import_id="third")
    row = kpis(ws, Filters()).set_index("kpi").loc["csat"]
    assert row["n"] == 5 and row["value"] == pytest.approx(60.0)
    assert repeats_response_level_answers(ws)  # the workspace fact is refreshed too
    assert kpis(ws, Filters()).set_index("kpi").loc["nps", "n"] == 1


def test_callers_get_copies_they_may_change(ws: Workspace):
    add_feedback(ws, [{"metric": "csat", "value": 5, "touchpoint": "Web"}] * 3)
    first = metric_levels(ws, Filters())
    first["n"] = -1
    frame = touchpoint_frame(ws, Filters())
    frame["touchpoint"] = "changed"
    assert (metric_levels(ws, Filters())["n"] > 0).all()
    assert touchpoint_frame(ws, Filters())["touchpoint"].tolist() == ["Web"]


def test_min_n_shares_the_rows_but_not_the_flags(ws: Workspace):
    add_feedback(ws, [{"metric": "csat", "value": 5}] * 10)
    strict = kpis(ws, Filters(min_n=30)).set_index("kpi").loc["csat"]
    loose = kpis(ws, Filters(min_n=5)).set_index("kpi").loc["csat"]
    assert strict["n"] == loose["n"] == 10
    assert strict["directional"] and not loose["directional"]


def test_workspaces_with_the_same_data_version_do_not_share_results(tmp_path: Path):
    with Workspace(tmp_path / "a.duckdb") as a, Workspace(tmp_path / "b.duckdb") as b:
        add_feedback(a, [{"metric": "csat", "value": 5}] * 2)
        add_feedback(b, [{"metric": "csat", "value": 5}] * 7)
        assert a.data_version() == b.data_version()
        assert kpis(a, Filters()).set_index("kpi").loc["csat", "n"] == 2
        assert kpis(b, Filters()).set_index("kpi").loc["csat", "n"] == 7


def test_memo_is_a_bounded_lru_per_workspace(ws: Workspace, tmp_path: Path):
    memo = WorkspaceMemo(maxsize=2)
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert memo.get(ws, "a", lambda: compute("a")) == "A"
    assert memo.get(ws, "a", lambda: compute("a")) == "A"
    memo.get(ws, "b", lambda: compute("b"))
    memo.get(ws, "a", lambda: compute("a"))  # a is now the most recent
    memo.get(ws, "c", lambda: compute("c"))  # evicts b
    memo.get(ws, "a", lambda: compute("a"))
    memo.get(ws, "b", lambda: compute("b"))
    assert calls == ["a", "b", "c", "b"]
    with Workspace(tmp_path / "other.duckdb") as other:
        memo.get(other, "a", lambda: compute("a"))  # another workspace: its own entries
    assert calls[-1] == "a"
    memo.clear()
    memo.get(ws, "a", lambda: compute("a"))
    assert calls.count("a") == 3


def test_answered_metrics_cover_the_whole_workspace(ws: Workspace):
    add_feedback(
        ws,
        [
            {"metric": "ces", "value": 6, "touchpoint": "Kiosk", "channel": "Store"},
            {"metric": "csat", "value": 4, "touchpoint": "Kiosk", "channel": "Web"},
        ],
    )
    clear_memo()
    answered = answered_metrics(ws).set_index("touchpoint")["metrics"]
    assert sorted(answered["Kiosk"]) == ["ces", "csat"]
    # Filtered to the store, the touchpoint still has its CSAT answers elsewhere: CSAT it is.
    frame = touchpoint_frame(ws, Filters(channels=("Store",))).set_index("touchpoint")
    assert sorted(frame.loc["Kiosk", "metrics"]) == ["ces", "csat"]


def test_skipping_the_per_response_step_changes_nothing_without_repeats(ws: Workspace):
    add_touchpoints(ws, [{"touchpoint": "App", "stage": "Use", "stage_order": 2}])
    add_feedback(ws, _survey(repeat_nps=False))
    frames = []
    for dedupe in (False, True):
        sql, params = _metric_levels_sql(Filters(), dedupe)
        found = ws.query_df(sql, params)
        frames.append(_sorted(found, ["level", "stage", "touchpoint"]))
    assert len(frames[0]) > 0
    pd.testing.assert_frame_equal(frames[0], frames[1], check_dtype=False)


def test_a_tied_most_frequent_channel_is_chosen_a_to_z(ws: Workspace):
    records = [
        {"metric": "csat", "value": 4, "touchpoint": "Kiosk", "channel": channel}
        for channel in ["Web", "App", "Web", "App", None, None, None]
    ]
    add_feedback(ws, records)
    for _ in range(5):  # the same answer on every run, whatever order the rows are read in
        clear_memo()
        frame = touchpoint_frame(ws, Filters()).set_index("touchpoint")
        assert frame.loc["Kiosk", "channel"] == "App"
