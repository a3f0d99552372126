"""From a file to the workspace: validate, load in one transaction, stay idempotent, allow undo.

``prepare()`` reads a file, plans its sheets and turns them into canonical rows
with a validation report, writing nothing (the Data page previews this).
``import_file()`` prepares and then loads everything in one transaction:
either the whole file lands or nothing does. A bad file never raises; it
comes back as an :class:`ImportResult` with ``status == "rejected"`` and a
plain-language ``message``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from cxdash.errors import ImportRejected
from cxdash.ingest import values as V
from cxdash.ingest.language import detect_language, normalise_language
from cxdash.ingest.mapping import plan_sheet, plan_workbook, promise_entries
from cxdash.ingest.model import RawSheet, RawWorkbook, SheetPlan
from cxdash.ingest.sniff import read_file
from cxdash.workspace import Workspace

log = logging.getLogger(__name__)

Kind = Literal["auto", "feedback", "touchpoints"]
METRIC_ROLES = ("nps", "csat", "ces", "overall", "rating")
MAX_REPORTED_ERRORS = 1000
_TOTAL_ROW = re.compile(
    r"^\s*(grand\s+total|sub\s*total|total|totals|sum|average|mean|tổng( cộng)?|tong( cong)?|"
    r"合计|合計|总计|總計|小计|小計|平均)\s*:?\s*$",
    re.IGNORECASE,
)
# Cells that mean "not applicable / no answer" rather than a score.
_NOT_APPLICABLE = re.compile(
    r"^\s*(n/?a|na|n\.a\.|-+|—|none|null|not applicable|no answer|skipped|don't know|dont know|"
    r"không áp dụng|khong ap dung|không có|khong co|不适用|不適用|无|無)\s*$",
    re.IGNORECASE,
)
THEME_NAMES = (
    "trust",
    "convenience",
    "promise",
    "respect",
    "autonomy",
    "choice",
    "knowledge",
    "recognition",
    "benefit",
    "identity",
)


# ---------------------------------------------------------------------------
# Options and results
# ---------------------------------------------------------------------------
@dataclass
class ImportOptions:
    """What the user decided (or left to detection)."""

    kind: Kind = "auto"
    sheet: str | None = None  # force one sheet
    overrides: dict[str, str] | None = None  # source column -> role (for the chosen sheet(s))
    reverse_ces: bool = False  # the export's CES wording is reversed (1 = very easy)
    remember: bool = True  # remember overrides for this source layout

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, False, "auto", {})}


@dataclass
class RowError:
    row: int  # row number as the user sees it in Excel / a text editor
    column: str | None
    reason: str
    sheet: str | None = None


@dataclass
class SheetResult:
    """One planned sheet turned into canonical rows, not yet written."""

    plan: SheetPlan
    responses: pd.DataFrame  # one row per response (rix index)
    ratings: pd.DataFrame  # one row per rating event (rix -> responses)
    rows_read: int
    errors: list[RowError]
    warnings: list[str]
    segment_dims: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    workbook: RawWorkbook
    kind: str  # feedback | touchpoints
    sheets: list[SheetResult]
    map_rows: pd.DataFrame | None = None  # touchpoint map
    promise_rows: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    file: str
    status: Literal["loaded", "duplicate", "rejected"]
    message: str
    kind: str | None = None
    import_id: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    layout: str | None = None
    header_rows: int | None = None
    respondents: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    mapping: dict[str, Any] = field(default_factory=dict)
    touchpoints: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------
def prepare(
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    options: ImportOptions | None = None,
    ws: Workspace | None = None,
) -> Prepared:
    """Read, plan and validate a file without writing anything. Raises ImportRejected."""
    options = options or ImportOptions()
    name = file_name or Path(str(source)).name
    wb = read_file(source, name)
    if options.sheet is not None and options.sheet not in [s.name for s in wb.sheets]:
        names = ", ".join(f"'{s.name}'" for s in wb.sheets)
        raise ImportRejected(
            f"{name} has no sheet named '{options.sheet}'. Its sheets are: {names}."
        )
    plans = plan_workbook(wb.sheets, kind=options.kind, sheet=options.sheet)
    chosen = _choose_plans(plans, options, name, {s.name: s for s in wb.sheets})
    kind = "touchpoints" if chosen[0].kind in ("touchpoints", "promise") else "feedback"

    warnings = list(wb.warnings)
    skipped = [
        p.sheet for p in plans if p not in chosen and p.sheet not in {c.sheet for c in chosen}
    ]
    if skipped and len(wb.sheets) > 1:
        warnings.append(
            "Read sheet "
            + ", ".join(f"'{p.sheet}'" for p in chosen)
            + "; skipped "
            + ", ".join(f"'{s}'" for s in skipped)
            + " (they do not look like "
            + ("a touchpoint map" if kind == "touchpoints" else "feedback")
            + "). Choose another sheet if this is wrong."
        )

    if kind == "touchpoints":
        map_rows, promise_rows, results = _prepare_map(wb, chosen, options, ws)
        return Prepared(wb, kind, results, map_rows, promise_rows, warnings)

    results = []
    for plan in chosen:
        sheet = wb.sheet(plan.sheet)
        plan = _apply_overrides(sheet, plan, options, ws)
        results.append(_canonical_feedback(sheet, plan, options))
    return Prepared(wb, kind, results, warnings=warnings)


def import_file(
    ws: Workspace,
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    options: ImportOptions | None = None,
) -> ImportResult:
    """Import one file all-or-nothing. Never raises for bad input: see ``status`` and ``message``."""
    options = options or ImportOptions()
    name = file_name or Path(str(source)).name
    try:
        prepared = prepare(source, name, options, ws)
        return _commit(ws, prepared, options)
    except ImportRejected as exc:
        return ImportResult(file=name, status="rejected", message=str(exc))
    except Exception as exc:  # the server never dies, and no traceback reaches a user
        log.exception("import of %s failed", name)
        return ImportResult(
            file=name,
            status="rejected",
            message=(
                f"{name} could not be imported because of an unexpected problem "
                f"({type(exc).__name__}: {exc}). Nothing was changed in the workspace."
            ),
        )


def list_imports(ws: Workspace) -> pd.DataFrame:
    return ws.query_df(
        "SELECT import_id, kind, file_name, sheet, layout, header_rows, rows_read, rows_loaded,"
        " rows_rejected, rows_duplicate, respondents, imported_at, undone_at, sha256, mapping, warnings"
        " FROM imports ORDER BY imported_at DESC, import_id"
    )


def undo_import(ws: Workspace, import_id: str) -> str:
    """Remove one import's rows (or restore the touchpoint map it replaced). Returns a sentence."""
    rows = ws.fetchall(
        "SELECT kind, file_name, undone_at, previous, imported_at FROM imports WHERE import_id = ?",
        [import_id],
    )
    if not rows:
        raise ImportRejected(f"There is no import with id {import_id}.")
    kind, file_name, undone_at, previous, imported_at = rows[0]
    if undone_at is not None:
        raise ImportRejected(f"Import {import_id} ({file_name}) was already undone.")
    with ws.transaction() as cur:
        if kind == "feedback":
            n = cur.execute(
                "SELECT count(*) FROM feedback WHERE import_id = ?", [import_id]
            ).fetchone()[0]
            cur.execute("DELETE FROM feedback WHERE import_id = ?", [import_id])
            what = f"{n:,} rating rows removed"
        else:
            later = cur.execute(
                "SELECT count(*) FROM imports WHERE kind = 'touchpoints' AND undone_at IS NULL"
                " AND imported_at > ?",
                [imported_at],
            ).fetchone()[0]
            if later:
                raise ImportRejected(
                    f"Import {import_id} ({file_name}) was replaced by a later touchpoint map; "
                    "undo that one first."
                )
            prev = json.loads(previous) if previous else {"touchpoints": [], "promise": []}
            _write_map(cur, pd.DataFrame(prev["touchpoints"]), pd.DataFrame(prev["promise"]), None)
            what = "the previous touchpoint map and promise restored"
        cur.execute(
            "UPDATE imports SET undone_at = current_timestamp WHERE import_id = ?", [import_id]
        )
    return f"Undid import {import_id} ({file_name}): {what}."


