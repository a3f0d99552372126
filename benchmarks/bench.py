"""Benchmarks: ``make bench`` (``python -m benchmarks`` or ``python -m cxdash bench``) prints a table.

They live outside the ``cxdash`` library because the page group drives the Streamlit
app itself, and the library never imports Streamlit.

Speed is measured here, never in timed unit tests. Each group builds its own
inputs in a temporary folder (cached between runs under the system temp
folder, keyed by size), runs the real code path several times and reports the
median (and the 95th percentile where it matters), next to the target and a
baseline measured in the same run.

Groups:

* ``import`` -- a survey-tool ``.xlsx`` export into the workspace, against ``pandas.read_excel``;
* ``analytics`` -- the queries behind one dashboard page (KPIs, promise scorecard, journey
  matrix, theme table) under :data:`TYPICAL_FILTER`, against the same figures computed in
  plain pandas on a DataFrame already in memory (:func:`pandas_page_queries`); both must give
  the same numbers (:func:`compare_page_results`);
* ``page`` -- a sidebar filter change re-rendering the Touchpoints page through Streamlit's
  ``AppTest``, with the query cache missed and hit.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxdash import stats
from cxdash.filters import Filters
from cxdash.journey import stage_touchpoint_matrix
from cxdash.metrics import (
    CONFIDENCE,
    KPI_METRICS,
    MEMO,
    METRICS,
    RESPONSE_LEVEL_METRICS,
    STANDARD_UNIT,
    UNITS,
    kpis,
)
from cxdash.promise import BUILTIN_DEFAULT_TARGETS, METRIC_PREFERENCE, scorecard
from cxdash.themes import theme_table
from cxdash.workspace import Workspace

CACHE = Path(tempfile.gettempdir()) / "cxdash-bench"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    group: str
    case: str
    seconds: float
    target: str
    verdict: str
    note: str = ""
    p95: float | None = None


def p95(runs: Sequence[float]) -> float:
    """95th percentile of run times (linear interpolation, as numpy does)."""
    return float(np.percentile(np.asarray(runs, dtype=float), 95))


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, list[float]]:
    """Median wall time of ``repeat`` runs (seconds), and all runs."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


def feedback_xlsx(rows: int, folder: Path = CACHE) -> Path:
    """A wide-ish 11-column feedback workbook like a survey tool's export (cached)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"feedback_{rows}x11.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    rng = np.random.default_rng(11)
    stages = ["Discover", "Join", "Find a car", "Drive", "Return & pay", "Get help"]
    tps = [f"Touchpoint {i:02d}" for i in range(30)]
    channels = ["App", "Website", "Call centre", "Email", "Parking hub"]
    regions = ["North", "Central", "South"]
    start = pd.Timestamp("2025-05-01")
    days = rng.integers(0, 540, rows)
    wb = Workbook(write_only=True)
    sh = wb.create_sheet("Responses")
    sh.append(
        [
            "Response ID",
            "Date",
            "Journey stage",
            "Touchpoint",
            "Channel",
            "Region",
            "CSAT (1-5)",
            "CES (1-7)",
            "Likelihood to recommend (0-10)",
            "Language",
            "Comment",
        ]
    )
    csat = rng.integers(1, 6, rows)
    ces = rng.integers(1, 8, rows)
    nps = rng.integers(0, 11, rows)
    st = rng.integers(0, len(stages), rows)
    tp = rng.integers(0, len(tps), rows)
    ch = rng.integers(0, len(channels), rows)
    rg = rng.integers(0, len(regions), rows)
    comments = [
        "Waited too long in the queue",
        "Easy and fast",
        None,
        "Hidden fee on my invoice",
        None,
    ]
    cm = rng.integers(0, len(comments), rows)
    for i in range(rows):
        sh.append(
            [
                f"R{i:07d}",
                (start + pd.Timedelta(days=int(days[i]))).to_pydatetime(),
                stages[st[i]],
                tps[tp[i]],
                channels[ch[i]],
                regions[rg[i]],
                int(csat[i]),
                int(ces[i]),
                int(nps[i]),
                "en",
                comments[cm[i]],
            ]
        )
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)
    return path


def bench_import(rows: int) -> list[Row]:
    from cxdash.ingest.load import import_file
    from cxdash.workspace import Workspace

    path = feedback_xlsx(rows)
    results: list[Row] = []

    def do_import() -> None:
        with tempfile.TemporaryDirectory() as d:
            ws = Workspace(Path(d) / "bench.duckdb")
            r = import_file(ws, path, path.name)
            ws.close()
            if r.status != "loaded":
                raise RuntimeError(f"benchmark import failed: {r.message}")

    t_import, _ = timed(do_import, repeat=3)
    t_pandas, _ = timed(lambda: pd.read_excel(path, engine="openpyxl"), repeat=1)
    speedup = t_pandas / t_import if t_import else float("inf")
    results.append(
        Row(
            "import",
            f"{rows:,}-row x 11-col .xlsx into the workspace",
            t_import,
            "< 2 s",
            "ok" if t_import < 2 else "SLOW",
        )
    )
    results.append(
        Row(
            "import",
            "baseline: pandas.read_excel(engine='openpyxl')",
            t_pandas,
            "",
            "",
            f"cxdash is {speedup:.1f}x faster (target >= 5x: {'ok' if speedup >= 5 else 'MISSED'})",
        )
    )
    return results


# ---------------------------------------------------------------------------------------------
# Workspaces of synthetic feedback (analytics and page groups)
# ---------------------------------------------------------------------------------------------
# Bump when the generated data or the way it is loaded changes, so cached workspaces rebuild.
BENCH_DATA_VERSION = 2
# Rows generated and inserted at a time: memory stays flat however large the workspace.
CHUNK_ROWS = 1_000_000

_FEEDBACK_INSERT = """
INSERT INTO feedback (import_id, sheet, source_row, response_id, response_key, id_given,
    respondent_id, ts, stage, touchpoint, channel, segments, metric, raw_value, value, scale_min,
    scale_max, score, comment, language, themes, theme_source, extra)
