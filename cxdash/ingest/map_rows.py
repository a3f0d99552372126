"""Touchpoint-map and brand-promise sheets as rows, and writing them to the workspace.

The map is the truth for each touchpoint's journey stage: writing it aligns the
feedback already loaded (see :func:`sync_feedback_with_map`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxdash.domain import PROVIDERS
from cxdash.errors import ImportRejected
from cxdash.ingest import values as V
from cxdash.ingest.cells import blank_rows, column_text
from cxdash.ingest.import_types import SheetResult
from cxdash.ingest.mapping import promise_entries
from cxdash.ingest.model import RawWorkbook, SheetPlan


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def prepare_map(
    wb: RawWorkbook, plans: list[SheetPlan]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[SheetResult]]:
    map_rows = promise_rows = None
    results = []
    for plan in plans:
        sheet = wb.sheet(plan.sheet)
        data = sheet.data.iloc[plan.data_start :]
        data = data[~blank_rows(data)]
        if plan.kind == "promise":
            promise_rows = pd.DataFrame(
                promise_entries(sheet, plan), columns=["kind", "name", "description"]
            )
            promise_rows["position"] = range(1, len(promise_rows) + 1)
        else:
            map_rows = _map_rows(data, plan, sheet.name)
        results.append(
            SheetResult(plan, pd.DataFrame(), pd.DataFrame(), len(data), [], list(plan.warnings))
        )
    if map_rows is None:
        raise ImportRejected(
            f"{wb.file_name} has no touchpoint map: a sheet needs at least a touchpoint column "
            "(and ideally journey stage, channel, owner, importance and promise target)."
        )
    return map_rows, promise_rows, results


def _map_rows(data: pd.DataFrame, plan: SheetPlan, sheet: str) -> pd.DataFrame:
    def col(role: str) -> pd.Series:
        c = plan.first(role)
        return (
            column_text(data[c.index])
            if c is not None
            else pd.Series(None, index=data.index, dtype=object)
        )

    tp = col("touchpoint")
    if plan.first("touchpoint") is None:
        raise ImportRejected(f"The sheet '{sheet}' has no touchpoint column.")
    out = pd.DataFrame(
        {
            "touchpoint": tp,
            "stage": col("stage"),
            "channel": col("channel"),
            "provider": col("provider").map(_provider),
            "owner": col("owner"),
            "pillar": col("pillar"),
            "description": col("description"),
        }
    )
    out = out[out["touchpoint"].notna()]
    dup = out["touchpoint"].str.casefold().duplicated()
    if dup.any():
        raise ImportRejected(
            f"The touchpoint map in '{sheet}' lists '{out['touchpoint'][dup].iloc[0]}' more than once; "
            "each touchpoint must appear once."
        )
    order_col = plan.first("stage_order")
    if order_col is not None:
        out["stage_order"] = V.to_number(data.loc[out.index, order_col.index]).astype("Int64")
    else:
        firsts = {s: i + 1 for i, s in enumerate(pd.unique(out["stage"].dropna()))}
        out["stage_order"] = out["stage"].map(firsts).astype("Int64")
    imp = plan.first("importance")
    out["importance"] = V.to_number(data.loc[out.index, imp.index]) if imp is not None else np.nan
    metric_col = plan.first("target_metric")
    metrics = (
        col("target_metric").loc[out.index]
        if metric_col is not None
        else pd.Series(None, index=out.index)
    )
    out["target_metric"] = metrics.map(_target_metric)
    target = plan.first("target")
    if target is not None:
        raw_t = data.loc[out.index, target.index]
        parsed = [_target(v, m) for v, m in zip(raw_t, out["target_metric"], strict=True)]
        out["target"] = [p[0] for p in parsed]
        out["target_unit"] = [p[1] for p in parsed]
    else:
        out["target"], out["target_unit"] = np.nan, None
    out["target_metric"] = out["target_metric"].where(
        out["target_metric"].notna() | out["target"].isna(), "csat"
    )
    return out.reset_index(drop=True)


def _provider(v: Any) -> str | None:
    if not v:
        return None
    s = str(v).strip().casefold()
    for p in PROVIDERS:
        if s == p.casefold() or s.replace("&", "and") == p.casefold():
            return p
    for key, p in (
        ("communic", "Communications"),
        ("identity", "Visual and verbal identity"),
        ("point of sale", "Product presence"),
        ("product", "Product presence"),
        ("co-brand", "Co-branding"),
        ("cobrand", "Co-branding"),
        ("spatial", "Spatial environments"),
        ("environment", "Spatial environments"),
        ("web", "Websites and electronic media"),
        ("electronic", "Websites and electronic media"),
        ("digital", "Websites and electronic media"),
        ("people", "People"),
        ("staff", "People"),
    ):
        if key in s:
            return p
    return str(v).strip()


def _target_metric(v: Any) -> str | None:
    if not v:
        return None
    s = str(v).strip().casefold()
    for m in ("nps", "csat", "ces", "overall", "rating"):
        if m in s:
            return m
    if "effort" in s:
        return "ces"
    if "satisf" in s:
        return "csat"
    if "recommend" in s:
        return "nps"
    return None


def _target(v: Any, metric: str | None) -> tuple[float, str | None]:
    """A promise target in the unit the map gives it: mean, share (%), nps or score."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return np.nan, None
    percent = isinstance(v, str) and v.strip().endswith("%")
    num = V.to_number(pd.Series([v], dtype=object)).iloc[0]
    if pd.isna(num):
        return np.nan, None
    if metric == "nps":
        return float(num), "nps"
    if percent:
        return float(num), "share"
    if 0 < num <= 1:
        return float(num) * 100.0, "share"
    if num > 10:
        return float(num), "share"
    return float(num), "mean"


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------
MAP_COLUMNS: tuple[str, ...] = (  # the touchpoints table's columns a map import writes
    "touchpoint",
    "stage",
    "stage_order",
    "channel",
    "provider",
    "owner",
    "importance",
    "pillar",
    "target",
    "target_unit",
    "target_metric",
    "description",
    "import_id",
)