# ---------------------------------------------------------------------------
# Sheet choice and overrides
# ---------------------------------------------------------------------------
def _choose_plans(
    plans: list[SheetPlan], options: ImportOptions, name: str, sheet_of: dict[str, RawSheet]
) -> list[SheetPlan]:
    if options.sheet is not None:
        plan = next(p for p in plans if p.sheet == options.sheet)
        if plan.kind == "unknown":
            plan.kind = "touchpoints" if options.kind == "touchpoints" else "feedback"
        return [plan]
    wanted = {"feedback": ("feedback",), "touchpoints": ("touchpoints", "promise")}
    kinds = wanted.get(options.kind, ("feedback", "touchpoints", "promise"))
    usable = [p for p in plans if p.kind in kinds]
    if not usable and len(plans) == 1 and options.kind in ("auto", "feedback"):
        # One table that is not clearly feedback (e.g. a one-response survey export): read it
        # as feedback when it has anything to analyse, and say so.
        only = plans[0]
        if only.kind == "unknown" and only.header_rows:
            plan = plan_sheet(sheet_of[only.sheet], kind="feedback")
            if any(c.role in (*METRIC_ROLES, "touchpoint_rating", "comment") for c in plan.columns):
                plan.warnings.append(
                    "This table did not clearly look like feedback; it was read as feedback anyway."
                )
                return [plan]
    if not usable:
        what = {"feedback": "feedback", "touchpoints": "a touchpoint map"}.get(
            options.kind, "feedback or a touchpoint map"
        )
        notes = "; ".join(w for p in plans for w in p.warnings[:1])
        raise ImportRejected(
            f"{name} does not look like {what}: no sheet has the columns cxdash needs "
            "(for feedback: a score such as NPS, CSAT, CES or a rating, or a comment column; for a "
            "touchpoint map: touchpoint and journey stage). "
            + (f"({notes}) " if notes else "")
            + "Check the file, or choose the sheet and columns yourself."
        )
    best = usable[0]
    if best.kind == "feedback":
        return [p for p in usable if p.kind == "feedback"]
    # A touchpoint map comes with an optional promise sheet.
    tps = [p for p in usable if p.kind == "touchpoints"][:1]
    prom = [p for p in usable if p.kind == "promise"][:1]
    return tps + prom


