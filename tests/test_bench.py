"""Smoke test of the benchmark groups at tiny sizes: rows come out, both baselines agree.

No timing assertions: speed is reported by ``make bench``, never checked here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks import bench
from cxdash.filters import Filters
from cxdash.sample import TOUCHPOINTS
from cxdash.workspace import Workspace

ROWS = 6_000
VERDICTS = {"ok", "SLOW", "MISSED", ""}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bench cache folder for the module, so the tiny workspace is built once."""
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def db(folder: Path) -> Path:
    return bench.feedback_workspace(ROWS, folder)


def test_feedback_workspace_holds_the_map_promise_and_rows(db: Path, folder: Path) -> None:
    with Workspace(db, read_only=True) as ws:
        assert ws.fetchall("SELECT count(*) FROM feedback")[0][0] == ROWS
        assert ws.fetchall("SELECT count(*) FROM touchpoints")[0][0] == len(TOUCHPOINTS)
        kinds = {r[0] for r in ws.fetchall("SELECT kind FROM promise")}
        assert kinds == {"statement", "reason_to_believe"}
        segments = ws.fetchall("SELECT segments['Region'] FROM feedback LIMIT 1")[0][0]
        assert segments
    modified = db.stat().st_mtime_ns
    assert bench.feedback_workspace(ROWS, folder) == db
    assert db.stat().st_mtime_ns == modified, "a cached workspace is reused, not rebuilt"


def test_chunks_keep_responses_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "CHUNK_ROWS", 999)
    with Workspace(bench.feedback_workspace(2_997, tmp_path), read_only=True) as ws:
        imports, responses = ws.fetchall(
            "SELECT count(DISTINCT import_id), count(DISTINCT (import_id, response_id)) FROM feedback"
        )[0]
    assert (imports, responses) == (3, 3 * 333)


@pytest.mark.parametrize("filters", [bench.TYPICAL_FILTER, Filters()], ids=["typical", "none"])
def test_pandas_baseline_gives_the_library_numbers(db: Path, filters: Filters) -> None:
    with Workspace(db, read_only=True) as ws:
        duck, seconds = bench.run_page_queries(ws, filters)
        panda = bench.pandas_page_queries(bench.load_pandas_data(ws), filters)
    assert set(seconds) == set(bench.ANALYTICS_PARTS)
    assert bench.compare_page_results(duck, panda) == []
    kpis = duck["kpis"].set_index("kpi")
    pkpis = panda["kpis"].set_index("metric")
    assert kpis.loc["nps", "n"] > 0, "the filter must select answers"
    assert kpis.loc["nps", "value"] == pytest.approx(pkpis.loc["nps", "value"], rel=1e-12)
    card = duck["scorecard"]
    n_duck = card[card["n"] > 0].set_index("touchpoint")["n"].to_dict()
    n_pandas = panda["scorecard"].set_index("touchpoint")["n"].to_dict()
    assert n_duck == n_pandas and len(n_duck) > 3
    assert duck["themes"]["mentions"].tolist() == panda["themes"]["mentions"].tolist()


def test_comparison_notices_a_difference(db: Path) -> None:
    with Workspace(db, read_only=True) as ws:
        duck, _ = bench.run_page_queries(ws, bench.TYPICAL_FILTER)
        panda = bench.pandas_page_queries(bench.load_pandas_data(ws), bench.TYPICAL_FILTER)
    panda["kpis"].loc[panda["kpis"]["metric"] == "nps", "value"] += 0.5
    panda["themes"] = panda["themes"].iloc[1:]
    assert bench.compare_page_results(duck, panda) == ["KPI nps value", "themes"]


def test_pandas_mask_refuses_filters_it_cannot_apply() -> None:
    frame = pd.DataFrame({"stage": ["Drive"], "ts": [pd.Timestamp("2026-01-01")]})
    with pytest.raises(ValueError, match="segments"):
        bench.pandas_mask(frame, Filters(segments=(("Region", ("North",)),)))


def test_analytics_group_reports_the_library_and_the_baseline(folder: Path) -> None:
    rows = bench.bench_analytics(ROWS, repeat=2, folder=folder)
    assert [r.group for r in rows] == ["analytics", "analytics"]
    library, baseline = rows
    assert library.seconds > 0 and library.p95 is not None and library.p95 >= library.seconds
    assert library.verdict in VERDICTS and "cold first run" in library.note
    assert "same numbers" in baseline.note and "x faster" in baseline.note
    assert baseline.verdict in VERDICTS


def test_describe_filter_names_every_part() -> None:
    text = bench.describe_filter(bench.TYPICAL_FILTER)
    assert "Find a car + Return & pay" in text and "App" in text and "2025-11-01" in text
    assert bench.describe_filter(Filters()) == "no filter"


def test_page_group_rerenders_the_touchpoints_page(folder: Path) -> None:
    rows = bench.bench_page(ROWS, runs=2, folder=folder)
    assert [r.group for r in rows] == ["page"] * 3
    first, uncached, cached = rows
    assert first.seconds > 0
    assert "uncached" in uncached.case and "cached" in cached.case
    for row in (uncached, cached):
        assert row.p95 is not None and row.p95 >= row.seconds > 0
        assert row.verdict in {"ok", "SLOW"}


def test_stage_selections_are_distinct() -> None:
    selections = bench.stage_selections(["A", "B", "C"])
    assert selections == [["A", "B"], ["A", "C"], ["B", "C"], ["A"], ["B"], ["C"]]


def test_run_bench_prints_one_line_per_row(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = {
        "fake": lambda quick: [bench.Row("fake", f"quick={quick}", 0.1234, "< 1 s", "ok", "", 0.2)]
    }
    monkeypatch.setattr(bench, "GROUPS", fake)
    assert bench.run_bench(quick=True, only=["fake"]) == 0
    out = capsys.readouterr().out
    assert "p95 s" in out and "quick=True" in out and "0.123" in out and "0.200" in out
    assert bench.run_bench(only=["nope"]) == 2
