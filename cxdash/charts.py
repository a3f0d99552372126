"""Altair chart builders for the dashboard, and the project's chart theme.

Every builder is a pure function: it takes a frame produced by the library
(:mod:`cxdash.promise`, :mod:`cxdash.journey`, :mod:`cxdash.trends`,
:mod:`cxdash.themes`), never changes it, does no I/O and returns an Altair chart.
An empty frame gives a valid chart that says so in words, never an error; the
empty chart keeps the builder's named selection so that Streamlit's
``on_select`` still finds it.

Charts are drawn for a projector at 1280x720 as much as for a laptop: big fonts
(set by the ``cxdash`` theme, see :func:`register_theme`), plain-word axis
titles, long names truncated rather than overlapping, and a height that grows
with the number of rows. Status colours are the same in every chart and safe
for colour-blind viewers (Okabe-Ito); the status is always written in words too
(legend titled "Status", tooltips). Directional figures (too few responses to
be sure) are drawn hollow or lighter and say "(directional)" in the tooltip.
Every tooltip shows the number of responses.

Selections, for ``st.altair_chart(..., on_select="rerun", selection_mode=[...])``:
``touchpoint`` (field ``touchpoint``) on the scorecard, the importance-performance
matrix and the journey heatmap; ``theme`` (field ``theme``) on the theme bars and
the theme mix; ``cell`` (fields ``theme`` and the ``by`` column) on the theme
matrix heatmap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cxdash.metrics import to_score100
from cxdash.promise import STATUS_AT_RISK, STATUS_BELOW, STATUS_MEETS, STATUS_TOO_FEW

# -- colours, sizes and words -------------------------------------------------------------------
STATUS_COLORS: dict[str, str] = {
    STATUS_BELOW: "#D55E00",  # Okabe-Ito vermillion
    STATUS_AT_RISK: "#E69F00",  # Okabe-Ito orange
    STATUS_MEETS: "#0072B2",  # Okabe-Ito blue
    STATUS_TOO_FEW: "#999999",  # grey
}
STATUS_ORDER: tuple[str, ...] = (STATUS_BELOW, STATUS_AT_RISK, STATUS_MEETS, STATUS_TOO_FEW)

#: Okabe-Ito colours for lines of several groups (touchpoints, themes) on one chart.
GROUP_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
)
TARGET_COLOR = "#222222"
HIGHLIGHT_COLOR = "#F0C75E"
OVERALL_COLOR = "#004C7A"  # darker blue for the overall promise-keeping row
QUADRANT_TEXT_COLOR = "#6B6B6B"
NO_FIGURE_COLOR = "#EEEEEE"

THEME_NAME = "cxdash"
FONT = "'Source Sans Pro', 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
LABEL_FONT_SIZE = 14
TITLE_FONT_SIZE = 15
CHART_TITLE_FONT_SIZE = 18
TEXT_FONT_SIZE = 13

#: Fill the container's width; the height given is the plot's own, axes and titles come on top
#: (Streamlit keeps a chart's own autosize; its default "fit" would squeeze the plot instead).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
ROW_HEIGHT = 28  # px per touchpoint / theme / channel row
MIN_HEIGHT = 140
LABEL_LIMIT = 240  # px before a long touchpoint name is cut with an ellipsis
GAP_CLIP = 25.0  # gap colour scales saturate at +/- this many points on 0-100
SCORE_AXIS_MAX = 112.0  # room right of 100 for the score labels on the scorecard
KEEPING_AXIS_MAX = 150.0  # room right of 100 for "k of n touchpoints meet the promise"
IPA_LABEL_TOP = 5  # the importance-performance matrix names this many top priorities
TREND_MAX_GROUPS = 5

EMPTY_MESSAGE = "No responses match these filters."
MOMENT_MARK = "\u2605 "  # a star before a moment of truth's name

UNIT_SHARE, UNIT_MEAN, UNIT_NPS, UNIT_SCORE = "share", "mean", "nps", "score"


# -- theme --------------------------------------------------------------------------------------
def theme_config() -> dict[str, Any]:
    """The ``cxdash`` theme: large fonts, white background, a subtle grid, some padding."""
    axis = {
        "labelFontSize": LABEL_FONT_SIZE,
        "titleFontSize": TITLE_FONT_SIZE,
        "titleFontWeight": "bold",
        "labelColor": "#333333",
        "titleColor": "#333333",
        "labelLimit": LABEL_LIMIT,
        "titlePadding": 10,
        "gridColor": "#E6E6E6",
        "domainColor": "#888888",
        "tickColor": "#888888",
    }
    return {
        "background": "white",
        "padding": {"left": 8, "right": 16, "top": 8, "bottom": 8},
        "config": {
            "font": FONT,
            "axis": axis,
            "legend": {
                "labelFontSize": LABEL_FONT_SIZE,
                "titleFontSize": TITLE_FONT_SIZE,
                "symbolSize": 160,
                "labelLimit": LABEL_LIMIT,
            },
            "header": {"labelFontSize": LABEL_FONT_SIZE, "titleFontSize": TITLE_FONT_SIZE},
            "title": {
                "fontSize": CHART_TITLE_FONT_SIZE,
                "subtitleFontSize": TEXT_FONT_SIZE + 1,
                "subtitleColor": "#555555",
                "anchor": "start",
                "offset": 12,
            },
            "text": {"fontSize": TEXT_FONT_SIZE},
            "view": {"stroke": None},
        },
    }


def register_theme() -> None:
    """Register the ``cxdash`` theme with Altair and enable it (safe to call repeatedly)."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(theme_config)
    if alt.theme.active != THEME_NAME:
        alt.theme.enable(THEME_NAME)


def status_scale() -> alt.Scale:
    """The status colour scale: :data:`STATUS_ORDER` mapped to :data:`STATUS_COLORS`."""
    return alt.Scale(domain=list(STATUS_ORDER), range=[STATUS_COLORS[s] for s in STATUS_ORDER])


def status_legend() -> alt.Legend:
    """The status legend: titled "Status", above the plot so it never eats width."""
    return alt.Legend(title="Status", orient="top", symbolType="circle", symbolOpacity=1)


def status_color() -> alt.Color:
    """Colour (stroke, for hollow marks) by status, with the status legend."""
    return alt.Color("status:N", scale=status_scale(), legend=status_legend())


def gap_scale() -> alt.Scale:
    """Diverging gap colours around 0: below target orange, above blue, clipped at +/-25."""
    return alt.Scale(
        scheme="blueorange",
        reverse=True,
        domain=[-GAP_CLIP, GAP_CLIP],
        domainMid=0,
        clamp=True,
    )


