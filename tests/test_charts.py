"""Chart builders: the Vega-Lite specs they produce (validated by ``to_dict``), not pixels."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest

from cxdash import charts
from cxdash.promise import STATUS_AT_RISK, STATUS_BELOW, STATUS_MEETS, STATUS_TOO_FEW

ROOT = Path(__file__).resolve().parents[1]


# -- realistic small frames (same columns as the library's) -----------------------------------
def make_card() -> pd.DataFrame:
    """A scorecard as :func:`cxdash.promise.scorecard` returns it: one row per unit of target."""
    rows = [
        # touchpoint, stage, order, owner, unit, n, directional, score, lo, hi, target, status, rank
        (
            "Car availability nearby",
            "Find a car",
            3,
            "Fleet",
            "share",
            701,
            False,
            68.9,
            65.4,
            72.2,
            85.0,
            STATUS_BELOW,
            1,
        ),
        (
            "Payment and charges",
            "Return & pay",
            5,
            "Finance",
            "mean",
            581,
            False,
            3.75,
            3.67,
            3.82,
            4.2,
            STATUS_BELOW,
            2,
        ),
        (
            "Friend referral offer",
            "Discover",
            1,
            "Marketing",
            "share",
            166,
            False,
            76.5,
            69.5,
            82.3,
            80.0,
            STATUS_AT_RISK,
            3,
        ),
        (
            "Loyalty rewards",
            "Manage account",
            6,
            "Marketing",
            "nps",
            120,
            False,
            39.0,
            25.0,
            52.0,
            30.0,
            STATUS_MEETS,
            4,
        ),
        (
            "Partner events",
            "Discover",
            1,
            "Marketing",
            "nps",
            17,
            True,
            52.9,
            10.0,
            80.0,
            40.0,
            STATUS_TOO_FEW,
            None,
        ),
    ]
    cols = ["touchpoint", "stage", "stage_order", "owner", "target_unit", "n", "directional",
            "score", "ci_low", "ci_high", "target", "status", "rank"]  # fmt: skip
    card = pd.DataFrame(rows, columns=cols)
    card["rank"] = card["rank"].astype("Int64")
    card["scale_min"] = 1.0
    card["scale_max"] = 5.0
    card["score100"] = charts.to_100(card["score"], card["target_unit"], 1.0, 5.0)
    card["target100"] = charts.to_100(card["target"], card["target_unit"], 1.0, 5.0)
    card["gap"] = card["score"] - card["target"]
    card["gap100"] = card["score100"] - card["target100"]
    card["importance"] = [1.0, 1.0, 0.6, 0.4, 0.8]
    card["priority"] = (-card["gap100"]).clip(lower=0) * card["importance"]
    card.attrs["ipa_splits"] = {"gap100": 0.0, "importance": 0.7}
    # Shuffle: the builder, not the caller, puts the rows in priority order.
    return card.iloc[[4, 2, 0, 3, 1]].reset_index(drop=True)


def make_journey() -> pd.DataFrame:
    rows = [
        ("Get help", 7, "Call centre", "csat", 554, 64.6, 80.0, False),
        ("Discover", 1, "Social media ads", "csat", 216, 83.8, 75.0, False),
        ("Find a car", 3, "Car availability nearby", "csat", 701, 68.9, 85.0, False),
        ("Discover", 1, "Partner events", "nps", 17, 76.5, 70.0, True),
        ("Find a car", 3, "Booking a car", "csat", 400, 88.0, 80.0, False),
    ]
    cols = ["stage", "stage_order", "touchpoint", "metric", "n", "score100", "target100",
            "directional"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols)
    frame["score"] = frame["score100"]
    frame["gap100"] = frame["score100"] - frame["target100"]
    return frame


def make_channels() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stage": ["Get help", "Discover", "Discover", "Find a car"],
            "stage_order": [7, 1, 1, 3],
            "channel": ["Call centre", "Email", "Partner events", "App"],
            "n": [554, 166, 17, 1101],
            "score100": [64.6, 76.5, 76.5, 75.0],
            "gap100": [-15.4, -3.5, 6.5, -5.0],
            "touchpoints": [1, 1, 1, 2],
            "directional": [False, False, True, False],
        }
    )


def make_series(groups: list[str] | None = None) -> pd.DataFrame:
    periods = pd.date_range("2025-05-01", periods=4, freq="MS")
    frames = []
    for i, group in enumerate(groups or [None]):
        part = pd.DataFrame(
            {
                "period": periods,
                "n": [120, 95, 20 + i, 300 - 10 * i],
                "unit": "nps",
                "value": [35.0, 33.1, 38.0, 28.6],
                "ci_low": [30.6, 28.4, 20.0, 23.8],
                "ci_high": [39.7, 37.9, 56.0, 33.3],
                "target": 30.0,
                "directional": [False, False, True, False],
            }
        )
        if group is not None:
            part.insert(1, "group", group)
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update({"metric": "nps", "grain": "month"})
    return out


def make_themes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "theme": ["trust", "convenience", "recognition", "promise"],
            "mentions": [1614, 3611, 12, 1417],
            "share": [0.081, 0.181, 0.001, 0.071],
            "negative_share": [0.24, 0.22, 0.5, np.nan],
            "mean_score": [79.1, 78.9, 60.0, 70.2],
            "trend": [0.01, -0.002, 0.0, np.nan],
            "low_n": [False, False, True, False],
        }
    )


def make_theme_matrix() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "theme": ["trust", "trust", "convenience", "convenience"],
            "stage": ["Join", "Discover", "Join", "Get help"],
            "mentions": [563, 174, 1145, 1465],
            "share": [0.1, 0.05, 0.2, 0.3],
            "negative_share": [0.3, 0.1, 0.2, 0.6],
            "mean_score": [70.0, 80.0, 75.0, 60.0],
            "low_n": [False, False, False, False],
        }
    )


def make_keeping() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pillar": ["Always nearby", "Fair and transparent", "All reasons to believe"],
            "is_overall": [False, False, True],
            "touchpoints": [9, 12, 21],
            "confirmed": [8, 11, 19],
            "meets": [7, 9, 16],
            "at_risk": [0, 1, 1],
            "below_promise": [1, 1, 2],
            "too_few": [1, 1, 2],
            "kept_pct": [80.8, 78.4, 79.5],
        }
    )


# -- spec helpers --------------------------------------------------------------------------------
def spec_of(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite dict; ``to_dict`` validates it against the schema."""
    return chart.to_dict()