def write_map(cur: Any, map_rows: pd.DataFrame, promise: pd.DataFrame) -> None:
    """Replace the touchpoint map and promise, then align feedback stages with the map."""
    write_promise(cur, promise)
    write_touchpoints(cur, map_rows)


def write_touchpoints(cur: Any, map_rows: pd.DataFrame) -> None:
    """Replace the touchpoint map, then align feedback stages with it."""
    cur.execute("DELETE FROM touchpoints")
    if len(map_rows):
        frame = map_rows.reindex(columns=list(MAP_COLUMNS))
        frame = frame.astype(object).where(frame.notna(), None)
        cur.register("_map", frame)
        cur.execute(
            f"INSERT INTO touchpoints ({', '.join(MAP_COLUMNS)}) SELECT {', '.join(MAP_COLUMNS)} FROM _map"
        )
        cur.unregister("_map")
    sync_feedback_with_map(cur)


def write_promise(cur: Any, promise: pd.DataFrame) -> None:
    """Replace the brand promise and its reasons to believe."""
    cur.execute("DELETE FROM promise")
    if len(promise):
        frame = promise.reindex(columns=["position", "kind", "name", "description"])
        frame = frame.astype(object).where(frame.notna(), None)
        cur.register("_promise", frame)
        cur.execute("INSERT INTO promise SELECT position, kind, name, description FROM _promise")
        cur.unregister("_promise")


def sync_feedback_with_map(cur: Any) -> None:
    """The map is the truth for each touchpoint's journey stage and name spelling."""
    cur.execute(
        """
        UPDATE feedback SET stage = tp.stage, touchpoint = tp.touchpoint,
               channel = coalesce(feedback.channel, tp.channel)
        FROM touchpoints tp
        WHERE lower(trim(feedback.touchpoint)) = lower(trim(tp.touchpoint))
          AND (feedback.stage IS DISTINCT FROM tp.stage OR feedback.touchpoint <> tp.touchpoint
               OR (feedback.channel IS NULL AND tp.channel IS NOT NULL))
          AND tp.stage IS NOT NULL
        """
    )