def _apply_overrides(
    sheet: RawSheet, plan: SheetPlan, options: ImportOptions, ws: Workspace | None
) -> SheetPlan:
    """User overrides win; else overrides remembered for this source layout are applied."""
    overrides = options.overrides
    if not overrides and ws is not None and plan.fingerprint:
        row = ws.fetchall(
            "SELECT overrides FROM mapping_memory WHERE fingerprint = ?", [plan.fingerprint]
        )
        if row:
            overrides = json.loads(row[0][0])
            plan_kind = plan.kind
            plan = plan_sheet(sheet, kind=plan_kind, overrides=overrides)
            plan.warnings.append(
                "Applied the column choices you saved for files laid out like this one."
            )
            return plan
    if overrides:
        try:
            plan = plan_sheet(sheet, kind=plan.kind, overrides=overrides)
        except ValueError as exc:
            raise ImportRejected(str(exc)) from exc
    return plan


# ---------------------------------------------------------------------------
# Feedback: canonical rows
# ---------------------------------------------------------------------------
def _per_unique(col: pd.Series, fn: Any, dtype: Any = object) -> pd.Series:
    """Apply ``fn`` once per distinct cell value and broadcast (exports repeat values a lot)."""
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array([fn(u) for u in uniques] + [fn(None)], dtype=dtype)
    return pd.Series(table[codes], index=col.index, dtype=dtype)


def _cell_text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _text(col: pd.Series) -> pd.Series:
    """Cells as trimmed strings; None for empty. Whole-number floats lose their ".0"."""
    return _per_unique(col, _cell_text)


def _is_blank(v: Any) -> bool:
    return _cell_text(v) is None


def _blank_rows(data: pd.DataFrame) -> pd.Series:
    if data.empty:
        return pd.Series(False, index=data.index)
    blank = np.ones(len(data), dtype=bool)
    for c in data.columns:
        blank &= _per_unique(data[c], _is_blank, dtype=bool).to_numpy()
    return pd.Series(blank, index=data.index)


def _unique_ids(ids: pd.Series) -> bool:
    present = ids.dropna()
    return len(present) == len(ids) and present.is_unique


