"""Trends over time and period-on-period comparisons with significance tests.

:func:`series` gives a metric's standard figure per week or month (NPS,
top-box share %, or the mean for ratings), optionally per touchpoint or per
experience theme. :func:`compare_periods` tests whether a change between two
periods is more than noise:

* NPS -- the NPS difference z-test (domain.md's NPS variance);
* CSAT / CES shares, and binary overall outcomes -- the pooled two-proportion z-test;
* means (ratings, overall scores) -- Welch's t-test.

A result is called significant at p < 0.05.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from cxdash import stats
from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.metrics import (
    STANDARD_UNIT,
    add_figures,
    check_metric,
    convert_units,
    fill_missing_stats,
    metric_stats,
)
from cxdash.promise import (
    choose_metric,
    get_default_targets,
    resolve_targets,
    touchpoint_frame,
)
from cxdash.workspace import Workspace

GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter")
SERIES_BY: tuple[str | None, ...] = (None, "touchpoint", "theme")
ALPHA = 0.05
DEFAULT_PERIOD_MONTHS = 3

Period = tuple[date, date]


def _group_for(by: str | None) -> tuple[list[tuple[str, str]], str]:
    if by not in SERIES_BY:
        raise CxdashError("A trend can be split by touchpoint or by theme, or not at all.")
    if by == "touchpoint":
        return [("group", "f.touchpoint")], "f.touchpoint IS NOT NULL"
    if by == "theme":
        return [("group", "unnest(f.themes)")], ""
    return [], ""


def _series_targets(
    ws: Workspace, filters: Filters, frame: pd.DataFrame, metric: str, by: str | None, unit: str
) -> np.ndarray:
    """The target per row in the series' unit: the touchpoint's own target when it is set for
    this metric (by touchpoint), else the workspace default; NaN when the units cannot meet."""
    defaults = get_default_targets(ws)
    work = frame[["scale_min", "scale_max"]].copy()
    work["metric"] = metric
    work["map_target"] = np.nan
    work["map_unit"] = None
    if by == "touchpoint" and len(frame):
        info = touchpoint_frame(ws, filters)
        info["metric"] = choose_metric(info)
        own = info[info["metric"] == metric].set_index("touchpoint")
        work["map_target"] = frame["group"].map(own["map_target"]).astype(float).to_numpy()
        work["map_unit"] = frame["group"].map(own["map_unit"]).to_numpy(dtype=object)
    resolved = resolve_targets(work, defaults)
    return convert_units(
        resolved["target"], resolved["target_unit"], unit, work["scale_min"], work["scale_max"]
    )


def series(
    ws: Workspace,
    filters: Filters,
    metric: str,
    by: str | None = None,
    grain: str = "month",
    unit: str | None = None,
) -> pd.DataFrame:
    """A metric's standard figure per period (and per touchpoint or theme).

    ``unit`` asks for another figure than the standard one, e.g. ``"mean"`` for a
    touchpoint whose promise target is a mean rating. Columns: ``period`` (start of the week/month), [``group``], ``n``,
    ``unit``, ``value``, ``ci_low``, ``ci_high``, ``target``,
    ``directional``. Answers without a date are left out.
    """
    check_metric(metric)
    if grain not in GRAINS:
        raise CxdashError(f"Trends can be shown per {', '.join(GRAINS)}; not per {grain!r}.")
    groups, where = _group_for(by)
    found = metric_stats(
        ws,
        filters,
        metrics=[metric],
        groups=[("period", "date_trunc(?, f.ts)"), *groups],
        group_params=[grain],
        where=" AND ".join(w for w in ("f.ts IS NOT NULL", where) if w),
    )
    unit = unit or STANDARD_UNIT[metric]
    out = add_figures(found, unit, filters.min_n)
    out["target"] = _series_targets(ws, filters, out, metric, by, unit)
    keys = ["period", "group"] if by else ["period"]
    columns = [*keys, "n", "unit", "value", "ci_low", "ci_high", "target", "directional"]
    out = out.sort_values(keys, kind="mergesort")[columns].reset_index(drop=True)
    out.attrs.update({"metric": metric, "by": by, "grain": grain})
    return out


# -- period comparison -----------------------------------------------------------------------
def _period_stats(
    ws: Workspace, filters: Filters, metric: str, period: Period, theme: str | None
) -> pd.DataFrame:
    start, end = sorted(period)
    where = "f.ts >= ? AND f.ts < ?"
    params: list[Any] = [start, end + timedelta(days=1)]
    if theme:
        where += " AND list_contains(f.themes, ?)"
        params.append(theme)
    found = metric_stats(ws, filters, metrics=[metric], where=where, where_params=params)
    frame = found.set_index("metric").reindex([metric]).rename_axis("metric").reset_index()
    return add_figures(fill_missing_stats(frame), STANDARD_UNIT[metric], filters.min_n)


def _test(metric: str, a: pd.Series, b: pd.Series) -> stats.TestResult:
    unit = STANDARD_UNIT[metric]
    binary = bool(a["all_binary"]) and bool(b["all_binary"])
    if unit == "nps":
        return stats.nps_difference_test(
            int(a["promoters"]),
            int(a["detractors"]),
            int(a["n"]),
            int(b["promoters"]),
            int(b["detractors"]),
            int(b["n"]),
        )
    if unit == "share" or (unit == "score" and binary):
        return stats.two_proportion_ztest(
            int(a["positives"]), int(a["n"]), int(b["positives"]), int(b["n"])
        )
    column, sd = ("mean_value", "sd_value") if unit == "mean" else ("mean_score", "sd_score")
    return stats.welch_test(
        float(a[column]), float(a[sd]), int(a["n"]), float(b[column]), float(b[sd]), int(b["n"])
    )


def _plain(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _side(period: Period, row: pd.Series) -> dict[str, Any]:
    start, end = sorted(period)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "value": _plain(row["value"]),
        "ci_low": _plain(row["ci_low"]),
        "ci_high": _plain(row["ci_high"]),
        "n": int(row["n"]),
        "directional": bool(row["directional"]),
    }


_METRIC_NAMES = {
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "overall": "The overall score",
    "rating": "The rating",
}
_UNIT_WORDS = {"nps": "points", "share": "percentage points", "mean": "", "score": "points"}


def describe_change(metric: str, result: dict[str, Any]) -> str:
    """One plain sentence about the change between the periods."""
    a, b = result["period_a"]["value"], result["period_b"]["value"]
    if a is None or b is None:
        return "There are not enough answers in both periods to compare them."
    diff = result["difference"]
    name = _METRIC_NAMES.get(metric, metric.upper())
    if round(abs(diff), 1) == 0:
        head = f"{name} held at {b:.1f} (from {a:.1f})."
    else:
        direction = "rose" if diff > 0 else "fell"
        words = _UNIT_WORDS[result["unit"]]
        head = f"{name} {direction} by {abs(diff):.1f}{' ' + words if words else ''} (from {a:.1f} to {b:.1f})."
    if result["p"] is None:
        return head + " There are too few answers to test whether the change is real."
    if result["significant"]:
        return head + f" The change is statistically significant (p = {result['p']:.3f})."
    return head + f" The change may be chance (p = {result['p']:.2f}, not significant)."


def compare_periods(
    ws: Workspace,
    filters: Filters,
    metric: str,
    period_a: Period,
    period_b: Period,
    theme: str | None = None,
) -> dict[str, Any]:
    """Compare a metric between period A and period B (dates inclusive), optionally for the
    answers carrying one experience theme.

    Returns ``metric``, ``unit``, ``test``, ``period_a`` / ``period_b`` (each
    ``from``, ``to``, ``value``, ``ci_low``, ``ci_high``, ``n``,
    ``directional``), ``difference`` (B - A, in the unit of the figure:
    NPS points, percentage points, scale points), ``z`` (the test statistic;
    Welch's t for means), ``p``, ``significant`` (p < 0.05) and ``message``.
    """
    check_metric(metric)
    a = _period_stats(ws, filters, metric, period_a, theme).iloc[0]
    b = _period_stats(ws, filters, metric, period_b, theme).iloc[0]
    result = _test(metric, a, b)
    value_a, value_b = _plain(a["value"]), _plain(b["value"])
    out: dict[str, Any] = {
        "metric": metric,
        "unit": STANDARD_UNIT[metric],
        "theme": theme,
        "test": result.test,
        "period_a": _side(period_a, a),
        "period_b": _side(period_b, b),
        "difference": None if value_a is None or value_b is None else value_b - value_a,
        "z": _plain(result.statistic),
        "p": _plain(result.p_value),
        "df": None if result.df is None else _plain(result.df),
        "significant": result.significant(ALPHA),
    }
    out["message"] = describe_change(metric, out)
    return out


def _months_before(day: date, months: int) -> date:
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def default_periods(ws: Workspace, filters: Filters) -> tuple[Period, Period] | None:
    """The last three months up to the data's latest date (B) and the three months before (A).

    None when no (filtered) answer has a date.
    """
    sql, params = filters.to_sql("f")
    latest = ws.fetchall(f"SELECT max(f.ts) FROM feedback f WHERE {sql}", params)[0][0]
    if latest is None:
        return None
    end_b = latest.date() if hasattr(latest, "date") else latest
    start_b = _months_before(end_b + timedelta(days=1), DEFAULT_PERIOD_MONTHS)
    end_a = start_b - timedelta(days=1)
    start_a = _months_before(start_b, DEFAULT_PERIOD_MONTHS)
    return (start_a, end_a), (start_b, end_b)


KPI_METRICS: tuple[str, ...] = ("nps", "csat", "ces", "overall")


def comparison_periods(ws: Workspace, filters: Filters) -> tuple[Period, Period] | None:
    """The period the user looks at (B) and the one before it (A), of equal length.

    With a date filter, B is the filtered range; without one, B is the last three
    months of data (see :func:`default_periods`).
    """
    if filters.date_from and filters.date_to:
        length = filters.date_to - filters.date_from
        end_a = filters.date_from - timedelta(days=1)
        return (end_a - length, end_a), (filters.date_from, filters.date_to)
    return default_periods(ws, filters)


def kpi_changes(ws: Workspace, filters: Filters) -> dict[str, dict[str, Any]]:
    """Each headline KPI compared between the previous period and the current one."""
    periods = comparison_periods(ws, filters)
    if periods is None:
        return {}
    undated = filters.with_(date_from=None, date_to=None)
    return {m: compare_periods(ws, undated, m, *periods) for m in KPI_METRICS}