SELECT import_id, sheet, source_row, response_id, response_key + ?, id_given, respondent_id, ts,
    stage, touchpoint, channel, map(segment_keys, segment_values), metric, raw_value, value,
    scale_min, scale_max, score, comment, language, themes, theme_source, extra::JSON
FROM _synthetic
"""


def touchpoint_map_xlsx(folder: Path = CACHE) -> Path:
    """The sample touchpoint map workbook (brand promise and map), written once per folder."""
    from cxdash.sample import write_touchpoint_map

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "touchpoint_map.xlsx"
    if not path.exists():
        tmp = path.with_suffix(".tmp.xlsx")
        write_touchpoint_map(tmp)
        tmp.rename(path)
    return path


def insert_synthetic_feedback(ws: Workspace, rows: int, chunk: int) -> None:
    """Append ``rows`` synthetic feedback rows as import ``synthetic-<chunk>`` (seed 7 + chunk)."""
    from cxdash.sample import synthetic_feedback_frame

    frame = synthetic_feedback_frame(rows, seed=7 + chunk, segments_as="lists")
    # Response ids restart in every chunk; the chunk's own import id keeps responses apart,
    # and its keys continue after the workspace's largest.
    frame["import_id"] = f"synthetic-{chunk}"
    with ws.transaction() as cur:
        base = cur.execute("SELECT coalesce(max(response_key), 0) FROM feedback").fetchall()
        cur.register("_synthetic", frame)
        try:
            cur.execute(_FEEDBACK_INSERT, [int(base[0][0])])
        finally:
            cur.unregister("_synthetic")


def feedback_workspace(rows: int, folder: Path = CACHE) -> Path:
    """A workspace with the sample touchpoint map and promise and ``rows`` synthetic feedback rows.

    The map goes in through the real importer (so targets and units are what a user gets),
    the feedback straight from :func:`cxdash.sample.synthetic_feedback_frame` in chunks of
    :data:`CHUNK_ROWS`. Cached in ``folder`` by size; treat the cached file as read-only.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"feedback_{rows}_v{BENCH_DATA_VERSION}.duckdb"
    if path.exists():
        Workspace(path).close()  # runs any migration added since the file was built
        return path
    from cxdash.ingest.load import import_file

    map_path = touchpoint_map_xlsx(folder)
    tmp = path.with_name(f"{path.stem}.tmp.duckdb")
    for stale in (tmp, tmp.with_name(f"{tmp.name}.wal")):
        stale.unlink(missing_ok=True)
    with Workspace(tmp) as ws:
        loaded = import_file(ws, map_path, map_path.name)
        if loaded.status != "loaded":
            raise RuntimeError(f"benchmark touchpoint map failed to load: {loaded.message}")
        for chunk, start in enumerate(range(0, rows, CHUNK_ROWS)):
            insert_synthetic_feedback(ws, min(CHUNK_ROWS, rows - start), chunk)
    tmp.rename(path)
    return path