def _canonical_feedback(sheet: RawSheet, plan: SheetPlan, options: ImportOptions) -> SheetResult:
    data = sheet.data.iloc[plan.data_start :]
    rows = pd.Series(
        sheet.first_row + np.arange(plan.data_start, len(sheet.data)), index=data.index
    )
    errors: list[RowError] = []
    warnings = list(plan.warnings)

    blank = _blank_rows(data)
    if blank.any() and (~blank).any():
        # Blank rows after the last response are formatting, not content: say nothing of those.
        inner = blank & (rows < rows[~blank].max())
        if inner.any():
            sample = ", ".join(str(r) for r in rows[inner].head(5))
            more = "..." if inner.sum() > 5 else ""
            warnings.append(f"Skipped {int(inner.sum())} empty row(s) (row {sample}{more}).")
    data, rows = data[~blank], rows[~blank]
    rows_read = len(data)
    bad = pd.Series(False, index=data.index)

    def reject(mask: pd.Series, column: str | None, reasons: pd.Series | str) -> None:
        nonlocal bad
        mask = mask & ~bad
        if not mask.any():
            return
        rs = reasons if isinstance(reasons, str) else None
        for idx in mask[mask].index[: MAX_REPORTED_ERRORS - len(errors)]:
            errors.append(
                RowError(
                    int(rows[idx]), column, rs if rs is not None else str(reasons[idx]), sheet.name
                )
            )
        bad = bad | mask

    # Total rows ("Grand Total", "Tổng cộng", "合计") at the bottom of exports.
    first_text = (
        data.apply(
            lambda r: next((str(v) for v in r if isinstance(v, str) and v.strip()), ""), axis=1
        )
        if len(data) < 200_000
        else pd.Series("", index=data.index)
    )
    reject(first_text.str.match(_TOTAL_ROW), None, "This looks like a total row, not a response.")
    if sheet.cut_off and len(data):
        reject(
            pd.Series(data.index == data.index[-1], index=data.index),
            None,
            "The file ends part-way through this row (the export was cut off), so it was not loaded.",
        )

    out = pd.DataFrame(index=data.index)
    out["source_row"] = rows.astype("int64")

    def field_text(role: str) -> pd.Series | None:
        c = plan.first(role)
        return _text(data[c.index]) if c is not None else None

    # Identity
    rid = field_text("response_id")
    id_given = rid is not None
    if rid is not None and not _unique_ids(rid[~bad]):
        dup = rid[rid.duplicated(keep=False) & rid.notna()]
        example = dup.iloc[0] if len(dup) else "(empty)"
        warnings.append(
            f"The column '{plan.first('response_id').source}' cannot identify responses: "
            f"values repeat or are missing (e.g. '{example}'), so rows were numbered instead."
        )
        id_given = False
    out["id_given"] = id_given
    out["response_id"] = rid if id_given else None
    out["respondent_id"] = field_text("respondent_id")

    # When
    ts_col = plan.first("timestamp")
    if ts_col is not None:
        parsed = V.parse_dates(data[ts_col.index])
        out["ts"] = parsed.values
        if parsed.note and (parsed.ambiguous or parsed.order not in ("native", "iso")):
            warnings.append(f"'{ts_col.source}': {parsed.note}")
        raw = data[ts_col.index]
        reject(
            parsed.failed,
            ts_col.source,
            raw[parsed.failed].map(lambda v: f"The date '{v}' cannot be read."),
        )
    else:
        out["ts"] = pd.NaT

    for role in ("stage", "touchpoint", "channel"):
        out[role] = field_text(role)

    # Text
    comment = field_text("comment")
    out["comment"] = comment
    lang = plan.first("language")
    if lang is not None:
        out["language"] = normalise_language(data[lang.index])
    elif comment is not None:
        out["language"] = detect_language(comment)
    else:
        out["language"] = None
    theme = plan.first("theme")
    if theme is not None:
        out["themes"] = _split_themes(_text(data[theme.index]))
        out["theme_source"] = np.where(out["themes"].map(len) > 0, "export", None)
    else:
        out["themes"] = None
        out["theme_source"] = None

    # Segments and everything unmapped (kept, never thrown away)
    seg_cols = plan.by_role("segment")
    segment_dims = [c.source for c in seg_cols]
    for i, c in enumerate(seg_cols):
        out[f"seg_{i}"] = _text(data[c.index])
    extra_cols = plan.by_role("extra")
    out["extra"] = _extra_json(data, extra_cols) if extra_cols else None

    # Scores
    ratings, rating_errors = _ratings(data, plan, options, warnings)
    for idx_mask, column, reasons in rating_errors:
        reject(idx_mask, column, reasons)

    # Rejected rows load nothing.
    out = out[~bad]
    ratings = ratings[~ratings["rix"].isin(bad[bad].index)] if len(ratings) else ratings
    # Comment-only responses (reviews without stars, complaints) become one "comment" row.
    orphan = out.index.difference(ratings["rix"].unique()) if len(ratings) else out.index
    if len(orphan):
        ratings = pd.concat(
            [
                ratings,
                pd.DataFrame(
                    {
                        "rix": orphan,
                        "metric": "comment",
                        "touchpoint": None,
                        "raw_value": None,
                        "value": np.nan,
                        "scale_min": np.nan,
                        "scale_max": np.nan,
                        "score": np.nan,
                    }
                ),
            ],
            ignore_index=True,
        )
    return SheetResult(plan, out, ratings, rows_read, errors, warnings, segment_dims)


