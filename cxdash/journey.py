"""The customer journey: stage x touchpoint and stage x channel matrices, the weakest stage and
the moments of truth.

A cell's figure is each touchpoint's target metric in its target's unit (as on
the scorecard), put on 0-100 (``score100``) so cells of different metrics can
sit side by side; ``gap100`` is the cell's distance to the touchpoint's target
on that 0-100 scale. A feedback row's stage is its own, else the stage the
touchpoint map gives. Stages follow the map's ``stage_order``; stages the map
does not order come after, alphabetically, and answers without a stage last.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxdash.filters import Filters
from cxdash.metrics import (
    CELL_STAGE,
    FACTS,
    Columns,
    as_float,
    as_text,
    columns_of,
    figure_columns,
    frame_of,
    gather,
    level_columns,
    metric_levels,
    metric_stats,
    row_lookup,
    sort_order,
)
from cxdash.promise import (
    GAP_DECIMALS,
    STATUS_TOO_FEW,
    choose_metric,
    get_default_targets,
    load_derived_importance,
    scorecard,
    target_columns,
    touchpoint_frame,
)
from cxdash.workspace import Workspace


def stage_orders(ws: Workspace) -> pd.DataFrame:
    """``stage`` -> ``stage_order`` from the touchpoint map (the smallest order given per stage).

    A fact about the whole workspace: read once per data version (a copy is returned)."""
    found = FACTS.get(
        ws,
        ("stage_orders",),
        lambda: ws.query_df(
            "SELECT stage, min(stage_order) AS stage_order FROM touchpoints "
            "WHERE stage IS NOT NULL GROUP BY stage"
        ),
    )
    return found.copy()


def order_stages(frame: pd.DataFrame, ws: Workspace, extra_keys: list[str]) -> pd.DataFrame:
    """Attach ``stage_order`` and sort: ordered stages, then unordered ones A-Z, then no stage."""
    out = frame.drop(columns=["stage_order"], errors="ignore")
    out["stage_order"] = stage_order_of(ws, out["stage"])
    order = journey_order(out["stage"], out["stage_order"], *(out[key] for key in extra_keys))
    return out.take(order).reset_index(drop=True)


def stage_order_of(ws: Workspace, stages: Any) -> np.ndarray:
    """Each stage's ``stage_order`` from the map (NaN where the map does not order it)."""
    orders = stage_orders(ws)
    rows = row_lookup(as_text(orders["stage"]), as_text(stages))
    return gather(orders["stage_order"].to_numpy(), rows, np.nan)


def journey_order(stages: Any, stage_order: Any, *extra: Any) -> np.ndarray:
    """Row order for journey order: ordered stages, then unordered ones A-Z, then no stage;
    ties by ``extra`` keys in turn."""
    no_stage = np.array([s is None for s in as_text(stages)], dtype=bool)
    unordered = np.isnan(as_float(stage_order))
    keys = [no_stage, unordered, stage_order, stages, *extra]
    return sort_order([(key, False) for key in keys])


def _cell_stats(ws: Workspace, filters: Filters, by_channel: bool) -> Columns:
    """Statistics per (stage, touchpoint[, channel]) and metric; the stage x touchpoint cells
    come from the aggregate the KPIs and the scorecard share (:func:`metric_levels`)."""
    if not by_channel:
        return level_columns(metric_levels(ws, filters), "cell")
    groups = [("stage", CELL_STAGE), ("touchpoint", "f.touchpoint"), ("channel", "f.channel")]
    found = metric_stats(
        ws, filters, groups=groups, where="f.touchpoint IS NOT NULL", join_map=True
    )
    return columns_of(found)


def journey_cell_columns(ws: Workspace, filters: Filters, by_channel: bool = False) -> Columns:
    """:func:`journey_cells` as :data:`Columns` (rows in no particular order)."""
    info = touchpoint_frame(ws, filters)
    metric = choose_metric(info)
    stats = _cell_stats(ws, filters, by_channel)
    rows = row_lookup(
        list(zip(as_text(info["touchpoint"]), metric, strict=True)),
        list(zip(stats["touchpoint"], stats["metric"], strict=True)),
    )
    kept = rows >= 0
    cells = {name: values[kept] for name, values in stats.items()}
    cells["map_target"] = as_float(info["map_target"])[rows[kept]]
    cells["map_unit"] = as_text(info["map_unit"])[rows[kept]]
    cells |= target_columns(cells, get_default_targets(ws))
    cells |= figure_columns(cells, cells["target_unit"], filters.min_n)
    cells["gap100"] = np.round(cells["score100"] - cells["target100"], GAP_DECIMALS)
    cells["score"] = cells.pop("value")
    return cells


def journey_cells(ws: Workspace, filters: Filters, by_channel: bool = False) -> pd.DataFrame:
    """One row per (stage, touchpoint[, channel]) with the touchpoint's target metric figure."""
    cells = journey_cell_columns(ws, filters, by_channel)
    return frame_of(cells, list(cells))