# ---------------------------------------------------------------------------------------------
# Analytics: the queries behind one dashboard page, in DuckDB (the library) and in pandas
# ---------------------------------------------------------------------------------------------
# A typical filter: two journey stages, one channel and the last twelve months of the sample.
TYPICAL_FILTER = Filters(
    stages=("Find a car", "Return & pay"),
    channels=("App",),
    date_from=date(2025, 11, 1),
    date_to=date(2026, 10, 31),
)
ANALYTICS_PARTS: tuple[str, ...] = ("kpis", "scorecard", "journey", "themes")
SPEEDUP_TARGET = 2.0


def describe_filter(filters: Filters) -> str:
    """The filter in words, for the benchmark output."""
    parts = [
        f"{label} {' + '.join(values)}"
        for label, values in (
            ("stages", filters.stages),
            ("touchpoints", filters.touchpoints),
            ("channel", filters.channels),
        )
        if values
    ]
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or '...'} to {filters.date_to or '...'}")
    return ", ".join(parts) or "no filter"


def analytics_target(rows: int) -> float:
    """Target seconds for the page's queries: 250 ms up to 1M rows, 2 s beyond."""
    return 0.25 if rows <= 1_000_000 else 2.0


def run_page_queries(
    ws: Workspace, filters: Filters
) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """KPIs, promise scorecard, stage x touchpoint matrix and theme table, with seconds each.

    The library's per-filter memo is emptied first, so every call measures a filter state
    seen for the first time (the functions still share work within the page; facts about
    the whole workspace, cached per data version, stay as they would in the app).
    """
    MEMO.clear()
    calls: dict[str, Callable[[Workspace, Filters], pd.DataFrame]] = {
        "kpis": kpis,
        "scorecard": scorecard,
        "journey": stage_touchpoint_matrix,
        "themes": theme_table,
    }
    results: dict[str, pd.DataFrame] = {}
    seconds: dict[str, float] = {}
    for name, call in calls.items():
        t0 = time.perf_counter()
        results[name] = call(ws, filters)
        seconds[name] = time.perf_counter() - t0
    return results, seconds


@dataclass
class PandasData:
    """Feedback rows and the touchpoint map in memory, prepared for repeated pandas queries."""

    feedback: pd.DataFrame
    touchpoints: pd.DataFrame


def load_pandas_data(ws: Workspace) -> PandasData:
    """Load what the page needs into pandas, as an analyst would before querying it repeatedly.

    Low-cardinality text (stage, touchpoint, channel, metric) becomes categorical, the
    response key (import id + response id) an integer code and ``themes`` an Arrow list
    column. This preparation is not part of the timed baseline.
    """
    import pyarrow.compute as pc

    cur = ws.cursor()
    try:
        table = cur.sql(
            "SELECT import_id, response_id, ts, stage, touchpoint, channel, metric, value, score,"
            " scale_min, scale_max, themes FROM feedback"
        ).to_arrow_table()
        touchpoints = cur.execute(
            "SELECT touchpoint, target, lower(trim(target_metric)) AS target_metric,"
            " lower(trim(target_unit)) AS target_unit FROM touchpoints"
        ).df()
    finally:
        cur.close()
    key = pc.binary_join_element_wise(table["import_id"], table["response_id"], "\x1f")
    themes = table["themes"].combine_chunks()
    frame = pd.DataFrame(
        {
            "response": pc.dictionary_encode(key.combine_chunks()).indices.to_numpy(),
            "ts": table["ts"].to_pandas(),
            **{
                column: table[column].to_pandas().astype("category")
                for column in ("stage", "touchpoint", "channel", "metric")
            },
            **{
                column: table[column].to_numpy()
                for column in ("value", "score", "scale_min", "scale_max")
            },
            "themes": pd.Series(themes, dtype=pd.ArrowDtype(themes.type)),
        }
    )
    return PandasData(frame, touchpoints)