def _split_themes(col: pd.Series) -> pd.Series:
    def split(v: Any) -> list[str]:
        if not v:
            return []
        parts = [p.strip() for p in re.split(r"[;,|/、，；]", str(v)) if p.strip()]
        return sorted({p.casefold() if p.casefold() in THEME_NAMES else p for p in parts})

    return col.map(split)


def _extra_json(data: pd.DataFrame, cols: list) -> pd.Series:
    frame = pd.DataFrame({c.source: data[c.index] for c in cols}, index=data.index)
    frame = frame.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    lines = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
    return pd.Series(
        lines.strip().split("\n") if lines.strip() else [], index=data.index, dtype=object
    )


def _ratings(
    data: pd.DataFrame, plan: SheetPlan, options: ImportOptions, warnings: list[str]
) -> tuple[pd.DataFrame, list[tuple[pd.Series, str, pd.Series | str]]]:
    """Every score cell as a rating event, plus masks of cells that are not valid scores."""
    frames = []
    errs: list[tuple[pd.Series, str, pd.Series | str]] = []
    cols = [c for c in plan.columns if c.role in METRIC_ROLES or c.role == "touchpoint_rating"]
    for c in cols:
        metric = "rating" if c.role == "touchpoint_rating" else c.role
        raw = data[c.index]
        raw = raw.where(~_per_unique(raw, _not_applicable, dtype=bool))
        present = ~_per_unique(raw, _is_blank, dtype=bool)
        numbers = V.to_number(raw)
        labels = V.label_scores(raw) if present.any() and numbers[present].isna().mean() > 0.5 else None
        if labels is not None:
            numbers = labels.apply(raw)
            scale = labels.to_scale()
        else:
            scale = V.detect_scale(numbers, metric=metric, header=c.source)
        not_number = present & numbers.isna()
        if not_number.any():
            errs.append(
                (
                    not_number,
                    c.source,
                    raw[not_number].map(lambda v, s=c.source: f"'{v}' in '{s}' is not a score."),
                )
            )
        if scale.na_code is not None:
            numbers = numbers.where(numbers != scale.na_code)
        out_of_range = numbers.notna() & ((numbers < scale.min) | (numbers > scale.max))
        if out_of_range.any():
            bounds = f"{_fmt(scale.min)}-{_fmt(scale.max)}"
            errs.append(
                (
                    out_of_range,
                    c.source,
                    numbers[out_of_range].map(
                        lambda v, s=c.source, b=bounds: f"{_fmt(v)} in '{s}' is outside the {b} scale."
                    ),
                )
            )
        ok = numbers.notna() & ~out_of_range
        if not ok.any():
            continue
        vals = numbers[ok]
        if metric == "ces" and options.reverse_ces:
            vals = V.reverse_values(vals, scale)
        score = V.normalise(vals, scale)
        frames.append(
            pd.DataFrame(
                {
                    "rix": vals.index,
                    "metric": metric,
                    "touchpoint": c.touchpoint if c.role == "touchpoint_rating" else None,
                    "raw_value": _text(raw[ok]).to_numpy(),
                    "value": vals.to_numpy(dtype=float),
                    "scale_min": float(scale.min),
                    "scale_max": float(scale.max),
                    "score": score.to_numpy(dtype=float),
                }
            )
        )
    if not frames:
        empty = pd.DataFrame(
            columns=[
                "rix",
                "metric",
                "touchpoint",
                "raw_value",
                "value",
                "scale_min",
                "scale_max",
                "score",
            ]
        )
        return empty, errs
    return pd.concat(frames, ignore_index=True), errs


def _not_applicable(v: Any) -> bool:
    return isinstance(v, str) and bool(_NOT_APPLICABLE.match(v))


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# ---------------------------------------------------------------------------
# Touchpoint map and promise
# ---------------------------------------------------------------------------
PROVIDERS = (
    "Communications",
    "Visual and verbal identity",
    "Product presence",
    "Co-branding",
    "Spatial environments",
    "Websites and electronic media",
    "People",
)


def _prepare_map(
    wb: RawWorkbook, plans: list[SheetPlan], options: ImportOptions, ws: Workspace | None
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[SheetResult]]:
    map_rows = promise_rows = None
    results = []
    for plan in plans:
        sheet = wb.sheet(plan.sheet)
        plan = _apply_overrides(sheet, plan, options, ws)
        data = sheet.data.iloc[plan.data_start :]
        data = data[~_blank_rows(data)]
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
            _text(data[c.index])
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
def _new_import_id() -> str:
    return uuid.uuid4().hex[:10]