# -- helpers ------------------------------------------------------------------------------------
def rows_height(rows: int, per_row: int = ROW_HEIGHT) -> int:
    """Chart height in px for ``rows`` rows, never smaller than :data:`MIN_HEIGHT`."""
    return max(int(rows) * per_row, MIN_HEIGHT)


def empty_chart(
    message: str = EMPTY_MESSAGE,
    *,
    selection: str | None = None,
    fields: Sequence[str] = (),
) -> alt.Chart:
    """A chart that only says ``message``; keeps the named selection if one is given."""
    frame = pd.DataFrame({"message": [message], **{f: [None] for f in fields}})
    chart = (
        alt.Chart(frame)
        .mark_text(fontSize=TITLE_FONT_SIZE + 1, color="#555555")
        .encode(text=alt.Text("message:N"))
        .properties(width="container", autosize=FIT_WIDTH, height=80)
    )
    if selection is not None:
        chart = chart.add_params(
            alt.selection_point(name=selection, fields=list(fields), on="click")
        )
    return chart


def to_100(
    values: pd.Series | np.ndarray,
    unit: pd.Series | np.ndarray,
    scale_min: pd.Series | np.ndarray | float = np.nan,
    scale_max: pd.Series | np.ndarray | float = np.nan,
) -> np.ndarray:
    """Put figures in a target's unit on the 0-100 scale of ``score100`` (the library's
    :func:`cxdash.metrics.to_score100`; a scale with no span gives NaN)."""
    lo = np.asarray(scale_min, dtype=float)
    hi = np.asarray(scale_max, dtype=float)
    return to_score100(values, unit, lo, np.where(hi - lo > 0, hi, np.nan))


_VALUE_FORMATS = {
    UNIT_SHARE: "{:.1f}%",
    UNIT_MEAN: "{:.2f}",
    UNIT_NPS: "{:+.0f}",
    UNIT_SCORE: "{:.1f}",
}
_GAP_FORMATS = {
    UNIT_SHARE: "{:+.1f} pts",
    UNIT_MEAN: "{:+.2f}",
    UNIT_NPS: "{:+.0f} pts",
    UNIT_SCORE: "{:+.1f}",
}


def format_in_unit(
    values: pd.Series, units: pd.Series, *, signed: bool = False, missing: str = "-"
) -> pd.Series:
    """Figures as short text in their unit: ``68.9%``, ``3.75``, ``+35`` (``signed`` for gaps)."""
    formats = _GAP_FORMATS if signed else _VALUE_FORMATS
    values = pd.Series(values, dtype=float).reset_index(drop=True)
    units = pd.Series(units, dtype=object).reset_index(drop=True)
    out = pd.Series(missing, index=values.index, dtype=object)
    for unit in units.dropna().unique():
        mask = (units == unit) & values.notna()
        fmt = formats.get(unit, "{:+.1f}" if signed else "{:.1f}")
        out[mask] = values[mask].map(fmt.format)
    return out


def _numeric(series: pd.Series) -> pd.Series:
    """Floats with NaN for anything missing or not a number (also for nullable Int64)."""
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _text(series: pd.Series) -> pd.Series:
    """Strings with missing values as an empty string (Altair-friendly)."""
    return series.astype(object).where(series.notna(), "").astype(str)


def _rank_sorted(card: pd.DataFrame) -> pd.DataFrame:
    """Priority order: rank ascending, unranked last, ties in the incoming order."""
    if "rank" not in card.columns:
        return card.reset_index(drop=True)
    key = _numeric(card["rank"])
    order = np.argsort(key.fillna(np.inf).to_numpy(), kind="stable")
    return card.iloc[order].reset_index(drop=True)


def _reliability(directional: pd.Series) -> pd.Series:
    return np.where(
        directional.fillna(False).astype(bool), "directional (few responses)", "confirmed"
    )


def _status_text(status: pd.Series, directional: pd.Series) -> pd.Series:
    suffix = np.where(directional.fillna(False).astype(bool), " (directional)", "")
    return _text(status) + suffix


def _with_columns(frame: pd.DataFrame, defaults: Mapping[str, Any]) -> pd.DataFrame:
    """A copy of ``frame`` with any missing optional column filled with its default."""
    out = frame.copy()
    for name, value in defaults.items():
        if name not in out.columns:
            out[name] = value
    return out


def _touchpoint_selection() -> alt.Parameter:
    return alt.selection_point(name="touchpoint", fields=["touchpoint"], on="click")


def _unique(values: pd.Series) -> list[str]:
    return [str(v) for v in pd.unique(values.dropna())]


# -- scorecard -----------------------------------------------------------------------------------
def _score_labels(data: pd.DataFrame, unit: pd.Series) -> pd.DataFrame:
    """``score_text`` for the tooltip ("3.75 on a 1-5 scale") and the short ``label``."""
    data["score_text"] = format_in_unit(data["score"], unit)
    is_mean = (unit == UNIT_MEAN).to_numpy()
    scale_text = (
        " on a "
        + data["scale_min"].map("{:g}".format)
        + "-"
        + data["scale_max"].map("{:g}".format)
        + " scale"
    )
    data.loc[is_mean, "score_text"] = data.loc[is_mean, "score_text"] + scale_text[is_mean]
    data["label"] = format_in_unit(data["score"], unit)
    data.loc[unit == UNIT_NPS, "label"] = "NPS " + data.loc[unit == UNIT_NPS, "label"]
    data.loc[is_mean, "label"] = (
        data.loc[is_mean, "label"] + " / " + data.loc[is_mean, "scale_max"].map("{:g}".format)
    )
    return data


def _scorecard_data(card: pd.DataFrame, selected: str | None) -> pd.DataFrame:
    """The card in priority order with the 0-100 interval and the tooltip texts."""
    data = _with_columns(
        _rank_sorted(card),
        {"stage": "", "owner": "", "directional": False, "scale_min": np.nan, "scale_max": np.nan},
    )
    unit = data["target_unit"].astype(object)
    data["ci_low100"] = np.clip(
        to_100(data["ci_low"], unit, data["scale_min"], data["scale_max"]), 0, 100
    )
    data["ci_high100"] = np.clip(
        to_100(data["ci_high"], unit, data["scale_min"], data["scale_max"]), 0, 100
    )
    data = _score_labels(data, unit)
    data["label_x"] = np.fmax(
        np.fmax(data["score100"].to_numpy(float), data["ci_high100"]),
        data["target100"].to_numpy(float),
    )
    data["interval_text"] = (
        format_in_unit(data["ci_low"], unit) + " to " + format_in_unit(data["ci_high"], unit)
    )
    data["target_text"] = format_in_unit(data["target"], unit)
    data["gap_text"] = format_in_unit(data["gap"], unit, signed=True)
    data["status_text"] = _status_text(data["status"], data["directional"])
    data["reliability"] = _reliability(data["directional"])
    rank = _numeric(data["rank"]) if "rank" in data else None
    data["priority_text"] = (
        "not ranked"
        if rank is None
        else np.where(rank.notna(), "#" + rank.fillna(0).astype(int).astype(str), "not ranked")
    )
    data["is_selected"] = data["touchpoint"].astype(object) == selected
    for col in ("touchpoint", "stage", "owner", "status"):
        data[col] = _text(data[col])
    return data


