"""The promise scorecard: every touchpoint read against its promise target.

For each touchpoint (from the touchpoint map and/or the feedback) the
scorecard gives the score in the unit of its target, the 95 % interval, the
gap to the target, a status, its importance (stated, else derived), the
shortfall-weighted priority and its importance-performance quadrant
(Martilla & James, 1977). :func:`promise_keeping` rolls the statuses up per
reason to believe; :func:`report` is the JSON contract of
``python -m cxdash report --json``.

Targets
    The map's ``target`` is read in its ``target_unit``: ``share`` (0.8 and 80
    both mean 80 %), ``mean`` (on the touchpoint's native scale, e.g. 4.2 on
    1-5), ``nps`` (-100..+100) or ``score`` (0-100). Without a unit it is
    inferred: NPS metric -> ``nps``; a value up to 1 -> ``share``; within the
    native scale -> ``mean``; above it -> ``share`` for CSAT/CES and ``score``
    for ratings/overall. A touchpoint without a target gets the workspace
    default for its metric (:func:`get_default_targets`), flagged
    ``target_is_default``.

The target metric is the map's ``target_metric``; else the first of csat,
rating, ces, nps, overall the touchpoint has answers for; else rating.

Status
    ``too few responses`` when n < ``filters.min_n``; ``below promise`` when the
    whole interval is under the target; ``at risk`` when the estimate is under
    the target but the interval reaches it; else ``meets``.

Importance
    Stated importance (any scale) is divided by the largest stated importance,
    derived importance (relative weights from :mod:`cxdash.drivers`) by the
    largest derived weight, so both run up to 1. A touchpoint uses its stated
    importance, else its derived one, else the median of the others (or 1 when
    none is known) -- ``importance_source`` says which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cxdash.drivers import derived_importance
from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.metrics import (
    DEFAULT_SCALES,
    FACTS,
    METRICS,
    UNITS,
    Columns,
    ScanPart,
    as_float,
    as_text,
    columns_of,
    figure_columns,
    frame_of,
    gather,
    gather_stats,
    is_in,
    kpis,
    level_columns,
    metric_levels,
    register_scan_part,
    row_lookup,
    scan_result,
    sort_order,
    to_score100,
    with_columns,
)
from cxdash.themes import theme_table
from cxdash.workspace import Workspace

STATUS_BELOW = "below promise"
STATUS_AT_RISK = "at risk"
STATUS_MEETS = "meets"
STATUS_TOO_FEW = "too few responses"

QUADRANT_CONCENTRATE = "concentrate here"
QUADRANT_KEEP_UP = "keep up the good work"
QUADRANT_LOW_PRIORITY = "low priority"
QUADRANT_OVERKILL = "possible overkill"

DEFAULT_TARGETS_KEY = "default_targets"
BUILTIN_DEFAULT_TARGETS: dict[str, dict[str, Any]] = {
    "csat": {"unit": "share", "target": 80.0},
    "ces": {"unit": "share", "target": 70.0},
    "nps": {"unit": "nps", "target": 30.0},
    "rating": {"unit": "score", "target": 80.0},
    "overall": {"unit": "score", "target": 80.0},
}
# Order in which a touchpoint's own answers choose its metric when the map names none.
METRIC_PREFERENCE: tuple[str, ...] = ("csat", "rating", "ces", "nps", "overall")
OVERALL_PILLAR = "All touchpoints"
# Gaps are rounded so that a score equal to its target (4.2 vs 4.2) is not a float-noise miss.
GAP_DECIMALS = 9

SCORECARD_COLUMNS: list[str] = [
    "touchpoint",
    "stage",
    "stage_order",
    "channel",
    "provider",
    "owner",
    "pillar",
    "metric",
    "n",
    "directional",
    "score",
    "ci_low",
    "ci_high",
    "score100",
    "target",
    "target_unit",
    "target_is_default",
    "target100",
    "gap",
    "gap100",
    "status",
    "importance_stated",
    "importance_derived",
    "importance",
    "importance_source",
    "shortfall",
    "priority",
    "quadrant",
    "rank",
    "in_map",
    "scale_min",
    "scale_max",
]


# -- default targets ---------------------------------------------------------------------------
def _clean_target(metric: str, spec: Any) -> dict[str, Any]:
    """One default target as ``{"unit", "target"}``; a bare number uses the metric's usual unit."""
    if isinstance(spec, Mapping):
        unit = str(spec.get("unit") or BUILTIN_DEFAULT_TARGETS[metric]["unit"]).strip().lower()
        raw = spec.get("target")
    else:
        unit, raw = BUILTIN_DEFAULT_TARGETS[metric]["unit"], spec
    if unit not in UNITS:
        raise CxdashError(
            f"The default target for {metric} has the unit {unit!r}; use one of {', '.join(UNITS)}."
        )
    try:
        target = float(raw)
    except (TypeError, ValueError):
        raise CxdashError(f"The default target for {metric} must be a number.") from None
    if math.isnan(target):
        raise CxdashError(f"The default target for {metric} must be a number.")
    if unit == "share" and target <= 1.0:
        target *= 100.0
    return {"unit": unit, "target": target}