def _commit(ws: Workspace, p: Prepared, options: ImportOptions) -> ImportResult:
    wb = p.workbook
    sheet_names = [s.plan.sheet for s in p.sheets]
    sheet_label = ", ".join(sheet_names)
    first = p.sheets[0].plan
    errors = [e for s in p.sheets for e in s.errors]
    warnings = p.warnings + [w for s in p.sheets for w in s.warnings]
    mapping = (
        first.mapping()
        if len(p.sheets) == 1
        else {s.plan.sheet: s.plan.mapping() for s in p.sheets}
    )
    base = ImportResult(
        file=wb.file_name,
        status="loaded",
        message="",
        kind=p.kind,
        sheet=sheet_label,
        sheets=sheet_names,
        layout=first.layout,
        header_rows=first.header_rows,
        rows_read=sum(s.rows_read for s in p.sheets),
        mapping=mapping,
        warnings=warnings,
        errors=[asdict(e) for e in errors[:MAX_REPORTED_ERRORS]],
    )

    dup = ws.fetchall(
        "SELECT import_id, imported_at FROM imports WHERE sha256 = ? AND sheet IS NOT DISTINCT FROM ?"
        " AND undone_at IS NULL ORDER BY imported_at DESC LIMIT 1",
        [wb.sha256, sheet_label],
    )
    if dup:
        base.status = "duplicate"
        base.import_id = dup[0][0]
        base.message = (
            f"{wb.file_name} was already imported on {dup[0][1]:%Y-%m-%d %H:%M} "
            f"(import {dup[0][0]}); nothing was added."
        )
        return base

    import_id = _new_import_id()
    base.import_id = import_id
    if p.kind == "touchpoints":
        return _commit_map(ws, p, base, options)

    with ws.transaction() as cur:
        loaded = duplicates = 0
        respondents = 0
        touchpoints: set[str] = set()
        for s in p.sheets:
            n_loaded, n_dup, resp, tps = _insert_feedback(cur, import_id, s, len(p.sheets) > 1)
            loaded += n_loaded
            duplicates += n_dup
            respondents += resp
            touchpoints |= tps
        base.rows_loaded = loaded
        base.rows_duplicate = duplicates
        base.rows_rejected = len({(e.sheet, e.row) for e in errors})
        base.respondents = respondents
        base.touchpoints = sorted(touchpoints)
        if loaded == 0 and duplicates > 0:
            base.status = "duplicate"
        elif loaded == 0:
            raise ImportRejected(
                f"{wb.file_name}: none of its {base.rows_read:,} rows could be loaded. "
                + (f"First problem, row {errors[0].row}: {errors[0].reason}" if errors else "")
            )
        if duplicates:
            base.warnings.append(
                f"{duplicates:,} response(s) were already in the workspace (same response id) and were skipped."
            )
        _record_import(cur, base, p, options, previous=None)
        _remember(cur, p, options)
    base.message = _summary(base)
    return base


def _arrow(frame: pd.DataFrame, types: dict[str, pa.DataType]) -> pa.Table:
    """A pandas frame as an Arrow table with explicit types (DuckDB scans Arrow fastest)."""
    arrays = []
    for name, typ in types.items():
        col = frame[name]
        if pa.types.is_string(typ) or pa.types.is_list(typ):
            col = col.astype(object).where(col.notna(), None)
        arrays.append(pa.array(col.to_numpy(), type=typ, from_pandas=True))
    return pa.Table.from_arrays(arrays, names=list(types))


