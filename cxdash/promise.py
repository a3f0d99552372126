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
    ScanPart,
    add_figures,
    fill_missing_stats,
    kpis,
    level_stats,
    metric_levels,
    register_scan_part,
    scan_result,
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
    rows are counted per (touchpoint, stage) and per (touchpoint, channel) in one grouped
    pass (``counted`` is 1 for a stage count, 2 for a channel count), then each touchpoint
    takes its most frequent stage and channel and is joined to the map."""
    map_sql, map_params = _map_condition(filters)
    sql = f"""
    tp_counts AS (
        SELECT f.touchpoint, f.stage, f.channel, GROUPING(f.stage, f.channel) AS counted,
               count(*) AS n
        FROM sel f
        WHERE f.touchpoint IS NOT NULL
        GROUP BY GROUPING SETS ((f.touchpoint, f.stage), (f.touchpoint, f.channel))
    ), tp_feedback AS (
        SELECT touchpoint,
               first(stage ORDER BY n DESC, stage)
                   FILTER (WHERE counted = 1 AND stage IS NOT NULL) AS fb_stage,
               first(channel ORDER BY n DESC, channel)
                   FILTER (WHERE counted = 2 AND channel IS NOT NULL) AS fb_channel
        FROM tp_counts
        GROUP BY touchpoint
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


def choose_metric(frame: pd.DataFrame) -> pd.Series:
    """The target metric per touchpoint: the map's, else by :data:`METRIC_PREFERENCE`, else rating."""
    answered = [
        next((m for m in METRIC_PREFERENCE if m in set(found)), "rating")
        for found in frame["metrics"]
    ]
    mapped = frame["map_metric"]
    chosen = np.where(
        mapped.isin(METRICS).to_numpy(),
        mapped.to_numpy(dtype=object),
        np.asarray(answered, dtype=object),
    )
    return pd.Series(chosen, index=frame.index, dtype=object)


# -- targets -----------------------------------------------------------------------------------
def infer_target_unit(target: np.ndarray, metric: np.ndarray, scale_max: np.ndarray) -> np.ndarray:
    """The unit of a map target given without one (see the module docstring)."""
    ratio_metric = np.isin(metric, ["csat", "ces"])
    return np.select(
        [metric == "nps", target <= 1.0, target <= scale_max, ratio_metric],
        ["nps", "share", "mean", "share"],
        default="score",
    ).astype(object)


def resolve_targets(card: pd.DataFrame, defaults: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Add ``target``, ``target_unit``, ``target_is_default`` and ``target100``."""
    metric = card["metric"].to_numpy(dtype=object)
    map_target = card["map_target"].to_numpy(dtype=float, na_value=np.nan)
    smin = card["scale_min"].to_numpy(dtype=float)
    smax = card["scale_max"].to_numpy(dtype=float)
    given = card["map_unit"].isin(UNITS).to_numpy()
    inferred = infer_target_unit(map_target, metric, smax)
    map_unit = np.where(given, card["map_unit"].to_numpy(dtype=object), inferred)
    has_target = ~np.isnan(map_target)
    default_unit = np.array([defaults[m]["unit"] for m in metric], dtype=object)
    default_target = np.array([defaults[m]["target"] for m in metric], dtype=float)
    unit = np.where(has_target, map_unit, default_unit)
    target = np.where(has_target, map_target, default_target)
    target = np.where((unit == "share") & (target <= 1.0), target * 100.0, target)
    return with_columns(
        card,
        {
            "target": target,
            "target_unit": unit,
            "target_is_default": ~has_target,
            "target100": to_score100(target, unit, smin, smax),
        },
    )


# -- status, importance, priority, quadrants ----------------------------------------------------
def assign_status(card: pd.DataFrame, min_n: int) -> pd.Series:
    """``too few responses`` / ``below promise`` / ``at risk`` / ``meets`` per row (needs ``gap``)."""
    n = card["n"].to_numpy()
    score = card["score"].to_numpy(dtype=float)
    gap = card["gap"].to_numpy(dtype=float)
    ci_gap = (card["ci_high"] - card["target"]).round(GAP_DECIMALS).to_numpy(dtype=float)
    status = np.select(
        [(n < min_n) | np.isnan(score), ci_gap < 0, gap < 0],
        [STATUS_TOO_FEW, STATUS_BELOW, STATUS_AT_RISK],
        default=STATUS_MEETS,
    )
    return pd.Series(status, index=card.index, dtype=object)


def _scaled_to_max(values: pd.Series) -> pd.Series:
    """Divide by the largest positive value (NaN stays NaN)."""
    top = values.where(values > 0).max()
    if pd.isna(top):
        return pd.Series(np.nan, index=values.index)
    return values / top


def assign_importance(card: pd.DataFrame) -> pd.DataFrame:
    """Add ``importance`` (0-1) and ``importance_source`` from stated/derived importance."""
    out = card.copy()
    stated = _scaled_to_max(out["importance_stated"].astype(float))
    derived = _scaled_to_max(out["importance_derived"].astype(float))
    importance = stated.fillna(derived)
    source = np.select(
        [stated.notna().to_numpy(), derived.notna().to_numpy()], ["stated", "derived"], "assumed"
    )
    known = importance.dropna()
    importance = importance.fillna(float(known.median()) if len(known) else 1.0)
    out["importance"] = importance
    out["importance_source"] = source.astype(object)
    return out


def assign_quadrants(card: pd.DataFrame) -> tuple[pd.Series, dict[str, float]]:
    """Martilla & James quadrants for rated touchpoints, and the split values used."""
    rated = card["score"].notna()
    split_importance = float(card.loc[rated, "importance"].mean()) if rated.any() else math.nan
    important = card["importance"].to_numpy(dtype=float) >= split_importance
    meets = card["gap100"].to_numpy(dtype=float) >= 0
    quadrant = np.select(
        [important & ~meets, important & meets, ~important & ~meets],
        [QUADRANT_CONCENTRATE, QUADRANT_KEEP_UP, QUADRANT_LOW_PRIORITY],
        default=QUADRANT_OVERKILL,
    ).astype(object)
    quadrant = np.where(rated.to_numpy(), quadrant, None)
    splits = {"gap100": 0.0, "importance": split_importance}
    return pd.Series(quadrant, index=card.index, dtype=object), splits


def assign_rank(card: pd.DataFrame) -> pd.Series:
    """Rank confirmed touchpoints by priority (then the larger gap); others get no rank."""
    confirmed = card[card["status"] != STATUS_TOO_FEW]
    order = confirmed.sort_values(
        ["priority", "gap100", "importance", "touchpoint"],
        ascending=[False, True, False, True],
        kind="mergesort",
    )
    rank = pd.Series(pd.NA, index=card.index, dtype="Int64")
    rank.loc[order.index] = np.arange(1, len(order) + 1)
    return rank


def ipa_splits(card: pd.DataFrame) -> dict[str, float]:
    """Where the importance-performance chart is split: gap100 = 0 and the mean importance."""
    return dict(card.attrs.get("ipa_splits") or assign_quadrants(card)[1])


# -- derived importance -------------------------------------------------------------------------
def load_derived_importance(ws: Workspace, filters: Filters) -> pd.DataFrame | None:
    """Derived importance from :mod:`cxdash.drivers`, or None when it is unavailable."""
    try:
        return derived_importance(ws, filters)
    except CxdashError:
        return None


def _merge_derived(card: pd.DataFrame, derived: pd.DataFrame | None) -> pd.DataFrame:
    if derived is None or derived.empty or "touchpoint" not in derived:
        out = card.copy()
        out["importance_derived"] = np.nan
        return out
    weights = derived[["touchpoint", "importance_derived"]].drop_duplicates("touchpoint")
    return card.merge(weights, on="touchpoint", how="left")


# -- the scorecard ------------------------------------------------------------------------------
def _touchpoint_stats(ws: Workspace, filters: Filters, card: pd.DataFrame) -> pd.DataFrame:
    """Add the statistics of each touchpoint's target metric (n = 0 when it has none)."""
    found = level_stats(metric_levels(ws, filters), "touchpoint")
    out = card.merge(found, on=["touchpoint", "metric"], how="left")
    # A touchpoint without answers is placed on its metric's usual scale.
    usual = np.array([DEFAULT_SCALES[m] for m in out["metric"]], dtype=float).reshape(-1, 2)
    lo = out["scale_min"].to_numpy(dtype=float, na_value=np.nan)
    hi = out["scale_max"].to_numpy(dtype=float, na_value=np.nan)
    scales = {
        "scale_min": np.where(np.isnan(lo), usual[:, 0], lo),
        "scale_max": np.where(np.isnan(hi), usual[:, 1], hi),
    }
    return fill_missing_stats(out, scales)


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
    card = touchpoint_frame(ws, filters)
    card["metric"] = choose_metric(card)
    card = _touchpoint_stats(ws, filters, card)
    card = resolve_targets(card, targets)
    card = add_figures(card, card["target_unit"].tolist(), filters.min_n)
    card = card.rename(columns={"value": "score"})
    card["gap"] = (card["score"] - card["target"]).round(GAP_DECIMALS)
    card["gap100"] = (card["score100"] - card["target100"]).round(GAP_DECIMALS)
    card["status"] = assign_status(card, filters.min_n)
    if derived is None:
        derived = load_derived_importance(ws, filters)
    card = assign_importance(_merge_derived(card, derived))
    card["shortfall"] = (-card["gap100"]).clip(lower=0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    card["priority"] = card["importance"] * card["shortfall"]
    card["quadrant"], splits = assign_quadrants(card)
    card["rank"] = assign_rank(card)
    card = card.sort_values(
        ["rank", "stage_order", "stage", "touchpoint"], na_position="last", kind="mergesort"
    )
    out = card[SCORECARD_COLUMNS].reset_index(drop=True)
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