def get_default_targets(ws: Workspace) -> dict[str, dict[str, Any]]:
    """The workspace's default target per metric (built-in values where none was saved).

    The saved setting is read once per data version (saving it bumps the version); the
    result is a fresh dict: change it freely."""
    stored = FACTS.get(ws, ("default_targets",), lambda: ws.setting(DEFAULT_TARGETS_KEY, {}) or {})
    out = {m: dict(spec) for m, spec in BUILTIN_DEFAULT_TARGETS.items()}
    for metric, spec in stored.items():
        if metric in out:
            try:
                out[metric] = _clean_target(metric, spec)
            except CxdashError:
                continue  # a hand-edited bad value falls back to the built-in default
    return out


def set_default_targets(ws: Workspace, targets: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Save default targets (merged over the current ones); returns the new set.

    ``targets`` maps a metric to ``{"unit": ..., "target": ...}`` or to a bare
    number in the metric's usual unit (share targets as 0.8 or 80).
    """
    current = get_default_targets(ws)
    for metric, spec in targets.items():
        if metric not in METRICS:
            raise CxdashError(
                f"There is no metric called {metric!r}; choose one of {', '.join(METRICS)}."
            )
        current[metric] = _clean_target(metric, spec)
    ws.set_setting(DEFAULT_TARGETS_KEY, current)
    return current


# -- touchpoints and their metric ----------------------------------------------------------------
def _map_condition(filters: Filters) -> tuple[str, list[Any]]:
    """The map-level part of the filters, applied to touchpoint-map rows (alias ``mp``)."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, values in (
        ("touchpoint", filters.touchpoints),
        ("stage", filters.stages),
        ("channel", filters.channels),
        ("provider", filters.providers),
    ):
        if values:
            clauses.append(f"mp.{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return (" AND ".join(clauses) if clauses else "TRUE"), params


def answered_metrics(ws: Workspace) -> pd.DataFrame:
    """Per touchpoint, the metrics it has answers for in the whole workspace (``touchpoint``,
    ``metrics``): what chooses a target metric when the map names none. Filters do not
    change it, so a touchpoint keeps its metric whatever the selection; memoised per data
    version."""
    found = FACTS.get(
        ws,
        ("answered_metrics",),
        lambda: ws.query_df(
            "SELECT touchpoint, list(DISTINCT metric) AS metrics FROM feedback "
            "WHERE touchpoint IS NOT NULL AND value IS NOT NULL GROUP BY touchpoint"
        ),
    )
    return found.copy()


def _touchpoint_frame_ctes(ws: Workspace, filters: Filters) -> tuple[str, list[Any]]:
    """The CTEs of :func:`touchpoint_frame` over the shared scan's filtered rows (``sel``):
    rows are counted per (touchpoint, stage, channel) in one grouped pass, those few counts
    summed per (touchpoint, stage) and per (touchpoint, channel), then each touchpoint takes
    its most frequent stage and channel and is joined to the map."""
    map_sql, map_params = _map_condition(filters)
    sql = f"""
    tp_counts AS (
        SELECT touchpoint, stage, channel, count(*) AS n
        FROM sel WHERE touchpoint IS NOT NULL
        GROUP BY touchpoint, stage, channel
    ), tp_stages AS (
        SELECT touchpoint, stage, sum(n) AS n FROM tp_counts GROUP BY touchpoint, stage
    ), tp_channels AS (
        SELECT touchpoint, channel, sum(n) AS n FROM tp_counts GROUP BY touchpoint, channel
    ), tp_feedback AS (
        SELECT s.touchpoint, s.fb_stage, c.fb_channel
        FROM (
            SELECT touchpoint,
                   first(stage ORDER BY n DESC, stage) FILTER (WHERE stage IS NOT NULL) AS fb_stage
            FROM tp_stages GROUP BY touchpoint
        ) s
        JOIN (
            SELECT touchpoint,
                   first(channel ORDER BY n DESC, channel)
                       FILTER (WHERE channel IS NOT NULL) AS fb_channel
            FROM tp_channels GROUP BY touchpoint
        ) c USING (touchpoint)
    ), touchpoint_frame AS (
        SELECT coalesce(mp.touchpoint, fb.touchpoint) AS touchpoint,
               coalesce(mp.stage, fb.fb_stage) AS stage,
               mp.stage_order,
               coalesce(mp.channel, fb.fb_channel) AS channel,
               mp.provider, mp.owner, mp.pillar,
               mp.importance AS importance_stated,
               mp.target AS map_target,
               lower(trim(mp.target_unit)) AS map_unit,
               lower(trim(mp.target_metric)) AS map_metric,
               mp.touchpoint IS NOT NULL AS in_map
        FROM touchpoints mp
        FULL OUTER JOIN tp_feedback fb ON fb.touchpoint = mp.touchpoint
        WHERE fb.touchpoint IS NOT NULL OR ({map_sql})
    )
    """
    return sql, map_params


def _with_answered_metrics(ws: Workspace, frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``metrics`` (see :func:`answered_metrics`) where the map names no valid metric."""
    needed = ~frame["map_metric"].isin(METRICS)
    found: dict[str, list[str]] = {}
    if needed.any():
        answered = answered_metrics(ws)
        found = dict(zip(answered["touchpoint"], answered["metrics"].map(list), strict=True))
    frame["metrics"] = [
        list(found.get(touchpoint, [])) if need else []
        for touchpoint, need in zip(frame["touchpoint"], needed, strict=True)
    ]
    return frame


def touchpoint_frame(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """Touchpoints in the map (matching the filters) or in the filtered feedback, with map details.

    Touchpoints only in the feedback take their most frequent stage and channel (a tie goes
    to the first A-Z, so the result does not depend on the scan order). ``metrics`` lists the metrics a touchpoint has answers for (whole workspace); it is
    only looked up where the map names no target metric, as only there it decides
    (:func:`choose_metric`). Computed in the page's shared scan (:func:`scan_result`), memoised
    per filter state and data version.
    """
    return scan_result(ws, filters, "touchpoint_frame")


register_scan_part(
    ScanPart(
        "touchpoint_frame",
        _touchpoint_frame_ctes,
        lambda ws, filters, frame: _with_answered_metrics(ws, frame),
    )
)


def choose_metric(frame: pd.DataFrame | Columns) -> np.ndarray:
    """The target metric per touchpoint: the map's, else by :data:`METRIC_PREFERENCE`, else rating."""
    answered = [
        next((m for m in METRIC_PREFERENCE if m in set(found)), "rating")
        for found in frame["metrics"]
    ]
    mapped = as_text(frame["map_metric"])
    return np.where(is_in(mapped, METRICS), mapped, np.asarray(answered, dtype=object))


# -- targets -----------------------------------------------------------------------------------
def infer_target_unit(target: np.ndarray, metric: np.ndarray, scale_max: np.ndarray) -> np.ndarray:
    """The unit of a map target given without one (see the module docstring)."""
    ratio_metric = np.isin(metric, ["csat", "ces"])
    return np.select(
        [metric == "nps", target <= 1.0, target <= scale_max, ratio_metric],
        ["nps", "share", "mean", "share"],
        default="score",
    ).astype(object)


def target_columns(
    card: pd.DataFrame | Columns, defaults: Mapping[str, Mapping[str, Any]]
) -> Columns:
    """``target``, ``target_unit``, ``target_is_default`` and ``target100`` per row of ``card``
    (``metric``, ``map_target``, ``map_unit``, ``scale_min``, ``scale_max``)."""
    metric = as_text(card["metric"])
    map_target = as_float(card["map_target"])
    smin, smax = as_float(card["scale_min"]), as_float(card["scale_max"])
    stated_unit = as_text(card["map_unit"])
    inferred = infer_target_unit(map_target, metric, smax)
    map_unit = np.where(is_in(stated_unit, UNITS), stated_unit, inferred)
    has_target = ~np.isnan(map_target)
    default_unit = np.array([defaults[m]["unit"] for m in metric], dtype=object)
    default_target = np.array([defaults[m]["target"] for m in metric], dtype=float)
    unit = np.where(has_target, map_unit, default_unit)
    target = np.where(has_target, map_target, default_target)
    target = np.where((unit == "share") & (target <= 1.0), target * 100.0, target)
    return {
        "target": target,
        "target_unit": unit,
        "target_is_default": ~has_target,
        "target100": to_score100(target, unit, smin, smax),
    }


def resolve_targets(card: pd.DataFrame, defaults: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """``card`` with the :func:`target_columns` added."""
    return with_columns(card, target_columns(card, defaults))


# -- status, importance, priority, quadrants ----------------------------------------------------
def status_of(card: pd.DataFrame | Columns, min_n: int) -> np.ndarray:
    """``too few responses`` / ``below promise`` / ``at risk`` / ``meets`` per row (needs ``gap``)."""
    n = as_float(card["n"])
    score = as_float(card["score"])
    gap = as_float(card["gap"])
    ci_gap = np.round(as_float(card["ci_high"]) - as_float(card["target"]), GAP_DECIMALS)
    return np.select(
        [(n < min_n) | np.isnan(score), ci_gap < 0, gap < 0],
        [STATUS_TOO_FEW, STATUS_BELOW, STATUS_AT_RISK],
        default=STATUS_MEETS,
    ).astype(object)


def _scaled_to_max(values: np.ndarray) -> np.ndarray:
    """Divide by the largest positive value (NaN stays NaN; all NaN when none is positive)."""
    with np.errstate(invalid="ignore"):
        positive = values[values > 0]
    if not len(positive):
        return np.full(len(values), np.nan)
    return values / positive.max()


def importance_columns(card: pd.DataFrame | Columns) -> Columns:
    """``importance`` (0-1) and ``importance_source`` from stated and derived importance."""
    stated = _scaled_to_max(as_float(card["importance_stated"]))
    derived = _scaled_to_max(as_float(card["importance_derived"]))
    importance = np.where(np.isnan(stated), derived, stated)
    source = np.select(
        [~np.isnan(stated), ~np.isnan(derived)], ["stated", "derived"], "assumed"
    ).astype(object)
    known = importance[~np.isnan(importance)]
    fill = float(np.median(known)) if len(known) else 1.0
    return {
        "importance": np.where(np.isnan(importance), fill, importance),
        "importance_source": source,
    }


def quadrants_of(card: pd.DataFrame | Columns) -> tuple[np.ndarray, dict[str, float]]:
    """Martilla & James quadrants for rated touchpoints (None for the others), and the split
    values used."""
    rated = ~np.isnan(as_float(card["score"]))
    importance = as_float(card["importance"])
    split_importance = float(importance[rated].mean()) if rated.any() else math.nan
    important = importance >= split_importance
    meets = as_float(card["gap100"]) >= 0
    quadrant = np.select(
        [important & ~meets, important & meets, ~important & ~meets],
        [QUADRANT_CONCENTRATE, QUADRANT_KEEP_UP, QUADRANT_LOW_PRIORITY],
        default=QUADRANT_OVERKILL,
    ).astype(object)
    splits = {"gap100": 0.0, "importance": split_importance}
    return np.where(rated, quadrant, None), splits


def rank_of(card: pd.DataFrame | Columns) -> pd.arrays.IntegerArray:
    """Rank confirmed touchpoints by priority (then the larger gap); others get no rank."""
    confirmed = np.flatnonzero(as_text(card["status"]) != STATUS_TOO_FEW)
    order = sort_order(
        [
            (as_float(card["priority"])[confirmed], True),
            (as_float(card["gap100"])[confirmed], False),
            (as_float(card["importance"])[confirmed], True),
            (as_text(card["touchpoint"])[confirmed], False),
        ]
    )
    rank = np.zeros(len(as_float(card["priority"])), dtype=np.int64)
    rank[confirmed[order]] = np.arange(1, len(confirmed) + 1)
    return pd.arrays.IntegerArray(rank, mask=rank == 0)


def ipa_splits(card: pd.DataFrame) -> dict[str, float]:
    """Where the importance-performance chart is split: gap100 = 0 and the mean importance."""
    return dict(card.attrs.get("ipa_splits") or quadrants_of(card)[1])


# -- derived importance -------------------------------------------------------------------------
def load_derived_importance(ws: Workspace, filters: Filters) -> pd.DataFrame | None:
    """Derived importance from :mod:`cxdash.drivers`, or None when it is unavailable."""
    try:
        return derived_importance(ws, filters)
    except CxdashError:
        return None


def derived_column(touchpoints: Any, derived: pd.DataFrame | None) -> np.ndarray:
    """Each touchpoint's derived importance (NaN where ``derived`` has none)."""
    touchpoints = as_text(touchpoints)
    if derived is None or derived.empty or "touchpoint" not in derived:
        return np.full(len(touchpoints), np.nan)
    rows = row_lookup(as_text(derived["touchpoint"]), touchpoints)
    return gather(as_float(derived["importance_derived"]), rows, np.nan)


# -- the scorecard ------------------------------------------------------------------------------
# The touchpoint frame's columns the scorecard carries (besides the chosen metric).
_CARD_INFO: tuple[str, ...] = (
    "touchpoint",
    "stage",
    "stage_order",
    "channel",
    "provider",
    "owner",
    "pillar",
    "importance_stated",
    "map_target",
    "map_unit",
    "in_map",
)


def touchpoint_stats(levels: pd.DataFrame, card: Columns) -> Columns:
    """The statistics of each touchpoint's target metric from :func:`metric_levels`' touchpoint
    level (n = 0 when it has none); a touchpoint without answers is placed on its metric's
    usual scale."""
    found = level_columns(levels, "touchpoint")
    rows = row_lookup(
        list(zip(found["touchpoint"], found["metric"], strict=True)),
        list(zip(card["touchpoint"], card["metric"], strict=True)),
    )
    out = gather_stats(found, rows)
    usual = np.array([DEFAULT_SCALES[m] for m in card["metric"]], dtype=float).reshape(-1, 2)
    out["scale_min"] = np.where(np.isnan(out["scale_min"]), usual[:, 0], out["scale_min"])
    out["scale_max"] = np.where(np.isnan(out["scale_max"]), usual[:, 1], out["scale_max"])
    return out


def scorecard(
    ws: Workspace,
    filters: Filters,
    defaults: Mapping[str, Any] | None = None,
    derived: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per touchpoint, read against its promise target (columns: :data:`SCORECARD_COLUMNS`).

    ``defaults`` overrides the workspace default targets for this call;
    ``derived`` passes a precomputed derived-importance frame (columns
    ``touchpoint``, ``importance_derived``); without it :mod:`cxdash.drivers`
    is asked. Rows are ordered by rank (unranked last), then journey order.
    ``attrs["ipa_splits"]`` holds the quadrant split values.
    """
    targets = get_default_targets(ws)
    for metric, spec in (defaults or {}).items():
        if metric in targets:
            targets[metric] = _clean_target(metric, spec)
    info = touchpoint_frame(ws, filters)
    card = columns_of(info, _CARD_INFO)
    card["metric"] = choose_metric(info)
    card |= touchpoint_stats(metric_levels(ws, filters), card)
    card |= target_columns(card, targets)
    card |= figure_columns(card, card["target_unit"], filters.min_n)
    card["score"] = card.pop("value")
    card["gap"] = np.round(card["score"] - card["target"], GAP_DECIMALS)
    card["gap100"] = np.round(card["score100"] - card["target100"], GAP_DECIMALS)
    card["status"] = status_of(card, filters.min_n)
    if derived is None:
        derived = load_derived_importance(ws, filters)
    card["importance_derived"] = derived_column(card["touchpoint"], derived)
    card |= importance_columns(card)
    card["shortfall"] = np.maximum(-card["gap100"], 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    card["priority"] = card["importance"] * card["shortfall"]
    card["quadrant"], splits = quadrants_of(card)
    card["rank"] = rank_of(card)
    order = sort_order(
        [(card[key], False) for key in ("rank", "stage_order", "stage", "touchpoint")]
    )
    out = frame_of(card, SCORECARD_COLUMNS, order)
    out.attrs["ipa_splits"] = splits
    if derived is not None and not derived.empty and "method" in derived:
        out.attrs["importance_method"] = str(derived["method"].iloc[0])
    return out


# -- promise keeping -------------------------------------------------------------------------------
def promise_statement(ws: Workspace) -> dict[str, Any]:
    """The brand promise: ``statement``, ``description`` and ``reasons_to_believe`` (in order)."""
    rows = ws.query_df("SELECT kind, name, description FROM promise ORDER BY position, name")
    statements = rows[rows["kind"] == "statement"]
    reasons = rows[rows["kind"] == "reason_to_believe"]
    first = statements.iloc[0] if len(statements) else None
    return {
        "statement": None if first is None else str(first["name"]),
        "description": None if first is None else _none_if_missing(first["description"]),
        "reasons_to_believe": [
            {"name": str(r.name), "description": _none_if_missing(r.description)}
            for r in reasons.itertuples(index=False)
        ],
    }


def _none_if_missing(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _keeping_row(pillar: str, group: pd.DataFrame, is_overall: bool) -> dict[str, Any]:
    confirmed = group[group["status"] != STATUS_TOO_FEW]
    weights = confirmed["importance"].astype(float)
    kept = (confirmed["status"] == STATUS_MEETS).astype(float)
    total = float(weights.sum())
    return {
        "pillar": pillar,
        "is_overall": is_overall,
        "touchpoints": len(group),
        "confirmed": len(confirmed),
        "meets": int((group["status"] == STATUS_MEETS).sum()),
        "at_risk": int((group["status"] == STATUS_AT_RISK).sum()),
        "below_promise": int((group["status"] == STATUS_BELOW).sum()),
        "too_few": int((group["status"] == STATUS_TOO_FEW).sum()),
        "kept_pct": float((weights * kept).sum() / total * 100.0) if total > 0 else math.nan,
    }


def promise_keeping(
    ws: Workspace, filters: Filters, card: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per reason to believe, and overall: the importance-weighted share of confirmed
    touchpoints that meet their target (``kept_pct``), with the status counts.

    Reasons to believe in the promise with no touchpoint are listed with no
    figure; the overall row covers every touchpoint, with or without a pillar.
    """
    card = scorecard(ws, filters) if card is None else card
    pillars = [r["name"] for r in promise_statement(ws)["reasons_to_believe"]]
    pillars += sorted(set(card["pillar"].dropna()) - set(pillars))
    rows = [_keeping_row(p, card[card["pillar"] == p], is_overall=False) for p in pillars]
    rows.append(_keeping_row(OVERALL_PILLAR, card, is_overall=True))
    return pd.DataFrame(rows)


# -- report (JSON) -------------------------------------------------------------------------------
REPORT_TOUCHPOINT_COLUMNS: list[str] = [
    "touchpoint",
    "stage",
    "channel",
    "owner",
    "pillar",
    "metric",
    "n",
    "score",
    "ci_low",
    "ci_high",
    "target",
    "target_unit",
    "target_is_default",
    "gap",
    "gap100",
    "status",
    "importance_stated",
    "importance_derived",
    "importance",
    "priority",
    "quadrant",
    "rank",
]


def json_safe(value: Any) -> Any:
    """Plain Python for JSON: NaN/NA -> None, numpy scalars -> int/float/bool."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """A frame as JSON-safe dicts."""
    cols = columns or list(frame.columns)
    present = [c for c in cols if c in frame.columns]
    return [
        {c: json_safe(v) for c, v in zip(present, row, strict=True)}
        for row in frame[present].itertuples(index=False, name=None)
    ]


def _theme_records(ws: Workspace, filters: Filters) -> list[dict[str, Any]]:
    table = theme_table(ws, filters).rename(columns={"mean_score": "score"})
    return records(table, ["theme", "mentions", "negative_share", "score", "trend"])


def report(ws: Workspace, filters: Filters) -> dict[str, Any]:
    """The ``report --json`` contract: ``kpis``, ``touchpoints``, ``themes`` (and the promise)."""
    headline = kpis(ws, filters)
    card = scorecard(ws, filters)
    return {
        "kpis": {
            row["kpi"]: {
                k: json_safe(row[k])
                for k in ("value", "n", "ci_low", "ci_high", "unit", "directional")
            }
            for _, row in headline.iterrows()
        },
        "touchpoints": records(card, REPORT_TOUCHPOINT_COLUMNS),
        "themes": _theme_records(ws, filters),
        "promise": promise_statement(ws),
        "promise_keeping": records(promise_keeping(ws, filters, card)),
        "min_n": filters.min_n,
    }