def _insert_feedback(cur: Any, import_id: str, s: SheetResult, multi_sheet: bool) -> tuple[int, int, int, set[str]]:
    """Insert one sheet's rows; returns (ratings loaded, duplicate responses, responses, touchpoints)."""
    resp = s.responses.copy()
    if resp.empty:
        return 0, 0, 0, set()
    prefix = f"{import_id}-{_sheet_tag(s.plan.sheet)}" if multi_sheet else import_id
    derived = prefix + "-" + resp["source_row"].astype(str)
    resp["response_id"] = resp["response_id"].where(resp["id_given"], derived)
    resp["rix"] = resp.index
    resp["themes"] = resp["themes"].map(lambda v: v if isinstance(v, list) else [])
    seg_cols = [f"seg_{i}" for i in range(len(s.segment_dims))]
    str_cols = ["response_id", "respondent_id", "stage", "touchpoint", "channel", "comment",
                "language", "theme_source", "extra", *seg_cols]
    resp_arrow = _arrow(
        resp,
        {"rix": pa.int64(), "source_row": pa.int64(), "id_given": pa.bool_(), "ts": pa.timestamp("ns"),
         "themes": pa.list_(pa.string()), **dict.fromkeys(str_cols, pa.string())},
    )
    cur.register("_resp", resp_arrow)
    n_dup = 0
    try:
        if bool(resp["id_given"].iloc[0]):
            # The same response ids from a survey laid out the same way are the same responses;
            # another survey's ids (1, 2, 3 ...) are not.
            existing = cur.execute(
                "SELECT DISTINCT s.rix FROM _resp s JOIN feedback f ON f.response_id = s.response_id"
                " JOIN imports i ON i.import_id = f.import_id"
                " WHERE f.id_given AND i.undone_at IS NULL AND i.fingerprint = ?",
                [s.plan.fingerprint],
            ).fetchall()
            if existing:
                dup_mask = resp["rix"].isin([r[0] for r in existing])
                n_dup = int(dup_mask.sum())
                resp = resp[~dup_mask]
                cur.unregister("_resp")
                cur.register("_resp", resp_arrow.filter(pa.array(~dup_mask.to_numpy())))
        ratings = s.ratings[s.ratings["rix"].isin(resp["rix"])]
        if ratings.empty:
            return 0, n_dup, 0, set()
        ratings_arrow = _arrow(
            ratings,
            {"rix": pa.int64(), "metric": pa.string(), "touchpoint": pa.string(), "raw_value": pa.string(),
             "value": pa.float64(), "scale_min": pa.float64(), "scale_max": pa.float64(), "score": pa.float64()},
        )
        cur.register("_ratings", ratings_arrow)
        if seg_cols:
            # Missing segment values are left out, so a map never holds NULL values.
            seg_expr = (
                "map_from_entries(list_filter(map_entries(map(?::VARCHAR[], ["
                + ", ".join(f"s.{c}" for c in seg_cols)
                + "])), lambda e: e.value IS NOT NULL))"
            )
        else:
            seg_expr = "map()::MAP(VARCHAR, VARCHAR)"
        params: list[Any] = [import_id, s.plan.sheet] + ([s.segment_dims] if seg_cols else [])
        cur.execute(
            f"""
            INSERT INTO feedback (import_id, sheet, source_row, response_id, id_given, respondent_id,
                ts, stage, touchpoint, channel, segments, metric, raw_value, value, scale_min,
                scale_max, score, comment, language, themes, theme_source, extra)
            SELECT ?, ?, s.source_row, s.response_id, s.id_given, s.respondent_id, s.ts,
                CASE WHEN r.touchpoint IS NULL THEN coalesce(tp_row.stage, s.stage) ELSE tp_col.stage END,
                coalesce(tp_col.touchpoint, r.touchpoint, tp_row.touchpoint, s.touchpoint),
                CASE WHEN r.touchpoint IS NULL THEN coalesce(s.channel, tp_row.channel)
                     ELSE tp_col.channel END,
                {seg_expr}, r.metric, r.raw_value, r.value, r.scale_min, r.scale_max, r.score,
                s.comment, s.language, s.themes, s.theme_source, s.extra::JSON
            FROM _ratings r
            JOIN _resp s ON s.rix = r.rix
            LEFT JOIN touchpoints tp_col ON lower(trim(tp_col.touchpoint)) = lower(trim(r.touchpoint))
            LEFT JOIN touchpoints tp_row ON lower(trim(tp_row.touchpoint)) = lower(trim(s.touchpoint))
            """,
            params,
        )
        cur.unregister("_ratings")
    finally:
        cur.unregister("_resp")
    tps = set(ratings["touchpoint"].dropna()) | set(resp["touchpoint"].dropna())
    return len(ratings), n_dup, len(resp), tps