def units(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every single view (with a mark) in a possibly layered / concatenated spec."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from units(child)


def param_names(spec: dict[str, Any]) -> set[str]:
    found = {p["name"] for p in spec.get("params", []) if "select" in p}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            found |= param_names(child)
    return found


def selection(spec: dict[str, Any], name: str) -> dict[str, Any]:
    params = [p for p in spec.get("params", []) if p.get("name") == name]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            params += [p for p in child.get("params", []) if p.get("name") == name]
    assert len(params) == 1, f"selection {name!r} defined {len(params)} times"
    return params[0]["select"]


def encoded_fields(spec: dict[str, Any], channel: str) -> set[str]:
    return {
        u["encoding"][channel]["field"]
        for u in units(spec)
        if "field" in u.get("encoding", {}).get(channel, {})
    }


def tooltip_fields(spec: dict[str, Any]) -> set[str]:
    return {
        t["field"]
        for u in units(spec)
        for t in u.get("encoding", {}).get("tooltip", [])
        if isinstance(t, dict) and "field" in t
    }


def dataset_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the chart's main data set (the largest one)."""
    return max(spec["datasets"].values(), key=len)


def status_scales(spec: dict[str, Any]) -> list[dict[str, Any]]:
    scales = []
    for u in units(spec):
        for channel in ("color", "fill", "stroke"):
            enc = u.get("encoding", {}).get(channel, {})
            if enc.get("field") == "status":
                scales.append(enc["scale"])
    return scales


def condition_tests(encoding: dict[str, Any]) -> list[str]:
    """The tests of a channel's conditions (Altair writes one or several as a list or a dict)."""
    found = encoding.get("condition", [])
    return [c["test"] for c in (found if isinstance(found, list) else [found]) if "test" in c]


def marks(spec: dict[str, Any]) -> list[str]:
    return [u["mark"]["type"] if isinstance(u["mark"], dict) else u["mark"] for u in units(spec)]


# -- theme and colours ---------------------------------------------------------------------------
@pytest.fixture
def restore_theme() -> Iterator[None]:
    before = alt.theme.active
    yield
    alt.theme.enable(before)


def test_status_colours_are_the_okabe_ito_set_in_status_order():
    assert list(charts.STATUS_ORDER) == [STATUS_BELOW, STATUS_AT_RISK, STATUS_MEETS, STATUS_TOO_FEW]
    assert set(charts.STATUS_COLORS) == set(charts.STATUS_ORDER)
    assert charts.STATUS_COLORS[STATUS_BELOW] == "#D55E00"
    assert charts.STATUS_COLORS[STATUS_AT_RISK] == "#E69F00"
    assert charts.STATUS_COLORS[STATUS_MEETS] == "#0072B2"
    scale = charts.status_scale().to_dict()
    assert scale["domain"] == list(charts.STATUS_ORDER)
    assert scale["range"] == [charts.STATUS_COLORS[s] for s in charts.STATUS_ORDER]


def test_register_theme_enables_large_fonts_and_is_idempotent(restore_theme):
    charts.register_theme()
    charts.register_theme()
    assert alt.theme.active == charts.THEME_NAME
    assert alt.theme.names().count(charts.THEME_NAME) == 1
    spec = spec_of(charts.gap_chart(make_card()))
    config = spec["config"]
    assert config["axis"]["labelFontSize"] >= 13
    assert config["axis"]["titleFontSize"] >= 13
    assert config["title"]["fontSize"] >= 16
    assert config["legend"]["labelFontSize"] >= 13
    assert spec["background"] == "white"


# -- unit conversion and formatting -------------------------------------------------------------
def test_to_100_follows_each_unit():
    values = pd.Series([68.9, 3.0, -20.0, 55.0, 7.0])
    units_ = pd.Series(["share", "mean", "nps", "score", "bogus"])
    got = charts.to_100(values, units_, 1.0, 5.0)
    assert got[0] == pytest.approx(68.9)
    assert got[1] == pytest.approx((3.0 - 1.0) / (5.0 - 1.0) * 100)
    assert got[2] == pytest.approx((-20.0 + 100.0) / 2)
    assert got[3] == pytest.approx(55.0)
    assert np.isnan(got[4])


def test_format_in_unit_writes_each_unit_its_own_way():
    got = charts.format_in_unit(
        pd.Series([68.94, 3.746, 35.2, np.nan]), pd.Series(["share", "mean", "nps", "share"])
    )
    assert got.tolist() == ["68.9%", "3.75", "+35", "-"]
    gaps = charts.format_in_unit(
        pd.Series([-16.1, -0.45]), pd.Series(["share", "mean"]), signed=True
    )
    assert gaps.tolist() == ["-16.1 pts", "-0.45"]


# -- scorecard -----------------------------------------------------------------------------------
def test_gap_chart_rows_follow_priority_with_unranked_last():
    card = make_card()
    spec = spec_of(charts.gap_chart(card))
    sorts = {json.dumps(u["encoding"]["y"]["sort"]) for u in units(spec)}
    assert len(sorts) == 1  # every layer agrees on the row order
    ranked = card[card["rank"].notna()].sort_values("rank")["touchpoint"].tolist()
    unranked = card[card["rank"].isna()]["touchpoint"].tolist()
    assert json.loads(sorts.pop()) == ranked + unranked


def test_gap_chart_draws_score_interval_and_target_on_0_100():
    card = make_card()
    spec = spec_of(charts.gap_chart(card))
    assert {"score100", "ci_low100", "target100"} <= encoded_fields(spec, "x")
    assert "ci_high100" in encoded_fields(spec, "x2")
    assert {"rule", "tick", "point"} <= set(marks(spec))
    rows = {r["touchpoint"]: r for r in dataset_rows(spec)}
    for _, tp in card.iterrows():
        lo, hi = charts.to_100(
            pd.Series([tp["ci_low"], tp["ci_high"]]), pd.Series([tp["target_unit"]] * 2), 1.0, 5.0
        )
        assert rows[tp["touchpoint"]]["ci_low100"] == pytest.approx(lo)
        assert rows[tp["touchpoint"]]["ci_high100"] == pytest.approx(hi)
        assert rows[tp["touchpoint"]]["ci_low100"] <= rows[tp["touchpoint"]]["score100"]
        assert rows[tp["touchpoint"]]["score100"] <= rows[tp["touchpoint"]]["ci_high100"]


def test_gap_chart_status_colours_selection_and_tooltip():
    spec = spec_of(charts.gap_chart(make_card()))
    scales = status_scales(spec)
    assert scales, "points and intervals are coloured by status"
    for scale in scales:
        assert scale["domain"] == list(charts.STATUS_ORDER)
        assert scale["range"] == [charts.STATUS_COLORS[s] for s in charts.STATUS_ORDER]
    assert selection(spec, "touchpoint") == {
        "type": "point",
        "fields": ["touchpoint"],
        "on": "click",
    }
    assert {"touchpoint", "stage", "owner", "n", "score_text", "interval_text", "target_text",
            "gap_text", "status_text", "priority_text"} <= tooltip_fields(spec)  # fmt: skip
    legends = [
        u["encoding"][ch].get("legend")
        for u in units(spec)
        for ch in ("color", "fill")
        if u["encoding"].get(ch, {}).get("field") == "status"
    ]
    assert any(legend and legend.get("title") == "Status" for legend in legends)


def test_gap_chart_marks_directional_rows_in_words_and_hollow():
    spec = spec_of(charts.gap_chart(make_card()))
    rows = {r["touchpoint"]: r for r in dataset_rows(spec)}
    assert rows["Partner events"]["status_text"].endswith("(directional)")
    assert "(directional)" not in rows["Car availability nearby"]["status_text"]
    assert rows["Partner events"]["priority_text"] == "not ranked"
    assert rows["Car availability nearby"]["priority_text"] == "#1"
    points = [u for u in units(spec) if u["mark"]["type"] == "point"]
    assert points[0]["encoding"]["fill"]["condition"] == {
        "test": "datum.directional",
        "value": "white",
    }


def test_gap_chart_writes_scores_in_their_unit():
    rows = {r["touchpoint"]: r for r in dataset_rows(spec_of(charts.gap_chart(make_card())))}
    assert rows["Car availability nearby"]["score_text"] == "68.9%"
    assert rows["Payment and charges"]["score_text"] == "3.75 on a 1-5 scale"
    assert rows["Loyalty rewards"]["label"] == "NPS +39"
    assert rows["Payment and charges"]["gap_text"] == "-0.45"


def test_gap_chart_highlights_the_selected_row():
    spec = spec_of(charts.gap_chart(make_card(), selected="Loyalty rewards"))
    flagged = [r["touchpoint"] for r in dataset_rows(spec) if r["is_selected"]]
    assert flagged == ["Loyalty rewards"]
    weights = {json.dumps(u["encoding"]["y"]["axis"].get("labelFontWeight")) for u in units(spec)}
    assert any("Loyalty rewards" in w for w in weights)
    none_selected = dataset_rows(spec_of(charts.gap_chart(make_card())))
    assert not any(r["is_selected"] for r in none_selected)


def test_gap_chart_height_grows_with_rows():
    card = make_card()
    small = spec_of(charts.gap_chart(card.head(2)))["height"]
    big_card = pd.concat([card.assign(touchpoint=card["touchpoint"] + f" {i}") for i in range(8)])
    big = spec_of(charts.gap_chart(big_card))["height"]
    assert big == 40 * charts.ROW_HEIGHT
    assert big > small


# -- importance-performance matrix ---------------------------------------------------------------
def test_ipa_chart_axes_splits_quadrants_and_selection():
    card = make_card()
    spec = spec_of(charts.ipa_chart(card, card.attrs["ipa_splits"]))
    assert "gap100" in encoded_fields(spec, "x")
    assert "importance" in encoded_fields(spec, "y")
    assert selection(spec, "touchpoint")["fields"] == ["touchpoint"]
    rules = [u for u in units(spec) if u["mark"]["type"] == "rule"]
    split_values = {
        (ch, dataset_value)
        for u in rules
        for ch in ("x", "y")
        if ch in u["encoding"]
        for dataset_value in [spec["datasets"][u["data"]["name"]][0][u["encoding"][ch]["field"]]]
    }
    assert split_values == {("x", 0.0), ("y", 0.7)}
    texts = json.dumps(spec)
    for name in ("Concentrate here", "Keep up the good work", "Low priority", "Possible overkill"):
        assert name in texts
    assert status_scales(spec)[0]["domain"] == list(charts.STATUS_ORDER)


def test_ipa_chart_names_only_top_priorities_and_below_promise():
    card = make_card()
    spec = spec_of(charts.ipa_chart(card, card.attrs["ipa_splits"], label_top=1))
    rows = dataset_rows(spec)
    named = {r["touchpoint"] for r in rows if r["show_label"]}
    below = set(card.loc[card["status"] == STATUS_BELOW, "touchpoint"])
    assert named == below | {card.loc[card["rank"] == 1, "touchpoint"].iloc[0]}
    assert "Loyalty rewards" not in named


def test_ipa_chart_without_splits_uses_target_and_median_importance():
    card = make_card()
    spec = spec_of(charts.ipa_chart(card, {}))
    values = [
        spec["datasets"][u["data"]["name"]][0] for u in units(spec) if u["mark"]["type"] == "rule"
    ]
    assert values[0] == {"gap100": 0.0, "importance": card["importance"].median()}


# -- journey heatmaps ---------------------------------------------------------------------------
def test_journey_heatmap_orders_stages_and_rows_by_journey():
    spec = spec_of(charts.journey_heatmap(make_journey()))
    x_sorts = {json.dumps(u["encoding"]["x"]["sort"]) for u in units(spec)}
    assert x_sorts == {json.dumps(["Discover", "Find a car", "Get help"])}
    rows = json.loads({json.dumps(u["encoding"]["y"]["sort"]) for u in units(spec)}.pop())
    assert rows == [
        "Partner events",
        "Social media ads",
        "Booking a car",
        "Car availability nearby",
        "Call centre",
    ]


def test_journey_heatmap_colours_gap_diverging_around_zero_and_marks_moments():
    spec = spec_of(charts.journey_heatmap(make_journey(), moments=["Call centre"]))
    rect = next(u for u in units(spec) if u["mark"]["type"] == "rect")
    color = rect["encoding"]["color"]["condition"]
    assert color["field"] == "gap100"
    assert color["scale"]["domainMid"] == 0
    assert color["scale"]["domain"] == [-charts.GAP_CLIP, charts.GAP_CLIP]
    assert color["scale"]["scheme"] == "blueorange" and color["scale"]["reverse"] is True
    assert condition_tests(rect["encoding"]["opacity"]) == ["datum.directional"]
    assert condition_tests(rect["encoding"]["stroke"]) == ["datum.is_moment", "datum.directional"]
    rows = {r["touchpoint"]: r for r in dataset_rows(spec)}
    assert rows["Call centre"]["row"] == charts.MOMENT_MARK + "Call centre"
    assert rows["Booking a car"]["row"] == "Booking a car"
    assert rows["Partner events"]["reliability"].startswith("directional")
    assert {"n", "gap_text", "reliability"} <= tooltip_fields(spec)
    assert selection(spec, "touchpoint")["fields"] == ["touchpoint"]
    assert any(u["mark"]["type"] == "text" for u in units(spec))


def test_stage_channel_heatmap_orders_stages_and_shows_n():
    spec = spec_of(charts.stage_channel_heatmap(make_channels()))
    x_sorts = {json.dumps(u["encoding"]["x"]["sort"]) for u in units(spec)}
    assert x_sorts == {json.dumps(["Discover", "Find a car", "Get help"])}
    assert "channel" in encoded_fields(spec, "y")
    assert {"n", "touchpoints"} <= tooltip_fields(spec)
    rect = next(u for u in units(spec) if u["mark"]["type"] == "rect")
    assert rect["encoding"]["color"]["condition"]["scale"]["domainMid"] == 0


def test_long_stage_names_break_onto_lines_lifted_clear_of_the_first_row():
    short = spec_of(charts.journey_heatmap(make_journey()))
    axis = next(u for u in units(short))["encoding"]["x"]["axis"]
    assert axis["labelPadding"] == 3  # "Find a car", "Get help": one line each
    assert "split(" in axis["labelExpr"] and axis["orient"] == "top"
    matrix = make_journey().replace({"stage": {"Get help": "Manage account"}})
    axis = next(u for u in units(spec_of(charts.journey_heatmap(matrix))))["encoding"]["x"]["axis"]
    assert axis["labelPadding"] == 3 + charts.STAGE_LABEL_LINE_HEIGHT  # two lines
    assert charts._stage_label_lines("Return & pay") == 1 == charts._stage_label_lines("Drive")
    assert charts._stage_label_lines("Return & pay the bill") == 3


# -- trends --------------------------------------------------------------------------------------
def test_trend_chart_draws_band_line_points_and_labelled_target():
    spec = spec_of(charts.trend_chart(make_series(), value_title="NPS"))
    assert {"area", "line", "point", "rule", "text"} <= set(marks(spec))
    period = next(u for u in units(spec) if u["mark"]["type"] == "line")["encoding"]["x"]
    assert period["field"] == "period" and period["type"] == "temporal"
    rule = next(u for u in units(spec) if u["mark"]["type"] == "rule")
    target_rows = spec["datasets"][rule["data"]["name"]]
    assert target_rows == [{"target": 30.0, "label": "Promise target"}]
    assert rule["mark"]["strokeDash"]
    point = next(u for u in units(spec) if u["mark"]["type"] == "point")
    assert condition_tests(point["encoding"]["fill"]) == ["datum.directional"]
    assert "n" in tooltip_fields(spec)
    y_titles = {u["encoding"]["y"].get("title") for u in units(spec) if u["mark"]["type"] == "line"}
    assert y_titles == {"NPS"}


def test_trend_chart_target_argument_wins_and_groups_are_limited():
    series = make_series(["A", "B", "C", "D"])
    spec = spec_of(charts.trend_chart(series, value_title="NPS", target=45.0, max_groups=2))
    rule = next(u for u in units(spec) if u["mark"]["type"] == "rule")
    assert spec["datasets"][rule["data"]["name"]][0]["target"] == 45.0
    groups = {r["group"] for r in dataset_rows(spec)}
    busiest = series.groupby("group")["n"].sum().nlargest(2).index
    assert groups == set(busiest)
    assert "group" in encoded_fields(spec, "color")


# -- themes --------------------------------------------------------------------------------------
def test_theme_bars_sorted_by_mentions_with_negative_share_and_selection():
    table = make_themes()
    spec = spec_of(charts.theme_bars(table))
    order = json.loads({json.dumps(u["encoding"]["y"]["sort"]) for u in units(spec)}.pop())
    assert order == table.sort_values("mentions", ascending=False)["theme"].tolist()
    assert selection(spec, "theme") == {"type": "point", "fields": ["theme"], "on": "click"}
    assert "negative_pct" in encoded_fields(spec, "color")
    rows = {r["theme"]: r for r in dataset_rows(spec)}
    assert rows["trust"]["bar_text"] == "1,614 (24% negative)"
    assert rows["promise"]["bar_text"] == "1,417"
    assert rows["recognition"]["reliability"].startswith("few mentions")
    assert {"mentions", "negative_text"} <= tooltip_fields(spec)


def test_theme_mix_chart_is_a_small_bar_chart_of_mentions():
    spec = spec_of(charts.theme_mix_chart(make_themes()))
    assert "bar" in marks(spec)
    assert "mentions" in encoded_fields(spec, "x")
    assert "theme" in param_names(spec)


def test_theme_matrix_heatmap_cells_colour_and_cell_selection():
    matrix = make_theme_matrix()
    spec = spec_of(
        charts.theme_matrix_heatmap(matrix, "stage", order=["Discover", "Join", "Get help"])
    )
    assert selection(spec, "cell") == {"type": "point", "fields": ["theme", "stage"], "on": "click"}
    rect = next(u for u in units(spec) if u["mark"]["type"] == "rect")
    assert rect["encoding"]["color"]["field"] == "negative_pct"
    assert rect["encoding"]["x"]["sort"] == ["Discover", "Join", "Get help"]
    text = next(u for u in units(spec) if u["mark"]["type"] == "text")
    assert text["encoding"]["text"]["field"] == "mentions"
    assert "mentions" in tooltip_fields(spec)


def test_theme_matrix_heatmap_by_touchpoint_puts_many_touchpoints_down_the_side():
    matrix = pd.DataFrame(
        {
            "theme": ["trust"] * 12,
            "touchpoint": [f"Touchpoint {i:02d}" for i in range(12)],
            "mentions": range(1, 13),
            "share": 0.1,
            "negative_share": 0.2,
            "mean_score": 70.0,
            "low_n": True,
        }
    )
    spec = spec_of(charts.theme_matrix_heatmap(matrix, "touchpoint"))
    rect = next(u for u in units(spec) if u["mark"]["type"] == "rect")
    assert rect["encoding"]["y"]["field"] == "touchpoint"
    assert selection(spec, "cell")["fields"] == ["theme", "touchpoint"]


def test_theme_matrix_heatmap_rejects_an_unknown_by_column():
    with pytest.raises(ValueError, match="no column"):
        charts.theme_matrix_heatmap(make_theme_matrix(), "channel")


# -- promise keeping and sparkline ---------------------------------------------------------------
def test_promise_keeping_chart_bars_kept_pct_and_says_k_of_n():
    keeping = make_keeping()
    spec = spec_of(charts.promise_keeping_chart(keeping))
    assert "kept_pct" in encoded_fields(spec, "x")
    order = json.loads({json.dumps(u["encoding"]["y"]["sort"]) for u in units(spec)}.pop())
    assert order == keeping["pillar"].tolist()
    rows = {r["pillar"]: r for r in dataset_rows(spec)}
    assert rows["Always nearby"]["count_text"] == "7 of 8 touchpoints meet the promise"
    bar = next(u for u in units(spec) if u["mark"]["type"] == "bar")
    assert condition_tests(bar["encoding"]["color"]) == ["datum.is_overall"]
    weight = json.dumps(bar["encoding"]["y"]["axis"]["labelFontWeight"])
    assert "All reasons to believe" in weight


def test_kpi_sparkline_has_no_axes():
    spec = spec_of(charts.kpi_sparkline(make_series()))
    for u in units(spec):
        assert u["encoding"]["x"]["axis"] is None
        assert u["encoding"]["y"]["axis"] is None
    assert spec["height"] <= 80


# -- every builder -------------------------------------------------------------------------------
BUILDERS: dict[str, tuple[Callable[[pd.DataFrame], alt.TopLevelMixin], Callable[[], pd.DataFrame], str | None]] = {
    "gap_chart": (lambda f: charts.gap_chart(f, selected="Partner events"), make_card, "touchpoint"),
    "ipa_chart": (lambda f: charts.ipa_chart(f, {"gap100": 0, "importance": 0.5}), make_card, "touchpoint"),
    "journey_heatmap": (lambda f: charts.journey_heatmap(f, ["Call centre"]), make_journey, "touchpoint"),
    "stage_channel_heatmap": (charts.stage_channel_heatmap, make_channels, None),
    "trend_chart": (lambda f: charts.trend_chart(f, value_title="NPS"), make_series, None),
    "theme_bars": (charts.theme_bars, make_themes, "theme"),
    "theme_matrix_heatmap": (lambda f: charts.theme_matrix_heatmap(f, "stage"), make_theme_matrix, "cell"),
    "promise_keeping_chart": (charts.promise_keeping_chart, make_keeping, None),
    "theme_mix_chart": (charts.theme_mix_chart, make_themes, "theme"),
    "kpi_sparkline": (charts.kpi_sparkline, make_series, None),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_empty_frame_gives_a_valid_chart_that_keeps_its_selection(name):
    build, make, selection_name = BUILDERS[name]
    empty = make().iloc[0:0]
    spec = spec_of(build(empty))
    assert "text" in marks(spec)
    assert "No " in json.dumps(spec)  # says so in words
    if selection_name is not None:
        # Streamlit's on_select refuses a chart without the named selection.
        assert selection_name in param_names(spec)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_does_not_change_its_input(name):
    build, make, _ = BUILDERS[name]
    frame = make()
    before = frame.copy(deep=True)
    attrs = copy.deepcopy(frame.attrs)
    spec_of(build(frame))
    pd.testing.assert_frame_equal(frame, before)
    assert frame.attrs == attrs


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_fills_the_container_width_and_names_its_selection(name):
    build, make, selection_name = BUILDERS[name]
    spec = spec_of(build(make()))
    assert spec["width"] == "container"
    assert spec["autosize"]["type"] == "fit-x"
    if selection_name is not None:
        assert selection_name in param_names(spec)


def test_charts_module_does_not_import_streamlit():
    code = (
        "import sys\n"
        "sys.modules['streamlit'] = None  # any import of streamlit now fails\n"
        "import cxdash.charts\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    source = (ROOT / "cxdash" / "charts.py").read_text(encoding="utf-8")
    assert "import streamlit" not in source and "from streamlit" not in source
