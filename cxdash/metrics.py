"""Headline CX metrics with confidence intervals: NPS, CSAT, CES, ratings and the overall outcome.

Everything is aggregated by DuckDB (:func:`metric_stats`) and turned into
figures with vectorised numpy (:func:`add_figures`), one row per group. What a
dashboard page needs from several functions (KPIs, promise scorecard, journey
cells) comes from one grouped aggregate, :func:`metric_levels`; it is computed,
with the touchpoint frame (:mod:`cxdash.promise`) and the theme counts
(:mod:`cxdash.themes`), in one query over a single scan of the filtered rows
(:func:`scan_result`), once per filter state: results are memoised per open
workspace and data version (:class:`WorkspaceMemo`), so they are never stale
after an import.

Definitions (``docs``: domain.md §6):

* **NPS** -- answers on 0-10 (or 1-10); promoters 9-10, detractors 0-6; other
  scales are mapped onto 0-10 through the normalised score first. Interval:
  NPS ± z·√(100²·[p + d − (p − d)²]/n).
* **CSAT** -- the top-2-box share: the two highest points of the scale (4-5 on
  1-5); on a two-point (binary) scale, the top point. Wilson interval.
* **CES** -- the share above the scale's midpoint (5-7 on 1-7, i.e. the top
  three points). Reversed CES wording was turned round at import. Wilson interval.
* **rating** -- the mean on the native scale, with a t interval.
* **overall** -- the mean of the 0-100 score; for binary outcomes (scale 0-1)
  that mean *is* the share positive, and the interval is Wilson's.

Counting unit: ``nps`` and ``overall`` are response-level outcomes, so each
response (one ``response_key``: an ``import_id`` and ``response_id``) counts once per group
even if the import repeated the answer on several rows (the repeated values are averaged).
CSAT, CES and ratings count every answer (a response may rate many touchpoints).

A figure's unit is one of ``nps`` (-100..+100), ``share`` (percent),
``mean`` (native scale) or ``score`` (0-100); ``score100`` puts every figure on
0-100 (NPS as (NPS + 100) / 2, a mean as its position on the scale), so gaps
in different units can be compared.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from cxdash import stats
from cxdash.errors import CxdashError
from cxdash.filters import DEFAULT_MIN_N, Filters
from cxdash.workspace import Workspace

T = TypeVar("T")

METRICS: tuple[str, ...] = ("nps", "csat", "ces", "rating", "overall")
KPI_METRICS: tuple[str, ...] = ("nps", "csat", "ces", "overall")
UNITS: tuple[str, ...] = ("mean", "share", "nps", "score")
RESPONSE_LEVEL_METRICS: tuple[str, ...] = ("nps", "overall")
STANDARD_UNIT: dict[str, str] = {
    "nps": "nps",
    "csat": "share",
    "ces": "share",
    "rating": "mean",
    "overall": "score",
}
# Scale assumed when a touchpoint has no answers yet (to place a mean target on 0-100).
DEFAULT_SCALES: dict[str, tuple[float, float]] = {
    "nps": (0.0, 10.0),
    "csat": (1.0, 5.0),
    "ces": (1.0, 7.0),
    "rating": (1.0, 5.0),
    "overall": (1.0, 5.0),
}
KPI_LABELS: dict[str, str] = {
    "nps": "Net Promoter Score",
    "csat": "Customer satisfaction (top-2-box %)",
    "ces": "Customer effort (share finding it easy, %)",
    "overall": "Overall outcome (0-100)",
}
CONFIDENCE = stats.DEFAULT_CONFIDENCE
# Built-in grouping columns for metric_by; anything else is a segment dimension.
GROUP_COLUMNS: dict[str, str] = {
    "stage": "f.stage",
    "touchpoint": "f.touchpoint",
    "channel": "f.channel",
    "language": "f.language",
}


def check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise CxdashError(
            f"There is no metric called {metric!r}; choose one of {', '.join(METRICS)}."
        )
    return metric


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes (inner quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


# -- a memo of query results per workspace and data version -----------------------------------
MEMO_SIZE = 16  # results kept per open workspace (a few filter states of a few result kinds)


class WorkspaceMemo:
    """A small LRU of query results per open :class:`Workspace`, valid for one data version.

    Entries are keyed by ``(ws.version_token(), key)`` (the data version, reread only when
    this process wrote to the file): every committed write bumps the data version, so a
    result computed before an import is never returned after it.
    The workspace object itself is held weakly, so closing and dropping it frees its
    entries (and a workspace opened again on the same file starts empty). Thread-safe;
    two threads missing the same key may both compute it.
    """

    def __init__(self, maxsize: int = MEMO_SIZE) -> None:
        self.maxsize = maxsize
        self._entries: weakref.WeakKeyDictionary[Workspace, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def get(self, ws: Workspace, key: Hashable, compute: Callable[[], T]) -> T:
        """The memoised result for ``key`` at the workspace's current data version."""
        full_key = (ws.version_token(), key)
        with self._lock:
            entries = self._entries.setdefault(ws, OrderedDict())
            if full_key in entries:
                entries.move_to_end(full_key)
                return entries[full_key]
        value = compute()
        with self._lock:
            entries = self._entries.setdefault(ws, OrderedDict())
            entries[full_key] = value
            while len(entries) > self.maxsize:
                entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every memoised result."""
        with self._lock:
            self._entries.clear()


MEMO = WorkspaceMemo()  # results per filter state
FACTS = WorkspaceMemo(maxsize=8)  # facts about the whole workspace (no filter)


def clear_memo() -> None:
    """Forget every memoised query result and workspace fact."""
    MEMO.clear()
    FACTS.clear()


def row_filters(filters: Filters) -> Filters:
    """The part of ``filters`` that selects rows (``min_n`` only flags figures): a memo key."""
    return filters if filters.min_n == DEFAULT_MIN_N else filters.with_(min_n=DEFAULT_MIN_N)


# -- aggregation in DuckDB -------------------------------------------------------------------
# An answer's classification (needs value, score, scale_min, scale_max of the answer).
_CLASSIFY = """CASE WHEN scale_max = 10 THEN value ELSE round(score / 10, 6) END AS nps_point,
               scale_max - scale_min <= 1 AS is_binary"""
# Sufficient statistics of a group of classified answers.
_STATS = """count(*) AS n,
           count_if(CASE WHEN metric = 'nps' THEN nps_point >= 9
                         WHEN is_binary THEN value >= scale_max
                         WHEN metric = 'ces' THEN value > (scale_min + scale_max) / 2
                         ELSE value >= scale_max - 1 END) AS positives,
           count_if(nps_point >= 9) AS promoters,
           count_if(nps_point <= 6) AS detractors,
           avg(value) AS mean_value, stddev_samp(value) AS sd_value,
           avg(score) AS mean_score, stddev_samp(score) AS sd_score,
           min(scale_min) AS scale_min, max(scale_max) AS scale_max,
           bool_and(is_binary) AS all_binary,
           (min(scale_min) <> max(scale_min) OR min(scale_max) <> max(scale_max)) AS mixed_scale"""
STAT_COLUMNS: tuple[str, ...] = (
    "n",
    "positives",
    "promoters",
    "detractors",
    "mean_value",
    "sd_value",
    "mean_score",
    "sd_score",
    "scale_min",
    "scale_max",
    "all_binary",
    "mixed_scale",
)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def repeats_response_level_answers(ws: Workspace) -> bool:
    """True when some response has a response-level metric (NPS, overall) on several rows
    with the same scale, e.g. a long export repeating the NPS on every touchpoint row.

    Only then must the answers be averaged per response before they are counted; when no
    response repeats one, that step changes nothing and the queries skip it. A fact about
    the whole workspace, so it holds for every filter: memoised per data version.
    """

    def query() -> bool:
        sql = f"""
        SELECT EXISTS (
            SELECT 1 FROM feedback
            WHERE metric IN ({_marks(RESPONSE_LEVEL_METRICS)})
              AND value IS NOT NULL AND score IS NOT NULL
            GROUP BY response_key, metric, scale_min, scale_max
            HAVING count(*) > 1
        )
        """
        return bool(ws.fetchall(sql, list(RESPONSE_LEVEL_METRICS))[0][0])

    return FACTS.get(ws, ("repeats_response_level_answers",), query)


def _answers_sql(key: str, dedupe: bool) -> tuple[str, list[Any]]:
    """CTE ``answers`` over CTE ``rows``: response-level metrics averaged per response within
    each group (``key``: the group columns, each followed by a comma) when ``dedupe``."""
    if not dedupe:
        return "answers AS (SELECT * FROM rows)", []
    level = _marks(RESPONSE_LEVEL_METRICS)
    sql = f"""answers AS (
        SELECT {key}metric, value, score, scale_min, scale_max FROM rows
        WHERE metric NOT IN ({level})
        UNION ALL
        SELECT {key}metric, avg(value), avg(score), scale_min, scale_max FROM rows
        WHERE metric IN ({level})
        GROUP BY {key}metric, response_key, scale_min, scale_max
    )"""
    return sql, [*RESPONSE_LEVEL_METRICS, *RESPONSE_LEVEL_METRICS]


def metric_stats(
    ws: Workspace,
    filters: Filters,
    *,
    metrics: Sequence[str] = METRICS,
    groups: Sequence[tuple[str, str]] = (),
    group_params: Sequence[Any] = (),
    where: str = "",
    where_params: Sequence[Any] = (),
    join_map: bool = False,
    from_extra: str = "",
) -> pd.DataFrame:
    """Sufficient statistics per group and metric, one row each.

    ``groups`` are ``(output name, SQL expression)`` pairs written by this
    package (never user text); their ``?`` placeholders take ``group_params``.
    ``where`` adds a condition (with ``where_params``) to the filters.
    ``join_map`` makes the touchpoint map available as ``t``; ``from_extra``
    is appended to the FROM clause (e.g. an ``unnest``).
    """
    for m in metrics:
        check_metric(m)
    names = [quote_ident(name) for name, _ in groups]
    select_groups = "".join(
        f"{expr} AS {name}, " for name, (_, expr) in zip(names, groups, strict=True)
    )
    key = "".join(f"{n}, " for n in names)
    filter_sql, filter_params = filters.to_sql("f")
    join = " LEFT JOIN touchpoints t ON t.touchpoint = f.touchpoint" if join_map else ""
    # An unnest can turn one row into several of the same group: always average those.
    dedupe = bool(from_extra) or repeats_response_level_answers(ws)
    answers, answer_params = _answers_sql(key, dedupe)
    sql = f"""
    WITH rows AS (
        SELECT {select_groups}f.metric, f.response_key, f.value, f.score,
               f.scale_min, f.scale_max
        FROM feedback f{join}{from_extra}
        WHERE f.metric IN ({_marks(metrics)}) AND f.value IS NOT NULL
          AND f.score IS NOT NULL AND ({filter_sql}){f" AND ({where})" if where else ""}
    ), {answers}, classified AS (
        SELECT *, {_CLASSIFY} FROM answers
    )
    SELECT {key}metric, {_STATS}
    FROM classified
    GROUP BY ALL
    """
    params = [*group_params, *metrics, *filter_params, *where_params, *answer_params]
    return ws.query_df(sql, params)


# -- one scan of the filtered rows for a whole page -------------------------------------------
# Columns of CTE ``sel``, the filtered feedback rows every part of the shared scan reads.
SCAN_COLUMNS: tuple[str, ...] = (
    "response_key",
    "ts",
    "stage",
    "touchpoint",
    "channel",
    "metric",
    "value",
    "score",
    "scale_min",
    "scale_max",
)


@dataclass(frozen=True)
class ScanPart:
    """A per-filter result computed in the page's shared scan (see :func:`scan_result`).

    ``ctes(ws, filters)`` gives SQL for one or more CTEs (comma-separated, with names of the
    part's own) that read CTE ``sel`` -- the filtered feedback rows, columns
    :data:`SCAN_COLUMNS` -- the last of them named ``name``, and their parameters. ``order``
    (SQL over that CTE's columns) sorts its rows; ``finish(ws, filters, frame)`` turns the
    rows into the result.
    """

    name: str
    ctes: Callable[[Workspace, Filters], tuple[str, list[Any]]]
    finish: Callable[[Workspace, Filters, pd.DataFrame], pd.DataFrame]
    order: str = ""


SCAN_PARTS: dict[str, ScanPart] = {}


def register_scan_part(part: ScanPart) -> None:
    """Compute ``part`` in every shared scan from now on (modules call this at import time)."""
    SCAN_PARTS[part.name] = part


def scan_result(ws: Workspace, filters: Filters, name: str) -> pd.DataFrame:
    """The result of scan part ``name`` for this filter state (a copy: change it freely).

    The first part a page asks for runs one query that computes every registered part from
    a single scan of the filtered rows, so the KPIs, scorecard, journey and themes of one
    filter state share their most expensive step; the results are memoised per filter
    state and data version (:data:`MEMO`), so the other parts are then looked up.
    """
    key = row_filters(filters)
    results = MEMO.get(
        ws, ("scan", key), lambda: _run_scan(ws, filters, tuple(SCAN_PARTS.values()))
    )
    if name not in results:  # registered after this filter state was scanned
        part = SCAN_PARTS[name]
        results = MEMO.get(ws, ("scan", key, name), lambda: _run_scan(ws, filters, (part,)))
    return results[name].copy()


def _run_scan(
    ws: Workspace, filters: Filters, parts: Sequence[ScanPart]
) -> dict[str, pd.DataFrame]:
    """One query for ``parts``: each part's rows come back as one list of structs (all in one
    row), unpacked into a frame per part by :func:`_unpack`."""
    where, params = filters.to_sql("f")
    columns = ", ".join(f"f.{c}" for c in SCAN_COLUMNS)
    ctes = [f"sel AS MATERIALIZED (SELECT {columns} FROM feedback f WHERE {where})"]
    packed: list[str] = []
    for part in parts:
        sql, part_params = part.ctes(ws, filters)
        ctes.append(sql)
        params.extend(part_params)
        order = f" ORDER BY {part.order}" if part.order else ""
        packed.append(f"(SELECT list(r{order}) FROM {part.name} r) AS {quote_ident(part.name)}")
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(packed)}"
    # Executed and fetched as Python rows: a relation (``con.sql``) would bind this large
    # query once to describe it and again to run it, and the result is one row.
    cur = ws.cursor()
    try:
        row = cur.execute(sql, params).fetchone()
        types = [column[1] for column in cur.description]
    finally:
        cur.close()
    assert row is not None  # a SELECT without FROM returns one row
    return {
        part.name: part.finish(ws, filters, _unpack(rows, kind))
        for part, rows, kind in zip(parts, row, types, strict=True)
    }


# DuckDB integer types and the numpy / nullable pandas dtype of a column of them.
_INTEGER_DTYPES: dict[str, str] = {
    "tinyint": "Int8",
    "smallint": "Int16",
    "integer": "Int32",
    "bigint": "Int64",
    "utinyint": "UInt8",
    "usmallint": "UInt16",
    "uinteger": "UInt32",
    "ubigint": "UInt64",
}


def _unpack(rows: list[dict[str, Any]] | None, kind: Any) -> pd.DataFrame:
    """The rows of one part (a list of structs; None when the part has no rows) as a frame,
    with the column types a query of their own would give (DuckDB's ``.df()``): whole
    numbers with gaps become nullable integers, true/false with gaps nullable booleans,
    HUGEINT and DECIMAL numbers floats, and text columns without any text plain objects.
    ``kind`` is the column's DuckDB type, ``STRUCT(...)[]``."""
    rows = rows or []
    columns: dict[str, Any] = {}
    for name, field in kind.child.children:
        values = [row[name] for row in rows]
        columns[name] = _column(values, field.id)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def _column(values: list[Any], kind: str) -> Any:
    """One column of :func:`_unpack` from Python values of the DuckDB type ``kind``."""
    gaps = any(v is None for v in values)
    if kind in _INTEGER_DTYPES:
        dtype = _INTEGER_DTYPES[kind]
        return pd.array(values, dtype=dtype) if gaps else np.array(values, dtype=dtype.lower())
    if kind in ("hugeint", "uhugeint", "decimal", "double", "float"):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if kind == "boolean":
        return pd.array(values, dtype="boolean") if gaps else np.array(values, dtype=bool)
    return np.array(values, dtype=object) if kind == "varchar" else values


# The levels of :func:`metric_levels`, by the GROUPING(stage, touchpoint) id of their set.
LEVELS: dict[int, str] = {0: "cell", 2: "touchpoint", 3: "total"}
# A cell's stage: the row's own, else the one the touchpoint map gives.
CELL_STAGE = "coalesce(f.stage, t.stage)"


_LEVEL_SETS = "GROUPING SETS ((stage, touchpoint, metric), (touchpoint, metric), (metric))"


def stages_come_from_map(ws: Workspace) -> bool:
    """True when some feedback row without a stage has a touchpoint the map gives a stage.

    Only then does a cell's stage (:data:`CELL_STAGE`) need the touchpoint map; otherwise it
    is the row's own and :func:`metric_levels` skips the join. A fact about the whole
    workspace, so it holds for every filter: memoised per data version.
    """

    def query() -> bool:
        sql = """
        SELECT EXISTS (
            SELECT 1 FROM feedback f JOIN touchpoints t ON t.touchpoint = f.touchpoint
            WHERE f.stage IS NULL AND t.stage IS NOT NULL
        )
        """
        return bool(ws.fetchall(sql)[0][0])

    return FACTS.get(ws, ("stages_come_from_map",), query)


def _levels_ctes(
    dedupe: bool, map_stages: bool = True, name: str = "metric_levels"
) -> tuple[str, list[Any]]:
    """CTEs over CTE ``sel`` (the filtered rows) ending in ``name``: the statistics of
    :func:`metric_levels`; ``dedupe`` averages response-level answers per response within the
    groups of each level (see :func:`repeats_response_level_answers`); without
    ``map_stages`` a cell's stage is the row's own (see :func:`stages_come_from_map`)."""
    stage, join = "f.stage", ""
    if map_stages:
        stage, join = CELL_STAGE, " LEFT JOIN touchpoints t ON t.touchpoint = f.touchpoint"
    rows = f"""lv_rows AS (
        SELECT {stage} AS stage, f.touchpoint, f.metric, f.response_key, f.value, f.score,
               f.scale_min, f.scale_max
        FROM sel f{join}
        WHERE f.metric IN ({_marks(METRICS)}) AND f.value IS NOT NULL AND f.score IS NOT NULL
    )"""
    params: list[Any] = [*METRICS]
    if not dedupe:
        sql = f"""{rows}, {name} AS (
            SELECT GROUPING(stage, touchpoint) AS level, stage, touchpoint, metric, {_STATS}
            FROM (SELECT *, {_CLASSIFY} FROM lv_rows)
            GROUP BY {_LEVEL_SETS}
        )"""
        return sql, params
    level = _marks(RESPONSE_LEVEL_METRICS)
    response = "metric, response_key, scale_min, scale_max"
    sql = f"""{rows}, lv_per_response AS (
        SELECT GROUPING(stage, touchpoint) AS level, stage, touchpoint, metric,
               avg(value) AS value, avg(score) AS score, scale_min, scale_max
        FROM lv_rows WHERE metric IN ({level})
        GROUP BY GROUPING SETS ((stage, touchpoint, {response}), (touchpoint, {response}),
                                ({response}))
    ), {name} AS (
        SELECT level, stage, touchpoint, metric, {_STATS}
        FROM (SELECT *, {_CLASSIFY} FROM lv_per_response)
        GROUP BY level, stage, touchpoint, metric
        UNION ALL
        SELECT GROUPING(stage, touchpoint) AS level, stage, touchpoint, metric, {_STATS}
        FROM (SELECT *, {_CLASSIFY} FROM lv_rows WHERE metric NOT IN ({level}))
        GROUP BY {_LEVEL_SETS}
    )"""
    return sql, [*params, *RESPONSE_LEVEL_METRICS, *RESPONSE_LEVEL_METRICS]


def _metric_levels_sql(filters: Filters, dedupe: bool) -> tuple[str, list[Any]]:
    """The statistics of :func:`metric_levels` as a query of their own (without the
    shared scan): the same CTEs over the filtered rows."""
    where, params = filters.to_sql("f")
    columns = ", ".join(f"f.{c}" for c in SCAN_COLUMNS)
    ctes, level_params = _levels_ctes(dedupe)
    sql = f"""
    WITH sel AS (SELECT {columns} FROM feedback f WHERE {where}), {ctes}
    SELECT * FROM metric_levels
    """
    return sql, [*params, *level_params]


def _finish_metric_levels(ws: Workspace, filters: Filters, found: pd.DataFrame) -> pd.DataFrame:
    found["level"] = found["level"].map(LEVELS)
    return found


register_scan_part(
    ScanPart(
        "metric_levels",
        lambda ws, filters: _levels_ctes(
            repeats_response_level_answers(ws), stages_come_from_map(ws)
        ),
        _finish_metric_levels,
    )
)


def metric_levels(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """Sufficient statistics per metric at three levels, from one scan of the filtered rows.

    What the KPIs, the promise scorecard and the journey matrix each read, computed once
    per filter state in the page's shared scan (:func:`scan_result`, memoised per workspace
    and data version, see :class:`WorkspaceMemo`):

    * ``level`` = ``"cell"``: per (``stage``, ``touchpoint``), the stage being the row's own,
      else the map's (as :func:`metric_stats` with ``join_map`` and ``CELL_STAGE``);
    * ``"touchpoint"``: per ``touchpoint`` (``stage`` is NULL);
    * ``"total"``: per metric only (``stage`` and ``touchpoint`` NULL).

    Each level counts response-level metrics once per response within its own groups,
    exactly as :func:`metric_stats` grouped the same way. Rows without a touchpoint appear
    as a NULL ``touchpoint`` at the cell and touchpoint levels (drop them there) and count
    in the totals. Columns: ``level``, ``stage``, ``touchpoint``, ``metric`` and
    :data:`STAT_COLUMNS`. The frame is a copy: change it freely.
    """
    return scan_result(ws, filters, "metric_levels")


def level_stats(levels: pd.DataFrame, level: str) -> pd.DataFrame:
    """One level of :func:`metric_levels` with its key columns (cell: ``stage``,
    ``touchpoint``; touchpoint: ``touchpoint``; total: none), then ``metric`` and the
    statistics. Rows without a touchpoint are left out of the cell and touchpoint levels."""
    keys = {"cell": ["stage", "touchpoint"], "touchpoint": ["touchpoint"], "total": []}[level]
    rows = levels["level"].eq(level)
    if keys:
        rows &= levels["touchpoint"].notna()
    return levels.loc[rows, [*keys, "metric", *STAT_COLUMNS]].reset_index(drop=True)


# -- columns: small tables as arrays ---------------------------------------------------------
Columns = dict[str, Any]
"""A small table as arrays of one length keyed by column name: numpy arrays (text as object
arrays with None for missing) or pandas' own arrays where numpy has no equivalent (nullable
integers). The scorecard, journey and KPIs compute on these and build one frame at the end:
on tables of a few dozen rows pandas' per-operation cost, not the arithmetic, is what takes
the time."""


def as_float(values: Any) -> np.ndarray:
    """Numbers as a float array; missing values (None, NA) become NaN."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def as_bool(values: Any) -> np.ndarray:
    """Flags as a bool array; missing values count as false."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return values.to_numpy(dtype=bool, na_value=False)
    array = np.asarray(values)
    if array.dtype == object:
        return np.array([bool(v) if isinstance(v, bool | np.bool_) else False for v in array])
    return array.astype(bool)


def as_text(values: Any) -> np.ndarray:
    """Text as an object array with None for missing values."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        return np.asarray(values.to_numpy(dtype=object, na_value=None), dtype=object)
    array = np.asarray(values, dtype=object)
    return np.array([None if _missing(v) else v for v in array], dtype=object)


def _missing(value: Any) -> bool:
    """None, NA or a float NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def is_in(values: Any, choices: Sequence[Any]) -> np.ndarray:
    """``values`` (text, possibly missing) that are one of ``choices``, as a bool array."""
    wanted = set(choices)
    return np.array([v in wanted for v in as_text(values)], dtype=bool)


def columns_of(frame: pd.DataFrame, names: Sequence[str] | None = None) -> Columns:
    """``frame``'s columns (``names``, else all) as :data:`Columns`: numpy dtypes as numpy
    arrays, text as object arrays (None for missing), other dtypes as pandas' arrays."""
    out: Columns = {}
    for name in frame.columns if names is None else names:
        column = frame[name]
        if isinstance(column.dtype, np.dtype) and column.dtype != object:
            out[name] = column.to_numpy()
        elif isinstance(column.dtype, pd.StringDtype) or column.dtype == object:
            out[name] = as_text(column)
        else:
            out[name] = column.array
    return out


def frame_of(
    columns: Columns, names: Sequence[str], order: np.ndarray | None = None
) -> pd.DataFrame:
    """A frame of ``columns``' ``names`` (rows in ``order`` when given)."""
    if order is None:
        return pd.DataFrame({name: columns[name] for name in names})
    return pd.DataFrame({name: columns[name][order] for name in names})


def row_lookup(keys: Sequence[Any], wanted: Sequence[Any]) -> np.ndarray:
    """For each of ``wanted``, the position of the first equal item of ``keys`` (-1: none).

    Keys are tuples or scalars; None matches None (a missing stage is a key like any other)."""
    first: dict[Any, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    return np.array([first.get(key, -1) for key in wanted], dtype=np.int64)


def gather(values: Any, rows: np.ndarray, fill: Any) -> np.ndarray:
    """``values`` at ``rows``, ``fill`` where a row is -1 (see :func:`row_lookup`)."""
    array = np.asarray(values)
    found = rows >= 0
    if found.all():
        return array[rows]
    out = np.full(len(rows), fill, dtype=np.result_type(array.dtype, np.asarray(fill).dtype))
    out[found] = array[rows[found]]
    return out


def sort_order(keys: Sequence[tuple[Any, bool]]) -> np.ndarray:
    """The stable row order of a multi-key sort: ``keys`` are ``(values, descending)``,
    most significant first; missing values (None, NaN) go last in either direction."""
    columns = [(_sortable(values), descending) for values, descending in keys]
    rows = len(columns[0][0]) if columns else 0

    def key(i: int) -> tuple[Any, ...]:
        parts: list[Any] = []
        for values, descending in columns:
            value = values[i]
            missing = value is None or value != value
            if missing:
                parts.append((1, 0))
            elif values.dtype == object:
                parts.append((0, _Reversed(value) if descending else value))
            else:
                parts.append((0, -value if descending else value))
        return tuple(parts)

    return np.array(sorted(range(rows), key=key), dtype=np.int64)


def _sortable(values: Any) -> np.ndarray:
    """Numbers (and flags) as floats with NaN for missing, anything else as text."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        numeric = pd.api.types.is_numeric_dtype(values.dtype)
    else:
        values = np.asarray(values)
        numeric = values.dtype.kind in "biuf"
    return as_float(values) if numeric else as_text(values)


class _Reversed:
    """Wraps a value so that it sorts in reverse (descending text keys in :func:`sort_order`)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and bool(self.value == other.value)

    __hash__ = None  # type: ignore[assignment]


LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "cell": ("stage", "touchpoint"),
    "touchpoint": ("touchpoint",),
    "total": (),
}
_STAT_FILLS: dict[str, Any] = {
    "n": 0,
    "positives": 0,
    "promoters": 0,
    "detractors": 0,
    "all_binary": False,
    "mixed_scale": False,
}


def level_columns(levels: pd.DataFrame, level: str) -> Columns:
    """:func:`level_stats` as :data:`Columns`."""
    keys = LEVEL_KEYS[level]
    rows = levels["level"].to_numpy(dtype=object) == level
    if keys:
        rows &= levels["touchpoint"].notna().to_numpy()
    return {
        name: values[rows]
        for name, values in columns_of(levels, [*keys, "metric", *STAT_COLUMNS]).items()
    }


def gather_stats(found: Columns, rows: np.ndarray) -> Columns:
    """The :data:`STAT_COLUMNS` of ``found`` at ``rows`` (see :func:`row_lookup`); a row that
    found nothing (-1) has n = 0, no positives, no flags and NaN means and scales."""
    out: Columns = {}
    for name in STAT_COLUMNS:
        fill = _STAT_FILLS.get(name, np.nan)
        values = found[name]
        if isinstance(fill, bool):
            values = as_bool(values)
        elif isinstance(fill, int):
            values = np.asarray(values, dtype=np.int64)
        else:
            values = as_float(values)
        out[name] = gather(values, rows, fill)
    return out


# -- figures (vectorised) --------------------------------------------------------------------
def to_score100(
    value: Any, unit: Any, scale_min: Any = np.nan, scale_max: Any = np.nan
) -> np.ndarray:
    """Put figures in their unit onto 0-100 (vectorised; units may differ per element)."""
    v = np.asarray(value, dtype=float)
    u = np.broadcast_to(np.asarray(unit, dtype=object), v.shape)
    lo = np.asarray(scale_min, dtype=float)
    hi = np.asarray(scale_max, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        on_scale = (v - lo) / (hi - lo) * 100.0
    return np.select(
        [u == "share", u == "score", u == "nps", u == "mean"],
        [v, v, (v + 100.0) / 2.0, on_scale],
        default=np.nan,
    )


def from_score100(
    score100: Any, unit: Any, scale_min: Any = np.nan, scale_max: Any = np.nan
) -> np.ndarray:
    """Inverse of :func:`to_score100`."""
    s = np.asarray(score100, dtype=float)
    u = np.broadcast_to(np.asarray(unit, dtype=object), s.shape)
    lo = np.asarray(scale_min, dtype=float)
    hi = np.asarray(scale_max, dtype=float)
    return np.select(
        [u == "share", u == "score", u == "nps", u == "mean"],
        [s, s, s * 2.0 - 100.0, lo + s / 100.0 * (hi - lo)],
        default=np.nan,
    )


_LINEAR_UNITS = ("mean", "score")  # both read the same scale, so they convert


def convert_units(
    value: Any, from_unit: Any, to_unit: Any, scale_min: Any = np.nan, scale_max: Any = np.nan
) -> np.ndarray:
    """Express figures in another unit where that is meaningful (a mean and a 0-100 score
    convert through the scale); other pairs (a share as a mean, ...) give NaN."""
    v = np.asarray(value, dtype=float)
    src = np.broadcast_to(np.asarray(from_unit, dtype=object), v.shape)
    dst = np.broadcast_to(np.asarray(to_unit, dtype=object), v.shape)
    ok = (src == dst) | (np.isin(src, _LINEAR_UNITS) & np.isin(dst, _LINEAR_UNITS))
    converted = from_score100(to_score100(v, src, scale_min, scale_max), dst, scale_min, scale_max)
    return np.where(ok, converted, np.nan)


def with_columns(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A new frame: ``frame`` with ``columns`` (arrays of its length) set, replacing a column
    of the same name in place, else added at the end; ``frame`` itself is not changed.

    A shallow copy is enough: under copy-on-write, setting a column never writes into the
    caller's frame, and nothing is copied that is not replaced.
    """
    out = frame.copy(deep=False)
    for name, values in columns.items():
        out[name] = values
    return out


def figure_columns(
    stats_columns: Mapping[str, Any], unit: str | Sequence[str] | np.ndarray, min_n: int
) -> Columns:
    """``unit``, ``value``, ``ci_low``, ``ci_high``, ``score100``, ``directional`` (and ``n``
    as whole numbers) from the statistics of :func:`metric_stats` (a frame or
    :data:`Columns`); ``unit`` is one unit or one per row. Rows with n = 0 (or missing) get
    NaN figures."""
    n = np.nan_to_num(as_float(stats_columns["n"]), nan=0.0)
    rows = len(n)
    units = np.asarray([unit] * rows if isinstance(unit, str) else list(unit), dtype=object)
    positives = as_float(stats_columns["positives"])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = positives / np.where(n > 0, n, np.nan) * 100.0
    share_lo, share_hi = stats.wilson_interval(positives, n, CONFIDENCE)
    nps, nps_lo, nps_hi, _ = stats.nps_interval(
        as_float(stats_columns["promoters"]), as_float(stats_columns["detractors"]), n, CONFIDENCE
    )
    mean_value = as_float(stats_columns["mean_value"])
    mean_score = as_float(stats_columns["mean_score"])
    sd_value, sd_score = as_float(stats_columns["sd_value"]), as_float(stats_columns["sd_score"])
    mean_lo, mean_hi = stats.mean_interval(mean_value, sd_value, n, CONFIDENCE)
    score_lo, score_hi = stats.mean_interval(mean_score, sd_score, n, CONFIDENCE)
    binary = as_bool(stats_columns["all_binary"]) if rows else np.zeros(0, bool)
    is_share = units == "share"
    is_nps = units == "nps"
    is_mean = units == "mean"
    binary_score = (units == "score") & binary
    plain_score = (units == "score") & ~binary
    conditions = [is_share | binary_score, is_nps, is_mean, plain_score]
    value = np.select(conditions, [share, nps, mean_value, mean_score], np.nan)
    # Mean intervals are kept within the scale (a t interval on few answers can overshoot it).
    smin, smax = as_float(stats_columns["scale_min"]), as_float(stats_columns["scale_max"])
    mean_lo, mean_hi = np.maximum(mean_lo, smin), np.minimum(mean_hi, smax)
    score_lo, score_hi = np.maximum(score_lo, 0.0), np.minimum(score_hi, 100.0)
    ci_low = np.select(conditions, [share_lo * 100, nps_lo, mean_lo, score_lo], np.nan)
    ci_high = np.select(conditions, [share_hi * 100, nps_hi, mean_hi, score_hi], np.nan)
    score100 = to_score100(value, units, smin, smax)
    no_data = n <= 0
    return {
        "n": n.astype("int64"),
        "unit": units,
        "value": np.where(no_data, np.nan, value),
        "ci_low": np.where(no_data, np.nan, ci_low),
        "ci_high": np.where(no_data, np.nan, ci_high),
        "score100": np.where(no_data, np.nan, score100),
        "directional": n < min_n,
    }


def add_figures(
    frame: pd.DataFrame, unit: str | Sequence[str] | pd.Series, min_n: int
) -> pd.DataFrame:
    """``frame`` (the columns of :func:`metric_stats`) with the :func:`figure_columns`:
    ``unit``, ``value``, ``ci_low``, ``ci_high``, ``score100``, ``directional``."""
    return with_columns(frame, figure_columns(frame, unit, min_n))


# -- public API ------------------------------------------------------------------------------
def fill_missing_stats(
    frame: pd.DataFrame, columns: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Rows that found no answers (after a left join or reindex) get n = 0 and no flags;
    ``columns`` (arrays) are set in the same step (see :func:`with_columns`)."""
    filled: dict[str, Any] = {**(columns or {})}
    filled |= {
        column: frame[column].to_numpy(dtype="int64", na_value=0)
        for column in ("n", "positives", "promoters", "detractors")
    }
    for column in ("all_binary", "mixed_scale"):
        filled[column] = frame[column].to_numpy(dtype=bool, na_value=False)
    return with_columns(frame, filled)


def kpis(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per headline KPI (``nps``, ``csat``, ``ces``, ``overall``) in the standard unit.

    Columns: ``kpi``, ``label``, ``unit``, ``value``, ``ci_low``, ``ci_high``,
    ``score100``, ``n``, ``directional``, ``mean`` (native scale, NaN when the
    answers mix scales), ``mean_score`` (0-100), ``promoters_pct``,
    ``passives_pct``, ``detractors_pct`` (NPS only), ``share_positive`` (the
    top-box share for CSAT/CES and the share positive for a binary overall).
    """
    totals = level_columns(metric_levels(ws, filters), "total")
    kpi = np.array(KPI_METRICS, dtype=object)
    out = gather_stats(totals, row_lookup(totals["metric"], KPI_METRICS))
    out["kpi"] = kpi
    out["label"] = np.array([KPI_LABELS[k] for k in KPI_METRICS], dtype=object)
    out |= figure_columns(out, [STANDARD_UNIT[m] for m in KPI_METRICS], filters.min_n)
    n = out["n"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = 100.0 / np.where(n > 0, n, np.nan)
    promoters = out["promoters"] * per
    detractors = out["detractors"] * per
    is_nps = kpi == "nps"
    is_share = (kpi == "csat") | (kpi == "ces")
    binary_overall = (kpi == "overall") & out["all_binary"]
    out["mean"] = np.where(out["mixed_scale"], np.nan, out["mean_value"])
    out["promoters_pct"] = np.where(is_nps, promoters, np.nan)
    out["detractors_pct"] = np.where(is_nps, detractors, np.nan)
    out["passives_pct"] = np.where(is_nps, 100.0 - promoters - detractors, np.nan)
    out["share_positive"] = np.where(is_share | binary_overall, out["positives"] * per, np.nan)
    return frame_of(out, KPI_COLUMNS)


KPI_COLUMNS: tuple[str, ...] = (
    "kpi",
    "label",
    "unit",
    "value",
    "ci_low",
    "ci_high",
    "score100",
    "n",
    "directional",
    "mean",
    "mean_score",
    "promoters_pct",
    "passives_pct",
    "detractors_pct",
    "share_positive",
)


def group_expression(by: str) -> tuple[str, list[Any]]:
    """SQL for a grouping dimension: a built-in column, else a segment (a bound MAP key)."""
    if by in GROUP_COLUMNS:
        return GROUP_COLUMNS[by], []
    if not by or not by.strip():
        raise CxdashError("Choose what to break the figures down by.")
    return "f.segments[?]", [by]


def metric_by(ws: Workspace, filters: Filters, by: str, metric: str) -> pd.DataFrame:
    """A metric's standard figure per value of ``by``.

    ``by`` is ``stage``, ``touchpoint``, ``channel``, ``language`` or the name
    of a segment dimension. Columns: ``group``, ``n``, ``unit``, ``value``,
    ``ci_low``, ``ci_high``, ``score100``, ``directional``; ordered by n
    (largest first). Answers without a value for ``by`` form a group with
    ``group`` = None. ``attrs["by"]`` holds the dimension.
    """
    check_metric(metric)
    expr, params = group_expression(by)
    found = metric_stats(
        ws, filters, metrics=[metric], groups=[("group", expr)], group_params=params
    )
    out = add_figures(found, STANDARD_UNIT[metric], filters.min_n)
    out = out.sort_values(["n", "group"], ascending=[False, True], na_position="last")
    out = out[
        ["group", "n", "unit", "value", "ci_low", "ci_high", "score100", "directional"]
    ].reset_index(drop=True)
    out.attrs["by"] = by
    out.attrs["metric"] = metric
    return out