def score_x(shorthand: Any = alt.Undefined, **kwargs: Any) -> alt.X:
    """The scorecard's x: 0-100 with room on the right for the score labels."""
    return alt.X(
        shorthand,
        scale=alt.Scale(domain=[0, SCORE_AXIS_MAX], nice=False),
        axis=alt.Axis(values=list(range(0, 101, 10)), orient="top"),
        title="Score out of 100 (dark tick = promise target)",
        **kwargs,
    )


def _scorecard_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("stage:N", title="Journey stage"),
        alt.Tooltip("owner:N", title="Owner"),
        alt.Tooltip("n:Q", title="Responses (n)", format=",d"),
        alt.Tooltip("score_text:N", title="Score"),
        alt.Tooltip("interval_text:N", title="Likely range (95%)"),
        alt.Tooltip("target_text:N", title="Promise target"),
        alt.Tooltip("gap_text:N", title="Gap to target"),
        alt.Tooltip("status_text:N", title="Status"),
        alt.Tooltip("priority_text:N", title="Priority"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]


def gap_chart(card: pd.DataFrame, *, selected: str | None = None) -> alt.LayerChart | alt.Chart:
    """The touchpoint scorecard: score vs promise target per touchpoint, in priority order.

    One row per touchpoint (rank ascending, unranked last). The dot is the score on
    0-100 (``score100``), the line its 95% interval (``ci_low``..``ci_high``
    converted to 0-100 with :func:`to_100`), the dark tick the promise target
    (``target100``); colour and words give the status; hollow dots are directional.
    Clicking a row selects it (selection ``touchpoint``); ``selected`` highlights a row.
    """
    if card is None or card.empty:
        return empty_chart(selection="touchpoint", fields=["touchpoint"])
    data = _scorecard_data(card, selected)
    order = _unique(data["touchpoint"])
    pick = _touchpoint_selection()
    bold = f"datum.value === {json.dumps(selected)} ? 'bold' : 'normal'"
    y = alt.Y(
        "touchpoint:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontWeight=alt.expr(bold), ticks=False),
    )
    tooltip = _scorecard_tooltip()

    rows = (
        alt.Chart()
        .mark_bar(color=HIGHLIGHT_COLOR, cursor="pointer")
        .encode(
            y=y,
            x=score_x(datum=0),
            x2=alt.X2(datum=SCORE_AXIS_MAX),
            opacity=alt.when(pick, empty=False)
            .then(alt.value(0.35))
            .when("datum.is_selected")
            .then(alt.value(0.35))
            .otherwise(alt.value(0.001)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    interval = (
        alt.Chart()
        .mark_rule(strokeWidth=4, strokeCap="round", opacity=0.55)
        .encode(
            y=y,
            x=score_x("ci_low100:Q"),
            x2="ci_high100:Q",
            color=status_color(),
            tooltip=tooltip,
        )
    )
    target = (
        alt.Chart()
        .mark_tick(color=TARGET_COLOR, thickness=3, size=ROW_HEIGHT - 6)
        .encode(y=y, x=score_x("target100:Q"), tooltip=tooltip)
    )
    dots = (
        alt.Chart()
        .mark_point(shape="circle", size=190, strokeWidth=2.5, opacity=1, cursor="pointer")
        .encode(
            y=y,
            x=score_x("score100:Q"),
            color=status_color(),
            fill=alt.when("datum.directional")
            .then(alt.value("white"))
            .otherwise(alt.Fill("status:N", scale=status_scale(), legend=status_legend())),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.35)),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=10, fontSize=TEXT_FONT_SIZE, color="#333333")
        .encode(y=y, x=score_x("label_x:Q"), text="label:N", tooltip=tooltip)
    )
    return alt.layer(rows, interval, target, dots, labels, data=data).properties(
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(len(order)),
        title=alt.Title(
            "Touchpoints against the promise",
            subtitle="Dot = score, line = likely range, dark tick = promise target. "
            "Hollow dot = too few responses to be sure (directional).",
        ),
    )


# -- importance-performance matrix ---------------------------------------------------------------
def _ipa_domains(
    gap: pd.Series, split_gap: float, split_importance: float
) -> tuple[list[float], list[float]]:
    lo = float(np.nanmin([gap.min(), split_gap - 5.0]))
    hi = float(np.nanmax([gap.max(), split_gap + 5.0]))
    pad = (hi - lo) * 0.08
    return [lo - pad, hi + pad], [-0.12, 1.22]


QUADRANT_NAMES: dict[tuple[str, str], str] = {
    ("left", "top"): "Concentrate here",
    ("right", "top"): "Keep up the good work",
    ("left", "bottom"): "Low priority",
    ("right", "bottom"): "Possible overkill",
}


def _quadrant_labels(x_domain: list[float], y_domain: list[float]) -> list[alt.Chart]:
    """The four quadrant names, each written inside its corner of the plot."""
    xs = {"left": x_domain[0], "right": x_domain[1]}
    ys = {"bottom": y_domain[0], "top": y_domain[1]}
    layers = []
    for (side, edge), name in QUADRANT_NAMES.items():
        layers.append(
            alt.Chart(pd.DataFrame({"quadrant": [name]}))
            .mark_text(
                align=side,
                baseline=edge,
                dx=8 if side == "left" else -8,
                dy=6 if edge == "top" else -6,
                fontSize=TITLE_FONT_SIZE,
                fontWeight="bold",
                color=QUADRANT_TEXT_COLOR,
            )
            .encode(
                x=alt.X(datum=xs[side]),
                y=alt.Y(datum=ys[edge]),
                text="quadrant:N",
            )
        )
    return layers


def _alternate_labels(data: pd.DataFrame, x_domain: list[float]) -> pd.Series:
    """True where a point's name goes below it rather than above.

    Named points are taken by importance then gap; a name whose neighbour at about
    the same importance (within 0.05) sits within a fifth of the x range takes the
    other side, so close names do not print over each other.
    """
    named = data.loc[data["show_label"], ["importance", "gap100"]]
    named = named.sort_values(["importance", "gap100"], kind="mergesort")
    near_x = (x_domain[1] - x_domain[0]) / 5.0
    below = pd.Series(False, index=data.index)
    prev_imp, prev_gap, prev_below = np.nan, np.nan, True
    for idx, imp, gap in zip(named.index, named["importance"], named["gap100"], strict=True):
        close = abs(imp - prev_imp) <= 0.05 and abs(gap - prev_gap) <= near_x
        below[idx] = not prev_below if close else False
        prev_imp, prev_gap, prev_below = imp, gap, bool(below[idx])
    return below


def _ipa_splits(card: pd.DataFrame, splits: Mapping[str, Any] | None) -> tuple[float, float]:
    """The quadrant lines: given splits, else target (gap 0) and median importance."""
    splits = splits or {}
    gap = pd.to_numeric(pd.Series([splits.get("gap100")]), errors="coerce").iloc[0]
    imp = pd.to_numeric(pd.Series([splits.get("importance")]), errors="coerce").iloc[0]
    if pd.isna(gap):
        gap = 0.0
    if pd.isna(imp):
        imp = float(card["importance"].median()) if card["importance"].notna().any() else 0.5
    return float(gap), float(imp)


def ipa_chart(
    card: pd.DataFrame, splits: Mapping[str, Any] | None = None, *, label_top: int = IPA_LABEL_TOP
) -> alt.LayerChart | alt.Chart:
    """Importance-performance matrix (Martilla & James): where to concentrate.

    x = gap to the promise target on 0-100 (``gap100``; 0 = on target), y =
    ``importance`` (0-1). Quadrant lines at ``splits`` (``card.attrs["ipa_splits"]``,
    keys ``gap100`` and ``importance``). Marks the ``label_top`` highest priorities
    and every touchpoint below promise with its priority rank (short labels do not
    collide in clusters; the page lists rank -> name). Clicking a dot selects it
    (``touchpoint``).
    """
    if card is None or card.empty or card["importance"].notna().sum() == 0:
        return empty_chart(
            "No touchpoint has both a score and an importance yet.",
            selection="touchpoint",
            fields=["touchpoint"],
        )
    data = _scorecard_data(card, None)
    data = data[data["importance"].notna() & data["gap100"].notna()].reset_index(drop=True)
    split_gap, split_imp = _ipa_splits(data, splits)
    x_domain, y_domain = _ipa_domains(data["gap100"], split_gap, split_imp)
    rank = _numeric(data["rank"]) if "rank" in data else None
    top = rank.le(label_top).fillna(False) if rank is not None else False
    data["show_label"] = (top | (data["status"] == STATUS_BELOW)) & (
        rank.notna() if rank is not None else False
    )
    data["rank_label"] = (
        rank.map(lambda r: f"#{int(r)}" if pd.notna(r) else "") if rank is not None else ""
    )
    data["label_below"] = _alternate_labels(data, x_domain)
    data["gap100_text"] = data["gap100"].map("{:+.1f}".format)
    data["importance_text"] = data["importance"].map("{:.2f}".format)
    pick = _touchpoint_selection()
    x = alt.X(
        "gap100:Q",
        scale=alt.Scale(domain=x_domain, nice=False),
        axis=alt.Axis(tickCount=8),
        title="Performance against the promise target (points on 0-100; 0 = on target)",
    )
    y = alt.Y(
        "importance:Q",
        scale=alt.Scale(domain=y_domain, nice=False),
        axis=alt.Axis(values=[0, 0.2, 0.4, 0.6, 0.8, 1.0], format=".1f"),
        title="Importance (1 = most important)",
    )
    tooltip = [
        *_scorecard_tooltip()[:4],
        alt.Tooltip("gap100_text:N", title="Gap to target (0-100)"),
        alt.Tooltip("importance_text:N", title="Importance"),
        *_scorecard_tooltip()[8:],
    ]
    split_lines = pd.DataFrame({"gap100": [split_gap], "importance": [split_imp]})
    vline = (
        alt.Chart(split_lines)
        .mark_rule(color="#777777", strokeDash=[6, 4], strokeWidth=1.5)
        .encode(x="gap100:Q")
    )
    hline = (
        alt.Chart(split_lines)
        .mark_rule(color="#777777", strokeDash=[6, 4], strokeWidth=1.5)
        .encode(y="importance:Q")
    )
    dots = (
        alt.Chart(data)
        .mark_point(shape="circle", size=200, strokeWidth=2.5, opacity=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=status_color(),
            fill=alt.when("datum.directional")
            .then(alt.value("white"))
            .otherwise(alt.Fill("status:N", scale=status_scale(), legend=status_legend())),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.35)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    names = [
        alt.Chart(data)
        .transform_filter(f"datum.show_label && {'' if below else '!'}datum.label_below")
        .mark_text(
            align="left",
            baseline="middle",
            dx=9,
            dy=12 if below else -10,
            fontSize=TEXT_FONT_SIZE + 1,
            fontWeight="bold",
            color="#333333",
        )
        .encode(x=x, y=y, text="rank_label:N", tooltip=tooltip)
        for below in (False, True)
    ]
    return alt.layer(*_quadrant_labels(x_domain, y_domain), vline, hline, dots, *names).properties(
        width="container",
        autosize=FIT_WIDTH,
        height=460,
        title=alt.Title(
            "Importance and performance",
            subtitle="Fix the touchpoints top-left first: important and below the promise.",
        ),
    )


# -- journey heatmaps ---------------------------------------------------------------------------
_NO_STAGE = "(no stage)"


def _stage_labels(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Stage names with missing ones labelled, and the stages in journey order."""
    out = frame.copy()
    out["stage"] = out["stage"].astype(object).where(out["stage"].notna(), _NO_STAGE).astype(str)
    order_key = _numeric(out["stage_order"]) if "stage_order" in out else None
    out["_stage_key"] = order_key.fillna(np.inf) if order_key is not None else np.inf
    stages = (
        out[["stage", "_stage_key"]]
        .assign(_last=out["stage"] == _NO_STAGE)
        .sort_values(["_last", "_stage_key", "stage"], kind="mergesort")["stage"]
    )
    return out, _unique(stages)


def _gap_cells(
    data: pd.DataFrame,
    *,
    x: alt.X,
    y: alt.Y,
    tooltip: list[alt.Tooltip],
    pick: alt.Parameter | None,
    outline: str | None = None,
) -> alt.LayerChart:
    """Heatmap cells coloured by ``gap100`` with the gap written in each cell."""
    valid = "isValid(datum.gap100) && isFinite(datum.gap100)"
    stroke = alt.when("datum.directional").then(alt.value("#777777"))
    width = alt.when("datum.directional").then(alt.value(1.5))
    if outline is not None:
        stroke = alt.when(outline).then(alt.value("#000000")).when("datum.directional")
        stroke = stroke.then(alt.value("#777777"))
        width = alt.when(outline).then(alt.value(2.5)).when("datum.directional")
        width = width.then(alt.value(1.5))
    cells = (
        alt.Chart()
        .mark_rect(cursor="pointer" if pick is not None else "default")
        .encode(
            x=x,
            y=y,
            color=alt.when(valid)
            .then(alt.Color("gap100:Q", scale=gap_scale(), title=["Gap to promise", "(points)"]))
            .otherwise(alt.value(NO_FIGURE_COLOR)),
            opacity=alt.when("datum.directional").then(alt.value(0.45)).otherwise(alt.value(1.0)),
            stroke=stroke.otherwise(alt.value("white")),
            strokeWidth=width.otherwise(alt.value(1.0)),
            strokeDash=alt.when("datum.directional")
            .then(alt.value([4, 3]))
            .otherwise(alt.value([1, 0])),
            tooltip=tooltip,
        )
    )
    if pick is not None:
        cells = cells.add_params(pick)
    text = (
        alt.Chart()
        .mark_text(fontSize=TEXT_FONT_SIZE)
        .encode(
            x=x,
            y=y,
            text=alt.Text("gap_text:N"),
            color=alt.when(f"{valid} && abs(datum.gap100) > 15")
            .then(alt.value("white"))
            .otherwise(alt.value("#222222")),
            tooltip=tooltip,
        )
    )
    return alt.layer(cells, text)


def _gap_texts(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    gap = pd.to_numeric(out["gap100"], errors="coerce")
    out["gap_text"] = np.where(gap.notna(), gap.map("{:+.0f}".format), "no target")
    out["reliability"] = _reliability(out["directional"])
    return out


def journey_heatmap(
    matrix: pd.DataFrame, moments: Sequence[str] = ()
) -> alt.LayerChart | alt.Chart:
    """Stage x touchpoint heatmap of the gap to the promise (0-100 points).

    Columns are stages in journey order (``stage_order``); rows are touchpoints
    grouped by their first stage, then by name. Cells are orange below target and
    blue above (clipped at +/-25); directional cells are pale with a dashed edge;
    moments of truth (``moments``) carry a star and a black outline. Clicking a
    cell selects its touchpoint (selection ``touchpoint``).
    """
    if matrix is None or matrix.empty:
        return empty_chart(selection="touchpoint", fields=["touchpoint"])
    data, stages = _stage_labels(_with_columns(matrix, {"directional": False}))
    data = _gap_texts(data)
    data["touchpoint"] = _text(data["touchpoint"])
    moment_set = {str(m) for m in moments}
    data["is_moment"] = data["touchpoint"].isin(moment_set)
    data["row"] = np.where(data["is_moment"], MOMENT_MARK + data["touchpoint"], data["touchpoint"])
    first_stage = data.groupby("row", sort=False)["_stage_key"].transform("min")
    rows = _unique(
        data.assign(_first=first_stage, _name=data["touchpoint"].str.casefold()).sort_values(
            ["_first", "_name"], kind="mergesort"
        )["row"]
    )
    data["score_text"] = data["score100"].map("{:.1f}".format)
    data["target_text"] = data["target100"].map("{:.1f}".format)
    data = data.drop(columns=["_stage_key"])
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("stage:N", title="Journey stage"),
        alt.Tooltip("metric:N", title="Measure"),
        alt.Tooltip("n:Q", title="Responses (n)", format=",d"),
        alt.Tooltip("score_text:N", title="Score (0-100)"),
        alt.Tooltip("target_text:N", title="Promise target (0-100)"),
        alt.Tooltip("gap_text:N", title="Gap to target"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]
    x = _stage_x(stages)
    bold = f"indexof(datum.value, {json.dumps(MOMENT_MARK)}) === 0 ? 'bold' : 'normal'"
    y = alt.Y(
        "row:N",
        sort=rows,
        title=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontWeight=alt.expr(bold), ticks=False),
    )
    layer = _gap_cells(
        data, x=x, y=y, tooltip=tooltip, pick=_touchpoint_selection(), outline="datum.is_moment"
    )
    subtitle = "Orange = below the promise target, blue = above. Pale cells: too few responses."
    if moment_set:
        subtitle += " \u2605 = moment of truth."
    return layer.properties(
        data=data,
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(len(rows)),
        title=alt.Title("The journey against the promise", subtitle=subtitle),
    )


# A stage name longer than this breaks onto one line per word ("Return & pay" stays together).
STAGE_LABEL_CHARS = 11
_STAGE_LABEL = (
    f"length(datum.label) > {STAGE_LABEL_CHARS}"
    " ? split(replace(datum.label, ' & ', '\u00a0&\u00a0'), ' ') : datum.label"
)


STAGE_LABEL_LINE_HEIGHT = 14


def _stage_label_lines(stage: str) -> int:
    """How many lines :data:`_STAGE_LABEL` writes ``stage`` on."""
    if len(stage) <= STAGE_LABEL_CHARS:
        return 1
    return len(stage.replace(" & ", "\u00a0&\u00a0").split(" "))


def _stage_x(stages: list[str]) -> alt.X:
    """Journey stages across the top, in journey order; long names break onto lines so
    neighbouring columns never overlap. A top axis writes extra lines downwards, so the
    labels are lifted by the extra lines to stay clear of the first row."""
    extra = max((_stage_label_lines(s) for s in stages), default=1) - 1
    return alt.X(
        "stage:N",
        sort=stages,
        title="Journey stage",
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelLimit=150,
            labelFontWeight="bold",
            labelLineHeight=STAGE_LABEL_LINE_HEIGHT,
            labelPadding=3 + extra * STAGE_LABEL_LINE_HEIGHT,
            labelExpr=_STAGE_LABEL,
        ),
    )


def stage_channel_heatmap(matrix: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Stage x channel heatmap of the gap to the promise (same colours as the journey)."""
    if matrix is None or matrix.empty:
        return empty_chart()
    data, stages = _stage_labels(_with_columns(matrix, {"directional": False, "touchpoints": 0}))
    data = _gap_texts(data)
    data["channel"] = _text(data["channel"])
    first_stage = data.groupby("channel", sort=False)["_stage_key"].transform("min")
    channels = _unique(
        data.assign(_first=first_stage).sort_values(["_first", "channel"], kind="mergesort")[
            "channel"
        ]
    )
    data["score_text"] = data["score100"].map("{:.1f}".format)
    data = data.drop(columns=["_stage_key"])
    tooltip = [
        alt.Tooltip("channel:N", title="Channel"),
        alt.Tooltip("stage:N", title="Journey stage"),
        alt.Tooltip("n:Q", title="Responses (n)", format=",d"),
        alt.Tooltip("touchpoints:Q", title="Touchpoints"),
        alt.Tooltip("score_text:N", title="Score (0-100)"),
        alt.Tooltip("gap_text:N", title="Gap to target"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]
    x = _stage_x(stages)
    y = alt.Y("channel:N", sort=channels, title="Channel", axis=alt.Axis(ticks=False))
    layer = _gap_cells(data, x=x, y=y, tooltip=tooltip, pick=None)
    return layer.properties(
        data=data,
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(len(channels), ROW_HEIGHT + 4),
        title=alt.Title(
            "Stages and channels against the promise",
            subtitle="Orange = below the promise target, blue = above. Pale cells: too few responses.",
        ),
    )


# -- trends --------------------------------------------------------------------------------------
def _top_groups(series: pd.DataFrame, limit: int) -> list[str]:
    totals = (
        series.groupby("group", sort=False)["n"]
        .sum()
        .sort_values(ascending=False, kind="mergesort")
    )
    return [str(g) for g in totals.index[:limit]]


def _single_target(series: pd.DataFrame, target: float | None) -> float | None:
    if target is not None and np.isfinite(target):
        return float(target)
    if "target" not in series.columns:
        return None
    found = pd.to_numeric(series["target"], errors="coerce").dropna().unique()
    return float(found[0]) if len(found) == 1 else None


def trend_chart(
    series: pd.DataFrame,
    *,
    value_title: str,
    target: float | None = None,
    max_groups: int = TREND_MAX_GROUPS,
) -> alt.LayerChart | alt.Chart:
    """A metric over time: line and dots with the 95% band and the promise target.

    ``series`` is :func:`cxdash.trends.series` output; with a ``group`` column one
    line per group (the ``max_groups`` groups with most responses). ``target``
    (else the series' single target, if it has one) is drawn as a dashed rule
    labelled "Promise target". Directional periods are hollow dots.
    """
    if series is None or series.empty:
        return empty_chart()
    data = _with_columns(series, {"directional": False, "unit": UNIT_SCORE})
    grouped = "group" in data.columns
    if grouped:
        data["group"] = _text(data["group"])
        groups = _top_groups(data, max_groups)
        data = data[data["group"].isin(groups)].reset_index(drop=True)
    data["period"] = pd.to_datetime(data["period"])
    unit = data["unit"].astype(object)
    data["value_text"] = format_in_unit(data["value"], unit)
    data["interval_text"] = (
        format_in_unit(data["ci_low"], unit) + " to " + format_in_unit(data["ci_high"], unit)
    )
    data["reliability"] = _reliability(data["directional"])
    grain = str(series.attrs.get("grain", "month"))
    x_title = {"week": "Week starting", "month": "Month", "quarter": "Quarter"}.get(grain, "Period")
    x = alt.X(
        "period:T",
        title=x_title,
        axis=alt.Axis(
            format="%b %Y" if grain != "week" else "%d %b", labelAngle=0, labelOverlap=True
        ),
    )
    y = alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("period:T", title=x_title, format="%d %b %Y" if grain == "week" else "%B %Y"),
        *([alt.Tooltip("group:N", title="Group")] if grouped else []),
        alt.Tooltip("value_text:N", title=value_title),
        alt.Tooltip("interval_text:N", title="Likely range (95%)"),
        alt.Tooltip("n:Q", title="Responses (n)", format=",d"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]
    color: Any = alt.value(GROUP_COLORS[0])
    fill: Any = alt.value(GROUP_COLORS[0])
    if grouped:
        group_scale = alt.Scale(domain=groups, range=list(GROUP_COLORS[: len(groups)]))
        color = alt.Color(
            "group:N",
            scale=group_scale,
            legend=alt.Legend(title=None, orient="top", labelLimit=LABEL_LIMIT),
        )
        fill = alt.Fill("group:N", scale=group_scale, legend=None)
    band = (
        alt.Chart().mark_area(opacity=0.18).encode(x=x, y="ci_low:Q", y2="ci_high:Q", color=color)
    )
    line = alt.Chart().mark_line(strokeWidth=3).encode(x=x, y=y, color=color)
    dots = (
        alt.Chart()
        .mark_point(shape="circle", size=90, strokeWidth=2.5, opacity=1)
        .encode(
            x=x,
            y=y,
            color=color,
            fill=alt.when("datum.directional").then(alt.value("white")).otherwise(fill),
            tooltip=tooltip,
        )
    )
    # Several groups' bands would hide each other: their ranges stay in the tooltip.
    layers: list[alt.Chart] = [line, dots] if grouped else [band, line, dots]
    goal = _single_target(data, target)
    if goal is not None:
        rule = alt.Chart(pd.DataFrame({"target": [goal], "label": ["Promise target"]}))
        layers.append(
            rule.mark_rule(color=TARGET_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
                y="target:Q",
                tooltip=[alt.Tooltip("target:Q", title="Promise target", format=".1f")],
            )
        )
        layers.append(
            rule.mark_text(
                align="right", baseline="bottom", dy=-4, fontSize=TEXT_FONT_SIZE, color=TARGET_COLOR
            ).encode(y="target:Q", x=alt.value("width"), text="label:N")
        )
    return alt.layer(*layers, data=data).properties(
        width="container", autosize=FIT_WIDTH, height=320
    )


def kpi_sparkline(series: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """A tiny trend line for a KPI tile: no axes, the last period marked."""
    if series is None or series.empty:
        return empty_chart("No trend yet.").properties(height=50)
    data = _with_columns(series, {"directional": False, "unit": UNIT_SCORE})
    data["period"] = pd.to_datetime(data["period"])
    data["value_text"] = format_in_unit(data["value"], data["unit"].astype(object))
    x = alt.X("period:T", axis=None)
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("period:T", title="Period", format="%b %Y"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("n:Q", title="Responses (n)", format=",d"),
    ]
    line = (
        alt.Chart()
        .mark_line(strokeWidth=2, color=GROUP_COLORS[0])
        .encode(x=x, y=y, tooltip=tooltip)
    )
    last = (
        alt.Chart()
        .transform_window(order="rank()", sort=[alt.SortField("period", order="descending")])
        .transform_filter("datum.order === 1")
        .mark_point(filled=True, size=50, color=GROUP_COLORS[0])
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return alt.layer(line, last, data=data).properties(
        width="container", autosize=FIT_WIDTH, height=50, view=alt.ViewBackground(stroke=None)
    )


# -- themes --------------------------------------------------------------------------------------
def _theme_data(
    table: pd.DataFrame, field: str = "theme", order: list[str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    data = _with_columns(table, {"low_n": False, "negative_share": np.nan, "share": np.nan})
    data[field] = _text(data[field])
    data = data.sort_values(["mentions", field], ascending=[False, True], kind="mergesort")
    data = data.reset_index(drop=True)
    data["negative_pct"] = pd.to_numeric(data["negative_share"], errors="coerce") * 100.0
    data["negative_text"] = np.where(
        data["negative_pct"].notna(), data["negative_pct"].map("{:.0f}%".format), "-"
    )
    data["share_text"] = np.where(
        data["share"].notna(), (data["share"] * 100.0).map("{:.1f}%".format), "-"
    )
    data["reliability"] = np.where(
        data["low_n"].fillna(False).astype(bool), "few mentions (directional)", "confirmed"
    )
    mentions = pd.to_numeric(data["mentions"], errors="coerce").fillna(0).astype(int)
    data["bar_text"] = mentions.map("{:,}".format) + np.where(
        data["negative_pct"].notna(), " (" + data["negative_text"] + " negative)", ""
    )
    present = _unique(data[field])
    if order:
        present = [v for v in order if v in set(present)] + [v for v in present if v not in order]
    return data, present


def _theme_tooltip(field: str = "theme") -> list[alt.Tooltip]:
    return [
        alt.Tooltip(f"{field}:N", title=field.capitalize()),
        alt.Tooltip("mentions:Q", title="Responses mentioning it (n)", format=",d"),
        alt.Tooltip("share_text:N", title="Share of responses"),
        alt.Tooltip("negative_text:N", title="Negative among them"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]


def _negative_color(title: list[str]) -> alt.Color:
    """Sequential colour for the share of negative mentions (light = few, dark = many)."""
    return alt.Color(
        "negative_pct:Q",
        scale=alt.Scale(scheme="oranges", domain=[0, 100]),
        title=title,
        legend=alt.Legend(orient="top", gradientLength=220, format=".0f"),
    )


def _theme_bar_layers(
    data: pd.DataFrame,
    order: list[str],
    field: str = "theme",
    selection: str = "theme",
    x_title: str = "Responses mentioning the theme",
) -> tuple[alt.Chart, alt.Chart]:
    """Mention bars coloured by negative share, labelled "mentions (x% negative)"."""
    pick = alt.selection_point(name=selection, fields=[field], on="click")
    y = alt.Y(
        f"{field}:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, ticks=False)
    )
    tooltip = _theme_tooltip(field)
    bars = (
        alt.Chart()
        .mark_bar(cursor="pointer", stroke="#555555")
        .encode(
            y=y,
            x=alt.X("mentions:Q", title=x_title, axis=alt.Axis(tickCount=6)),
            color=_negative_color(["Negative", "(% of mentions)"]),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.3)),
            fillOpacity=alt.when("datum.low_n").then(alt.value(0.45)).otherwise(alt.value(1.0)),
            strokeWidth=alt.when("datum.low_n").then(alt.value(1.0)).otherwise(alt.value(0.0)),
            strokeDash=alt.when("datum.low_n").then(alt.value([4, 3])).otherwise(alt.value([1, 0])),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    text = (
        alt.Chart()
        .mark_text(align="left", dx=6, fontSize=TEXT_FONT_SIZE, color="#333333")
        .encode(y=y, x="mentions:Q", text="bar_text:N", tooltip=tooltip)
    )
    return bars, text


def theme_bars(table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Experience themes: mentions as bars (most first), darker orange = more negative.

    Each bar is labelled "mentions (x% negative)". Themes with few mentions are
    pale with a dashed edge. Clicking a bar selects the theme (selection ``theme``).
    """
    if table is None or table.empty:
        return empty_chart(selection="theme", fields=["theme"])
    data, order = _theme_data(table)
    bars, text = _theme_bar_layers(data, order)
    return alt.layer(bars, text, data=data).properties(
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(len(order), ROW_HEIGHT + 6),
        title=alt.Title(
            "What customers talk about",
            subtitle="Bar = responses mentioning the theme; darker = more of them negative. "
            "Pale, dashed bars: too few mentions to be sure.",
        ),
    )


def theme_breakdown_bars(
    matrix: pd.DataFrame, by: str, order: list[str] | None = None
) -> alt.LayerChart | alt.Chart:
    """One theme's mentions per stage or touchpoint (selection ``cell`` on ``by``).

    ``matrix`` is :func:`cxdash.themes.theme_matrix` narrowed to one theme;
    ``order`` fixes the bar order (journey order for stages), else most mentions first.
    """
    if matrix is None or matrix.empty:
        return empty_chart(selection="cell", fields=[by])
    data, bar_order = _theme_data(matrix, field=by, order=order)
    bars, text = _theme_bar_layers(data, bar_order, field=by, selection="cell", x_title="Responses")
    return alt.layer(bars, text, data=data).properties(
        width="container", autosize=FIT_WIDTH, height=rows_height(len(bar_order), 26)
    )


def theme_mix_chart(table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """A small bar chart of theme mentions for one touchpoint (selection ``theme``)."""
    if table is None or table.empty:
        return empty_chart(
            "No comments with a theme here yet.", selection="theme", fields=["theme"]
        )
    data, order = _theme_data(table)
    bars, text = _theme_bar_layers(data, order)
    return alt.layer(bars, text, data=data).properties(
        width="container", autosize=FIT_WIDTH, height=rows_height(len(order), 24)
    )


def theme_matrix_heatmap(
    matrix: pd.DataFrame, by: str, *, order: Sequence[str] | None = None
) -> alt.LayerChart | alt.Chart:
    """Themes by ``by`` (``stage`` or ``touchpoint``): colour = share of negative mentions.

    The number in a cell is the mentions. ``by`` values follow ``order`` (e.g.
    the journey's stage order), else a ``stage_order`` column, else A-Z. With more
    than eight ``by`` values they go down the side so the labels stay readable.
    Clicking a cell selects it (selection ``cell`` on ``theme`` and ``by``).
    """
    if matrix is None or matrix.empty:
        return empty_chart(selection="cell", fields=["theme", by])
    if by not in matrix.columns:
        raise ValueError(f"The theme matrix has no column {by!r}.")
    data = _with_columns(matrix, {"low_n": False})
    data[by] = _text(data[by])
    data["theme"] = _text(data["theme"])
    if order is not None:
        known = [str(v) for v in order]
        by_order = known + sorted(set(data[by]) - set(known))
    elif "stage_order" in data.columns:
        key = _numeric(data["stage_order"]).fillna(np.inf)
        by_order = _unique(data.assign(_k=key).sort_values(["_k", by], kind="mergesort")[by])
    else:
        by_order = sorted(set(data[by]))
    totals = data.groupby("theme")["mentions"].sum().sort_values(ascending=False, kind="mergesort")
    theme_order = [str(t) for t in totals.index]
    data["negative_pct"] = pd.to_numeric(data["negative_share"], errors="coerce") * 100.0
    data["negative_text"] = np.where(
        data["negative_pct"].notna(), data["negative_pct"].map("{:.0f}%".format), "-"
    )
    data["reliability"] = np.where(
        data["low_n"].fillna(False).astype(bool), "few mentions (directional)", "confirmed"
    )
    by_title = by.replace("_", " ").capitalize()
    by_on_x = len(by_order) <= 8
    by_enc = {"sort": by_order, "title": by_title}
    theme_enc = {"sort": theme_order, "title": "Experience theme"}
    top_axis = alt.Axis(orient="top", labelAngle=0, labelLimit=150)
    side_axis = alt.Axis(labelLimit=LABEL_LIMIT, ticks=False)
    if by_on_x:
        x = alt.X(f"{by}:N", axis=top_axis, **by_enc)
        y = alt.Y("theme:N", axis=side_axis, **theme_enc)
        rows = len(theme_order)
    else:
        x = alt.X("theme:N", axis=top_axis, **theme_enc)
        y = alt.Y(f"{by}:N", axis=side_axis, **by_enc)
        rows = len(by_order)
    pick = alt.selection_point(name="cell", fields=["theme", by], on="click")
    tooltip = [
        alt.Tooltip("theme:N", title="Theme"),
        alt.Tooltip(f"{by}:N", title=by_title),
        alt.Tooltip("mentions:Q", title="Responses mentioning it (n)", format=",d"),
        alt.Tooltip("negative_text:N", title="Negative among them"),
        alt.Tooltip("reliability:N", title="Reliability"),
    ]
    cells = (
        alt.Chart()
        .mark_rect(cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "negative_pct:Q",
                scale=alt.Scale(scheme="oranges", domain=[0, 100]),
                title=["Negative", "(% of mentions)"],
            ),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.3)),
            fillOpacity=alt.when("datum.low_n").then(alt.value(0.45)).otherwise(alt.value(1.0)),
            stroke=alt.value("white"),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    text = (
        alt.Chart()
        .mark_text(fontSize=TEXT_FONT_SIZE)
        .encode(
            x=x,
            y=y,
            text=alt.Text("mentions:Q", format=",d"),
            color=alt.when("datum.negative_pct > 60")
            .then(alt.value("white"))
            .otherwise(alt.value("#222222")),
            tooltip=tooltip,
        )
    )
    return alt.layer(cells, text, data=data).properties(
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(rows, ROW_HEIGHT + 4),
        title=alt.Title(
            f"Themes by {by_title.lower()}",
            subtitle="Number = responses mentioning the theme; darker = more of them negative.",
        ),
    )


# -- promise keeping ----------------------------------------------------------------------------
def promise_keeping_chart(keeping: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """How well each reason to believe is kept.

    One bar per reason to believe: ``kept_pct`` (0-100), the importance-weighted
    share of confirmed touchpoints that meet their target; the overall row is bold
    and darker. Each bar says "k of n touchpoints meet the promise" in words.
    """
    if keeping is None or keeping.empty:
        return empty_chart()
    data = _with_columns(keeping, {"is_overall": False, "too_few": 0})
    data["pillar"] = _text(data["pillar"])
    data["is_overall"] = data["is_overall"].fillna(False).astype(bool)
    order = _unique(data["pillar"])
    kept = pd.to_numeric(data["kept_pct"], errors="coerce")
    data["kept_text"] = np.where(kept.notna(), kept.map("{:.0f}%".format), "no confirmed figure")
    data["count_text"] = (
        _count(data["meets"]) + " of " + _count(data["confirmed"]) + " touchpoints meet the promise"
    )
    data["bar_text"] = data["kept_text"] + " \u00b7 " + data["count_text"]
    data["label_x"] = kept.fillna(0.0)
    overall = data.loc[data["is_overall"], "pillar"].tolist()
    bold = f"indexof({json.dumps(overall)}, datum.value) >= 0 ? 'bold' : 'normal'"
    y = alt.Y(
        "pillar:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontWeight=alt.expr(bold), ticks=False),
    )
    x_scale = alt.Scale(domain=[0, KEEPING_AXIS_MAX], nice=False)
    tooltip = [
        alt.Tooltip("pillar:N", title="Reason to believe"),
        alt.Tooltip("kept_text:N", title="Promise kept (importance-weighted)"),
        alt.Tooltip("count_text:N", title="Confirmed touchpoints"),
        alt.Tooltip("touchpoints:Q", title="Touchpoints (n)"),
        alt.Tooltip("below_promise:Q", title="Below promise"),
        alt.Tooltip("at_risk:Q", title="At risk"),
        alt.Tooltip("too_few:Q", title="Too few responses"),
    ]
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "kept_pct:Q",
                scale=x_scale,
                axis=alt.Axis(values=list(range(0, 101, 10))),
                title="Promise kept (% of confirmed touchpoints, weighted by importance)",
            ),
            color=alt.when("datum.is_overall")
            .then(alt.value(OVERALL_COLOR))
            .otherwise(alt.value(STATUS_COLORS[STATUS_MEETS])),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart()
        .mark_text(align="left", dx=6, fontSize=TEXT_FONT_SIZE, color="#222222")
        .encode(
            y=y,
            x=alt.X("label_x:Q", scale=x_scale),
            text="bar_text:N",
            tooltip=tooltip,
        )
    )
    return alt.layer(bars, text, data=data).properties(
        width="container",
        autosize=FIT_WIDTH,
        height=rows_height(len(order), ROW_HEIGHT + 12),
        title=alt.Title(
            "Is the promise kept?",
            subtitle="Per reason to believe: share of confirmed touchpoints that meet their target.",
        ),
    )


def _count(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").fillna(0).astype(int).astype(str)