def pandas_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Rows the filters keep (stages, touchpoints, channels and dates, as ``Filters.to_sql``)."""
    unsupported = [
        name for name in ("providers", "themes", "languages", "segments") if getattr(filters, name)
    ]
    if unsupported:
        raise ValueError(f"the pandas baseline does not filter by {', '.join(unsupported)}")
    mask = np.ones(len(frame), dtype=bool)
    for column, values in (
        ("stage", filters.stages),
        ("touchpoint", filters.touchpoints),
        ("channel", filters.channels),
    ):
        if values:
            mask &= frame[column].isin(values).to_numpy()
    if filters.date_from is not None:
        mask &= (frame["ts"] >= pd.Timestamp(filters.date_from)).to_numpy()
    if filters.date_to is not None:
        mask &= (frame["ts"] < pd.Timestamp(filters.date_to + timedelta(days=1))).to_numpy()
    return mask


def pandas_metric_stats(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``cxdash.metrics.metric_stats`` in pandas: sufficient statistics per ``keys`` + metric.

    NPS and overall answers count once per response (repeats averaged); the others once per
    answer. Positives: NPS 9-10, CES above the midpoint, binary scales the top point, else
    the top two points.
    """
    columns = [*keys, "metric", "value", "score", "scale_min", "scale_max"]
    level = rows["metric"].isin(RESPONSE_LEVEL_METRICS).to_numpy()
    per_response = (
        rows.loc[level]
        .groupby(
            [*keys, "metric", "response", "scale_min", "scale_max"], observed=True, sort=False
        )[["value", "score"]]
        .mean()
        .reset_index()
    )
    answers = pd.concat([rows.loc[~level, columns], per_response[columns]], ignore_index=True)
    value = answers["value"].to_numpy(dtype=float)
    score = answers["score"].to_numpy(dtype=float)
    lo = answers["scale_min"].to_numpy(dtype=float)
    hi = answers["scale_max"].to_numpy(dtype=float)
    nps_point = np.where(hi == 10, value, np.round(score / 10, 6))
    positive = np.select(
        [
            answers["metric"].eq("nps").to_numpy(),
            hi - lo <= 1,
            answers["metric"].eq("ces").to_numpy(),
        ],
        [nps_point >= 9, value >= hi, value > (lo + hi) / 2],
        default=value >= hi - 1,
    )
    answers = answers.assign(positive=positive, promoter=nps_point >= 9, detractor=nps_point <= 6)
    found = (
        answers.groupby([*keys, "metric"], observed=True)
        .agg(
            n=("value", "size"),
            positives=("positive", "sum"),
            promoters=("promoter", "sum"),
            detractors=("detractor", "sum"),
            mean_value=("value", "mean"),
            sd_value=("value", "std"),
            mean_score=("score", "mean"),
            sd_score=("score", "std"),
            scale_min=("scale_min", "min"),
            scale_max=("scale_max", "max"),
        )
        .reset_index()
    )
    for column in [*keys, "metric"]:
        found[column] = found[column].astype(str)
    return found


