"""The page's shared scan (``scan_result``) and the cheap data-version token.

Every part computed in the shared scan must equal, values and column types, what the same
SQL gives as a query of its own (``ws.query_df``), for a selection with rows and for one
without; the version token must follow writes made through any workspace on the file.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from cxdash import metrics
from cxdash.filters import Filters
from cxdash.metrics import SCAN_COLUMNS, SCAN_PARTS, clear_memo, kpis, scan_result
from cxdash.promise import touchpoint_frame
from cxdash.themes import theme_table
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints

PARTS = ("metric_levels", "touchpoint_frame", "theme_counts")


@pytest.fixture
def surveyed(ws: Workspace) -> Workspace:
    """Two touchpoints in the map (one without a stage order), one only in the feedback,
    rows without a stage, themed comments and an outcome row without a touchpoint."""
    add_touchpoints(
        ws,
        [
            {"touchpoint": "App", "stage": "Use", "stage_order": 2, "target_metric": "csat"},
            {"touchpoint": "Desk", "stage": "Pick-up"},
        ],
    )
    rows: list[dict] = []
    for i in range(18):
        common = {"response_id": f"r{i}", "ts": datetime(2025, 1 + i % 9, 5)}
        touchpoint = ("App", "Desk", "Kiosk")[i % 3]
        stage = None if touchpoint == "App" else "Pick-up"
        rows.append({**common, "metric": "csat", "value": 1 + i % 5, "touchpoint": touchpoint,
                     "stage": stage, "channel": "Web" if i % 2 else "Store",
                     "themes": ["Staff"] if i % 4 == 0 else []})  # fmt: skip
        rows.append({**common, "metric": "nps", "value": i % 11,
                     "themes": ["Price", "Staff"] if i % 5 == 0 else []})  # fmt: skip
    add_feedback(ws, rows)
    return ws


def _direct(ws: Workspace, filters: Filters, name: str) -> pd.DataFrame:
    """Part ``name`` as a query of its own, rows in the part's order."""
    part = SCAN_PARTS[name]
    where, params = filters.to_sql("f")
    ctes, part_params = part.ctes(ws, filters)
    columns = ", ".join(f"f.{c}" for c in SCAN_COLUMNS)
    order = f" ORDER BY {part.order}" if part.order else ""
    sql = f"WITH sel AS (SELECT {columns} FROM feedback f WHERE {where}), {ctes} "
    found = ws.query_df(f"{sql} SELECT * FROM {name}{order}", [*params, *part_params])
    return part.finish(ws, filters, found)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("level", "stage", "touchpoint", "metric", "theme") if c in frame]
    frame = frame.drop(columns=["metrics"], errors="ignore")
    return frame.sort_values(keys, na_position="last").reset_index(drop=True)


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(channels=("Web",)), Filters(date_from=date(2030, 1, 1))],
    ids=["all", "channel", "nothing-selected"],
)
@pytest.mark.parametrize("name", PARTS)
def test_each_part_equals_its_own_query(surveyed: Workspace, filters: Filters, name: str):
    clear_memo()
    shared = scan_result(surveyed, filters, name)
    alone = _direct(surveyed, filters, name)
    if name == "theme_counts":  # already ordered: the order itself must match
        pd.testing.assert_frame_equal(shared, alone)
    else:
        pd.testing.assert_frame_equal(_comparable(shared), _comparable(alone))


def test_a_touchpoint_outside_the_map_keeps_a_nullable_stage_order(surveyed: Workspace):
    frame = touchpoint_frame(surveyed, Filters()).set_index("touchpoint")
    assert str(frame["stage_order"].dtype) == "Int32"
    assert pd.isna(frame.loc["Kiosk", "stage_order"]) and frame.loc["App", "stage_order"] == 2
    assert frame.loc["Kiosk", "stage"] == "Pick-up"  # its most frequent stage in the feedback


def test_one_page_scans_the_feedback_once(surveyed: Workspace, monkeypatch):
    clear_memo()
    scans: list[tuple[str, ...]] = []
    real = metrics._run_scan

    def counted(ws: Workspace, filters: Filters, parts):
        scans.append(tuple(part.name for part in parts))
        return real(ws, filters, parts)

    monkeypatch.setattr(metrics, "_run_scan", counted)
    kpis(surveyed, Filters())
    touchpoint_frame(surveyed, Filters())
    theme_table(surveyed, Filters())
    assert len(scans) == 1 and set(PARTS) <= set(scans[0])
    kpis(surveyed, Filters(channels=("Web",)))  # a new filter state scans again
    assert len(scans) == 2


def test_version_token_follows_writes_through_any_workspace_on_the_file(tmp_path: Path):
    path = tmp_path / "shared.duckdb"
    with Workspace(path) as first:
        before = first.version_token()
        with Workspace(path) as second:  # the same file, opened again in this process
            add_feedback(second, [{"metric": "csat", "value": 5}])
        assert first.version_token() == first.data_version() == before + 1
        assert kpis(first, Filters()).set_index("kpi").loc["csat", "n"] == 1


def test_version_token_of_a_read_only_workspace(tmp_path: Path):
    path = tmp_path / "done.duckdb"
    with Workspace(path) as ws:
        add_feedback(ws, [{"metric": "csat", "value": 4}] * 2)
        version = ws.data_version()
    with Workspace(path, read_only=True) as ws:
        assert ws.version_token() == ws.version_token() == version