def _sheet_tag(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")[:20] or "sheet"


def _commit_map(
    ws: Workspace, p: Prepared, base: ImportResult, options: ImportOptions
) -> ImportResult:
    with ws.transaction() as cur:
        previous = {
            "touchpoints": cur.execute("SELECT * FROM touchpoints").df().to_dict(orient="records"),
            "promise": cur.execute("SELECT * FROM promise").df().to_dict(orient="records"),
        }
        map_rows = p.map_rows.copy()
        map_rows["import_id"] = base.import_id
        promise = (
            p.promise_rows if p.promise_rows is not None else pd.DataFrame(previous["promise"])
        )
        _write_map(cur, map_rows, promise, base.import_id)
        base.rows_loaded = len(map_rows)
        base.touchpoints = map_rows["touchpoint"].tolist()
        base.layout = "long"
        _record_import(cur, base, p, options, previous=previous)
        _remember(cur, p, options)
    n_stages = p.map_rows["stage"].nunique()
    base.message = (
        f"Loaded a touchpoint map of {base.rows_loaded} touchpoints over {n_stages} journey stages"
        + (
            f" and a brand promise with {int((p.promise_rows['kind'] == 'reason_to_believe').sum())} reasons to believe"
            if p.promise_rows is not None and len(p.promise_rows)
            else ""
        )
        + f" from {p.workbook.file_name}."
    )
    return base


_MAP_COLUMNS = (
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


def _write_map(
    cur: Any, map_rows: pd.DataFrame, promise: pd.DataFrame, import_id: str | None
) -> None:
    """Replace the touchpoint map and promise, then align feedback stages with the map."""
    cur.execute("DELETE FROM touchpoints")
    if len(map_rows):
        frame = map_rows.reindex(columns=list(_MAP_COLUMNS))
        frame = frame.astype(object).where(frame.notna(), None)
        cur.register("_map", frame)
        cur.execute(
            f"INSERT INTO touchpoints ({', '.join(_MAP_COLUMNS)}) SELECT {', '.join(_MAP_COLUMNS)} FROM _map"
        )
        cur.unregister("_map")
    cur.execute("DELETE FROM promise")
    if len(promise):
        frame = promise.reindex(columns=["position", "kind", "name", "description"])
        frame = frame.astype(object).where(frame.notna(), None)
        cur.register("_promise", frame)
        cur.execute("INSERT INTO promise SELECT position, kind, name, description FROM _promise")
        cur.unregister("_promise")
    sync_feedback_with_map(cur)


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


def _record_import(
    cur: Any, r: ImportResult, p: Prepared, options: ImportOptions, previous: Any
) -> None:
    fingerprint = p.sheets[0].plan.fingerprint if p.sheets else None
    values = {
        "import_id": r.import_id,
        "kind": r.kind,
        "file_name": r.file,
        "sha256": p.workbook.sha256,
        "sheet": r.sheet,
        "fingerprint": fingerprint,
        "layout": r.layout,
        "header_rows": r.header_rows,
        "mapping": json.dumps(r.mapping, ensure_ascii=False),
        "options": json.dumps(options.to_dict(), ensure_ascii=False),
        "rows_read": r.rows_read,
        "rows_loaded": r.rows_loaded,
        "rows_rejected": r.rows_rejected,
        "rows_duplicate": r.rows_duplicate,
        "respondents": r.respondents,
        "touchpoints": json.dumps(r.touchpoints, ensure_ascii=False),
        "warnings": json.dumps(r.warnings, ensure_ascii=False),
        "errors": json.dumps(r.errors, ensure_ascii=False, default=str),
        "previous": None if previous is None else json.dumps(previous, ensure_ascii=False, default=str),
    }
    cur.execute(
        f"INSERT INTO imports ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def _remember(cur: Any, p: Prepared, options: ImportOptions) -> None:
    if not (options.overrides and options.remember):
        return
    for s in p.sheets:
        if s.plan.fingerprint:
            cur.execute(
                "INSERT OR REPLACE INTO mapping_memory (fingerprint, kind, overrides) VALUES (?, ?, ?)",
                [s.plan.fingerprint, p.kind, json.dumps(options.overrides, ensure_ascii=False)],
            )


def _summary(r: ImportResult) -> str:
    parts = [f"Loaded {r.respondents:,} responses ({r.rows_loaded:,} ratings) from {r.file}"]
    if r.sheet and r.sheets and r.sheets != [None]:
        parts[0] += f", sheet '{r.sheet}'" if len(r.sheets) == 1 else f", sheets {r.sheet}"
    parts[0] += (
        f" ({r.layout} layout, {r.header_rows} header row{'s' if r.header_rows != 1 else ''})."
    )
    if r.rows_rejected:
        parts.append(
            f"{r.rows_rejected:,} row(s) were rejected; see the errors for row numbers and reasons."
        )
    if r.rows_duplicate:
        parts.append(f"{r.rows_duplicate:,} response(s) were already loaded and were skipped.")
    return " ".join(parts)