def pandas_figures(found: pd.DataFrame, units: np.ndarray) -> pd.DataFrame:
    """Add ``unit``, ``value``, ``ci_low``, ``ci_high``: a share (Wilson), NPS, a mean or a
    0-100 score (t intervals kept within the scale), as ``cxdash.metrics.add_figures``."""
    n = found["n"].to_numpy(dtype=float)
    positives = found["positives"].to_numpy(dtype=float)
    mean_value = found["mean_value"].to_numpy(dtype=float)
    mean_score = found["mean_score"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = positives / n * 100.0
    share_lo, share_hi = stats.wilson_interval(positives, n, CONFIDENCE)
    nps, nps_lo, nps_hi, _ = stats.nps_interval(
        found["promoters"].to_numpy(dtype=float), found["detractors"].to_numpy(dtype=float), n
    )
    mean_lo, mean_hi = stats.mean_interval(mean_value, found["sd_value"].to_numpy(dtype=float), n)
    score_lo, score_hi = stats.mean_interval(mean_score, found["sd_score"].to_numpy(dtype=float), n)
    mean_lo = np.maximum(mean_lo, found["scale_min"].to_numpy(dtype=float))
    mean_hi = np.minimum(mean_hi, found["scale_max"].to_numpy(dtype=float))
    conditions = [units == "share", units == "nps", units == "mean", units == "score"]
    return found.assign(
        unit=units,
        value=np.select(conditions, [share, nps, mean_value, mean_score], np.nan),
        ci_low=np.select(
            conditions, [share_lo * 100, nps_lo, mean_lo, np.maximum(score_lo, 0.0)], np.nan
        ),
        ci_high=np.select(
            conditions, [share_hi * 100, nps_hi, mean_hi, np.minimum(score_hi, 100.0)], np.nan
        ),
    )


def pandas_kpis(rated: pd.DataFrame) -> pd.DataFrame:
    """NPS (promoters, detractors), CSAT top-2-box, CES top-3 share and the overall mean."""
    found = pandas_metric_stats(rated[rated["metric"].isin(KPI_METRICS).to_numpy()], [])
    found = found.set_index("metric").reindex(list(KPI_METRICS)).rename_axis("metric")
    found["n"] = found["n"].fillna(0).astype("int64")
    out = pandas_figures(
        found.reset_index(), np.array([STANDARD_UNIT[m] for m in KPI_METRICS], dtype=object)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["promoters_pct"] = out["promoters"] / out["n"] * 100.0
        out["detractors_pct"] = out["detractors"] / out["n"] * 100.0
    return out


def pandas_target_metrics(by_touchpoint: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Per answered touchpoint: its target ``metric`` (the map's, else the first answered in
    ``METRIC_PREFERENCE``) and ``unit`` (the map's when it gives a target, else the default).

    Differences from the library, none of which the sample map exercises: answered metrics
    are read from the filtered rows, and a map target without a unit is not inferred.
    """
    preference = {metric: i for i, metric in enumerate(METRIC_PREFERENCE)}
    answered = by_touchpoint[["touchpoint", "metric"]]
    fallback = (
        answered.assign(rank=answered["metric"].map(preference))
        .dropna(subset=["rank"])
        .sort_values("rank", kind="mergesort")
        .drop_duplicates("touchpoint")
        .rename(columns={"metric": "fallback"})[["touchpoint", "fallback"]]
    )
    chosen = (
        pd.DataFrame({"touchpoint": answered["touchpoint"].unique()})
        .merge(touchpoints, on="touchpoint", how="left")
        .merge(fallback, on="touchpoint", how="left")
    )
    mapped = chosen["target_metric"].where(chosen["target_metric"].isin(METRICS))
    chosen["metric"] = mapped.fillna(chosen["fallback"]).fillna("rating").astype(str)
    default_unit = chosen["metric"].map(lambda m: BUILTIN_DEFAULT_TARGETS[m]["unit"])
    own_unit = chosen["target"].notna() & chosen["target_unit"].isin(UNITS)
    chosen["unit"] = chosen["target_unit"].where(own_unit, default_unit).astype(str)
    return chosen[["touchpoint", "metric", "unit"]]


def pandas_scorecard(chosen: pd.DataFrame, by_touchpoint: pd.DataFrame) -> pd.DataFrame:
    """Per touchpoint: n, the figure in its target's unit and the 95 % interval."""
    card = chosen.merge(by_touchpoint, on=["touchpoint", "metric"], how="inner")
    return pandas_figures(card, card["unit"].to_numpy(dtype=object))


def pandas_journey(rated: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per (stage, touchpoint): n and the touchpoint's target figure."""
    cells = pandas_metric_stats(rated, ["stage", "touchpoint"])
    cells = cells.merge(chosen, on=["touchpoint", "metric"], how="inner")
    return pandas_figures(cells, cells["unit"].to_numpy(dtype=object))


def _coalesce(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The first non-missing value across ``columns``, row by row."""
    out = frame[columns[0]]
    for column in columns[1:]:
        out = out.fillna(frame[column])
    return out


def pandas_responses(selected: pd.DataFrame) -> pd.DataFrame:
    """One row per response: newest ``ts``, best ``score`` (NPS, CSAT, overall, CES, rating)
    and ``negative`` (NPS detractor, else the bottom quarter of the scale; NaN when unscored)."""
    order = ["nps", "csat", "overall", "ces", "rating"]
    by_metric = (
        selected.groupby(["response", "metric"], observed=True)["score"].mean().unstack("metric")
    )
    by_metric.columns = by_metric.columns.astype(str)
    by_metric = by_metric.reindex(columns=order)
    nps = by_metric["nps"]
    other = _coalesce(by_metric, order[1:])
    negative = np.where(
        nps.notna(), nps <= 60 + 1e-6, np.where(other.notna(), other <= 25 + 1e-6, np.nan)
    )
    responses = selected.groupby("response")[["ts"]].max()
    scores = pd.DataFrame(
        {"score": nps.fillna(other), "negative": negative.astype(float)}, index=by_metric.index
    )
    return responses.join(scores)


def pandas_themes(selected: pd.DataFrame) -> pd.DataFrame:
    """Per theme: responses mentioning it, their share, negative share, mean score and the
    change in mention share between the last three months and the three before."""
    responses = pandas_responses(selected)
    newest = responses["ts"].max()
    last = (responses["ts"] > newest - pd.DateOffset(months=3)).to_numpy()
    prev = ~last & (responses["ts"] > newest - pd.DateOffset(months=6)).to_numpy()
    responses = responses.assign(last=last, prev=prev)
    tagged = selected.loc[
        (selected["themes"].list.len() > 0).to_numpy(), ["response", "themes"]
    ].explode("themes")
    tagged = tagged[tagged["themes"].notna() & (tagged["themes"] != "")].drop_duplicates()
    mentions = tagged.rename(columns={"themes": "theme"}).join(responses, on="response")
    table = mentions.groupby("theme").agg(
        mentions=("response", "size"),
        negative_share=("negative", "mean"),
        mean_score=("score", "mean"),
        last=("last", "sum"),
        prev=("prev", "sum"),
    )
    n_last, n_prev = int(last.sum()), int(prev.sum())
    table["share"] = table["mentions"] / len(responses)
    table["trend"] = (table["last"] / n_last if n_last else np.nan) - (
        table["prev"] / n_prev if n_prev else np.nan
    )
    table = table.reset_index().sort_values(["mentions", "theme"], ascending=[False, True])
    table["theme"] = table["theme"].astype(str)
    return table[["theme", "mentions", "share", "negative_share", "mean_score", "trend"]]


def pandas_page_queries(data: PandasData, filters: Filters) -> dict[str, pd.DataFrame]:
    """The baseline: :func:`run_page_queries`'s figures computed in plain, vectorised pandas."""
    mask = pandas_mask(data.feedback, filters)
    selected = data.feedback[mask]
    rated = selected[
        (selected["value"].notna() & selected["score"].notna()).to_numpy()
        & selected["metric"].isin(METRICS).to_numpy()
    ]
    by_touchpoint = pandas_metric_stats(rated, ["touchpoint"])
    chosen = pandas_target_metrics(by_touchpoint, data.touchpoints)
    return {
        "kpis": pandas_kpis(rated),
        "scorecard": pandas_scorecard(chosen, by_touchpoint),
        "journey": pandas_journey(rated, chosen),
        "themes": pandas_themes(selected),
    }


def _differs(a: Any, b: Any) -> bool:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return x.shape != y.shape or not np.allclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True)


def compare_page_results(
    duck: dict[str, pd.DataFrame], panda: dict[str, pd.DataFrame]
) -> list[str]:
    """What differs between the library's figures and the pandas baseline's (empty: the same)."""
    problems: list[str] = []
    kpi, pkpi = duck["kpis"].set_index("kpi"), panda["kpis"].set_index("metric")
    for metric in KPI_METRICS:
        for ours, theirs in (
            ("n", "n"),
            ("value", "value"),
            ("ci_low", "ci_low"),
            ("ci_high", "ci_high"),
        ):
            if _differs(kpi.loc[metric, ours], pkpi.loc[metric, theirs]):
                problems.append(f"KPI {metric} {ours}")
    card = duck["scorecard"]
    card = card[card["n"] > 0].set_index("touchpoint").sort_index()
    pcard = panda["scorecard"].set_index("touchpoint").sort_index()
    if list(card.index) != list(pcard.index) or list(card["metric"]) != list(pcard["metric"]):
        problems.append("scorecard touchpoints or metrics")
    else:
        for ours, theirs in (
            ("n", "n"),
            ("score", "value"),
            ("ci_low", "ci_low"),
            ("ci_high", "ci_high"),
        ):
            if _differs(card[ours], pcard[theirs]):
                problems.append(f"scorecard {ours}")
    cells = duck["journey"].set_index(["stage", "touchpoint"]).sort_index()
    pcells = panda["journey"].set_index(["stage", "touchpoint"]).sort_index()
    if list(cells.index) != list(pcells.index):
        problems.append("journey cells")
    else:
        for ours, theirs in (("n", "n"), ("score", "value")):
            if _differs(cells[ours], pcells[theirs]):
                problems.append(f"journey {ours}")
    themes, pthemes = duck["themes"].set_index("theme"), panda["themes"].set_index("theme")
    if list(themes.index) != list(pthemes.index):
        problems.append("themes")
    else:
        for column in ("mentions", "share", "negative_share", "mean_score", "trend"):
            if _differs(themes[column], pthemes[column]):
                problems.append(f"themes {column}")
    return problems


def bench_analytics(rows: int, repeat: int = 5, folder: Path = CACHE) -> list[Row]:
    """The page's queries under :data:`TYPICAL_FILTER`, warm (median, p95; cold first run in
    the note), and the pandas baseline on the same data in the same run. The DuckDB and
    pandas runs alternate, so a machine that slows down or speeds up during the run affects
    both alike."""
    path = feedback_workspace(rows, folder)
    filters = TYPICAL_FILTER
    with Workspace(path, read_only=True) as ws:
        t0 = time.perf_counter()
        run_page_queries(ws, filters)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        data = load_pandas_data(ws)
        load = time.perf_counter() - t0
        pandas_page_queries(data, filters)  # warm-up, as the DuckDB side had its cold run
        runs: list[float] = []
        parts: list[dict[str, float]] = []
        pandas_runs: list[float] = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            duck, seconds = run_page_queries(ws, filters)
            runs.append(time.perf_counter() - t0)
            parts.append(seconds)
            t0 = time.perf_counter()
            panda = pandas_page_queries(data, filters)
            pandas_runs.append(time.perf_counter() - t0)
    del data
    median, pandas_median = statistics.median(runs), statistics.median(pandas_runs)
    target = analytics_target(rows)
    breakdown = " / ".join(
        f"{name} {statistics.median(p[name] for p in parts) * 1000:.0f}" for name in ANALYTICS_PARTS
    )
    speedup = pandas_median / median if median else float("inf")
    problems = compare_page_results(duck, panda)
    same = "same numbers" if not problems else "RESULTS DIFFER: " + ", ".join(problems)
    return [
        Row(
            "analytics",
            f"{rows:,} rows: KPIs + scorecard + journey + themes",
            median,
            f"median < {target * 1000:.0f} ms",
            "ok" if median < target else "SLOW",
            f"cold first run {cold:.3f} s; ms each: {breakdown}",
            p95(runs),
        ),
        Row(
            "analytics",
            f"baseline: same figures in pandas ({rows:,} rows)",
            pandas_median,
            f">= {SPEEDUP_TARGET:.0f}x",
            "ok" if speedup >= SPEEDUP_TARGET and not problems else "MISSED",
            f"DuckDB is {speedup:.1f}x faster (target >= {SPEEDUP_TARGET:.0f}x); {same}; "
            f"loading into pandas {load:.1f} s not timed",
            p95(pandas_runs),
        ),
    ]


def analytics_group(sizes: Sequence[int], repeat: int = 7) -> list[Row]:
    print(f"  typical filter: {describe_filter(TYPICAL_FILTER)}", flush=True)
    rows: list[Row] = []
    for size in sizes:
        print(f"  {size:,} feedback rows ...", flush=True)
        rows.extend(bench_analytics(size, repeat=repeat))
    return rows


# ---------------------------------------------------------------------------------------------
# Page: a filter change re-rendering the Touchpoints page (Streamlit AppTest)
# ---------------------------------------------------------------------------------------------
PAGE_TARGET_S = 0.5
TOUCHPOINTS_PAGE = "pages/touchpoints.py"
PAGE_TIMEOUT_S = 300.0
CACHED_SELECTIONS = 3  # selections the cached runs cycle through


@contextmanager
def environment(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the block, then restore it."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextmanager
def quiet_streamlit_logs() -> Iterator[None]:
    """Hide Streamlit's bare-mode warnings ("missing ScriptRunContext") while the group runs."""
    import streamlit.logger as logs

    before = logging.getLogger("streamlit").level
    logs.set_log_level(logging.ERROR)
    try:
        yield
    finally:
        logs.set_log_level(before or logging.INFO)


def stage_selections(stages: Sequence[str]) -> list[list[str]]:
    """Distinct journey-stage selections: every pair, then every single stage."""
    return [list(pair) for pair in itertools.combinations(stages, 2)] + [[s] for s in stages]


def _checked_run(at: Any) -> float:
    """Run the app test once; seconds it took. Raises if the page failed."""
    t0 = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"the page failed: {[e.value for e in at.exception]}")
    if not at.title:
        raise RuntimeError("the page rendered no title")
    return seconds


def _select_stages(at: Any, stages: list[str]) -> float:
    at.multiselect(key="f_stage").set_value(stages)
    return _checked_run(at)


def bench_page(rows: int, runs: int = 20, folder: Path = CACHE) -> list[Row]:
    """Touchpoints page re-rendered after a stage filter change: uncached (each selection new)
    and cached (cycling through a few seen selections). Seconds are AppTest's server time."""
    # The page group drives the Streamlit app itself, so it (and only it) needs streamlit.
    import streamlit
    from streamlit.testing.v1 import AppTest as app_test

    source = feedback_workspace(rows, folder)
    with tempfile.TemporaryDirectory() as tmp, quiet_streamlit_logs():
        db = Path(tmp) / "page.duckdb"
        shutil.copy(source, db)  # the app opens it for writing; the cache stays pristine
        try:
            with environment("CXDASH_DB", str(db)):
                at = app_test.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT_S)
                start = _checked_run(at)
                at.switch_page(TOUCHPOINTS_PAGE)
                first = _checked_run(at)
                selections = stage_selections(at.multiselect(key="f_stage").options)
                seen = selections[:CACHED_SELECTIONS]
                fresh = selections[CACHED_SELECTIONS : CACHED_SELECTIONS + runs]
                for stages in seen:
                    _select_stages(at, stages)
                uncached = [_select_stages(at, stages) for stages in fresh]
                cached = [_select_stages(at, seen[i % len(seen)]) for i in range(runs)]
        finally:
            streamlit.cache_data.clear()
            streamlit.cache_resource.clear()
    return [
        Row(
            "page",
            f"Touchpoints page first load ({rows:,} rows)",
            first,
            "",
            "",
            f"after app start {start:.2f} s; cold query cache",
        ),
        _page_row(
            f"filter change, uncached re-render ({rows:,} rows)",
            uncached,
            f"{len(uncached)} new stage selections; query cache missed",
        ),
        _page_row(
            f"filter change, cached re-render ({rows:,} rows)",
            cached,
            f"{len(cached)} runs over {len(seen)} seen selections; query cache hit",
        ),
    ]


def _page_row(case: str, runs: list[float], note: str) -> Row:
    high = p95(runs)
    return Row(
        "page",
        case,
        statistics.median(runs),
        f"p95 < {PAGE_TARGET_S * 1000:.0f} ms",
        "ok" if high < PAGE_TARGET_S else "SLOW",
        note,
        high,
    )


def print_table(rows: list[Row]) -> None:
    headers = ("group", "case", "median s", "p95 s", "target", "verdict", "note")
    body = [
        (
            r.group,
            r.case,
            f"{r.seconds:.3f}",
            "" if r.p95 is None else f"{r.p95:.3f}",
            r.target,
            r.verdict,
            r.note,
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for b in body:
        print("  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)))


GROUPS: dict[str, Callable[[bool], list[Row]]] = {
    "import": lambda quick: bench_import(10_000 if quick else 100_000),
    "analytics": lambda quick: analytics_group(
        (20_000, 100_000) if quick else (1_000_000, 10_000_000), repeat=3 if quick else 5
    ),
    "page": lambda quick: bench_page(20_000 if quick else 1_000_000, runs=5 if quick else 20),
}


def machine_load() -> str:
    """CPU count and load average: timings on a busy machine read high."""
    cpus = os.cpu_count() or 1
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return f"{cpus} CPUs"
    return f"{cpus} CPUs, load average {one:.1f} (1 min) / {five:.1f} (5 min)"


def run_bench(quick: bool = False, only: list[str] | None = None) -> int:
    unknown = sorted(set(only or ()) - set(GROUPS))
    if unknown:
        print(f"There is no benchmark group {', '.join(unknown)}; choose from {', '.join(GROUPS)}.")
        return 2
    started = time.perf_counter()
    print(f"machine: {machine_load()}", flush=True)
    rows: list[Row] = []
    for name, group in GROUPS.items():
        if only and name not in only:
            continue
        print(f"running {name} ...", flush=True)
        rows.extend(group(quick))
    print()
    print_table(rows)
    print(f"\ntotal {time.perf_counter() - started:.0f} s; {machine_load()}")
    return 0