def stage_touchpoint_matrix(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """Long frame: ``stage``, ``stage_order``, ``touchpoint``, ``metric``, ``n``, ``score``,
    ``score100``, ``target100``, ``gap100``, ``directional``; in journey order."""
    cells = journey_cell_columns(ws, filters)
    cells["stage_order"] = stage_order_of(ws, cells["stage"])
    order = journey_order(cells["stage"], cells["stage_order"], cells["touchpoint"])
    columns = ["stage", "stage_order", "touchpoint", "metric", "n", "score", "score100"]
    return frame_of(cells, [*columns, "target100", "gap100", "directional"], order)


def stage_channel_matrix(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """Long frame: ``stage``, ``stage_order``, ``channel``, ``n``, ``score100``, ``gap100``,
    ``touchpoints``, ``directional``.

    A (stage, channel) cell pools its touchpoints: ``score100`` and ``gap100``
    are their n-weighted means.
    """
    cells = journey_cells(ws, filters, by_channel=True)
    cells = cells.assign(w_score=cells["score100"] * cells["n"], w_gap=cells["gap100"] * cells["n"])
    pooled = (
        cells.groupby(["stage", "channel"], dropna=False)
        .agg(
            n=("n", "sum"),
            w_score=("w_score", "sum"),
            w_gap=("w_gap", "sum"),
            touchpoints=("touchpoint", "nunique"),
        )
        .reset_index()
    )
    n = pooled["n"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled["score100"] = np.where(n > 0, pooled["w_score"] / n, np.nan)
        pooled["gap100"] = np.where(n > 0, pooled["w_gap"] / n, np.nan).round(GAP_DECIMALS)
    pooled["directional"] = n < filters.min_n
    out = order_stages(pooled, ws, ["channel"])
    return out[
        ["stage", "stage_order", "channel", "n", "score100", "gap100", "touchpoints", "directional"]
    ]


def stage_gaps(ws: Workspace, filters: Filters, card: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per stage: the importance-weighted mean ``gap100`` of its confirmed touchpoints.

    Confirmed = not ``too few responses`` (n >= ``filters.min_n``), so a stage
    only gets a figure when it has enough answers. Columns: ``stage``,
    ``stage_order``, ``gap100``, ``n``, ``touchpoints``, ``confirmed``.
    """
    card = scorecard(ws, filters) if card is None else card
    confirmed = card["status"] != STATUS_TOO_FEW
    work = card.assign(
        w=card["importance"].where(confirmed, 0.0),
        w_gap=(card["importance"] * card["gap100"]).where(confirmed, 0.0),
        n_confirmed=card["n"].where(confirmed, 0),
        is_confirmed=confirmed.astype(int),
    )
    stages = (
        work.groupby("stage", dropna=False)
        .agg(
            w=("w", "sum"),
            w_gap=("w_gap", "sum"),
            n=("n_confirmed", "sum"),
            touchpoints=("touchpoint", "count"),
            confirmed=("is_confirmed", "sum"),
        )
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(stages["w"] > 0, stages["w_gap"] / stages["w"], np.nan)
    stages["gap100"] = np.round(gap, GAP_DECIMALS)
    out = order_stages(stages.drop(columns=["w", "w_gap"]), ws, [])
    return out[["stage", "stage_order", "gap100", "n", "touchpoints", "confirmed"]]


def weakest_stage(
    ws: Workspace, filters: Filters, card: pd.DataFrame | None = None
) -> dict[str, Any] | None:
    """The stage with the lowest importance-weighted mean gap (see :func:`stage_gaps`), or None
    when no stage has a confirmed touchpoint."""
    stages = stage_gaps(ws, filters, card)
    rated = stages[stages["gap100"].notna()]
    if rated.empty:
        return None
    worst = rated.sort_values(["gap100", "stage"], kind="mergesort").iloc[0]
    return {
        "stage": None if pd.isna(worst["stage"]) else str(worst["stage"]),
        "stage_order": None if pd.isna(worst["stage_order"]) else int(worst["stage_order"]),
        "gap100": float(worst["gap100"]),
        "n": int(worst["n"]),
        "touchpoints": int(worst["touchpoints"]),
        "confirmed": int(worst["confirmed"]),
    }


def moments_of_truth(
    ws: Workspace, filters: Filters, top: int = 3, derived: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``top`` touchpoints with the highest derived importance (``basis`` = "derived").

    When no derived importance is available (too little data, or the drivers
    module is missing), falls back to the map's stated importance
    (``basis`` = "stated"). Columns: ``touchpoint``, ``stage``, ``owner``,
    ``importance``, ``basis``.
    """
    if derived is None:
        derived = load_derived_importance(ws, filters)
    info = touchpoint_frame(ws, filters)[["touchpoint", "stage", "owner", "importance_stated"]]
    info = info.rename(columns={"importance_stated": "importance"})
    columns = ["touchpoint", "stage", "owner", "importance", "basis"]
    if derived is not None and not derived.empty:
        ranked = derived[["touchpoint", "importance_derived"]].rename(
            columns={"importance_derived": "importance"}
        )
        ranked = ranked.merge(info.drop(columns=["importance"]), on="touchpoint", how="left")
        ranked["basis"] = "derived"
    else:
        ranked = info[info["importance"].notna()].assign(basis="stated")
    ranked = ranked.sort_values(["importance", "touchpoint"], ascending=[False, True])
    return ranked[columns].head(max(int(top), 0)).reset_index(drop=True)
