"""A planned feedback sheet as canonical responses and rating events, with every rejected row.

Each response gets its ids, timestamp, journey fields, comment, language,
experience themes, segments and unmapped columns; each score cell becomes a
rating event on its detected scale. Nothing here writes to the workspace.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cxdash.domain import THEMES
from cxdash.ingest import values as V
from cxdash.ingest.cells import Cells, broadcast, cell_text, per_unique
from cxdash.ingest.import_types import (
    MAX_REPORTED_ERRORS,
    METRIC_ROLES,
    ImportOptions,
    RowError,
    SheetResult,
)
from cxdash.ingest.language import detect_language, normalise_language
from cxdash.ingest.model import ColumnMap, RawSheet, SheetPlan
from cxdash.themes import CompiledCodebook, compile_codebook, load_codebook, tag_comments
from cxdash.workspace import Workspace

# The label of a total row (an RE2 pattern, matched case-insensitively on the trimmed cell).
_TOTAL_LABEL = (
    r"^(grand\s+total|sub\s*total|total|totals|sum|average|mean|tổng( cộng)?|tong( cong)?|"
    r"合计|合計|总计|總計|小计|小計|平均)\s*:?$"
)


# Cells that mean "not applicable / no answer" rather than a score.
_NOT_APPLICABLE = re.compile(
    r"^\s*(n/?a|na|n\.a\.|-+|—|none|null|not applicable|no answer|skipped|don't know|dont know|"
    r"không áp dụng|khong ap dung|không có|khong co|不适用|不適用|无|無)\s*$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------
# Theme codebook
# ---------------------------------------------------------------------------
def compiled_codebook(ws: Workspace | None) -> CompiledCodebook:
    """The workspace's theme codebook compiled (the default one without a workspace)."""
    if ws is None:
        return _compiled(None)
    book = load_codebook(ws)
    return _compiled(tuple(zip(book["theme"], book["keyword"], strict=True)))


@functools.lru_cache(maxsize=8)
def _compiled(pairs: tuple[tuple[str, str], ...] | None) -> CompiledCodebook:
    """Compiling takes a while and the codebook rarely changes between imports: cache it."""
    if pairs is None:
        return compile_codebook(None)
    by_theme: dict[str, list[str]] = {}
    for theme, keyword in pairs:
        by_theme.setdefault(theme, []).append(keyword)
    return compile_codebook(by_theme)


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------
def _is_word(v: Any) -> bool:
    """Whether a cell is non-empty text (numbers and dates are not words)."""
    return isinstance(v, str) and not v.isspace() and v != ""


def _not_applicable(v: Any) -> bool:
    return isinstance(v, str) and bool(_NOT_APPLICABLE.match(v))


def _json_cell(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _unique_ids(ids: pd.Series) -> bool:
    present = ids.dropna()
    return len(present) == len(ids) and present.is_unique


def _field_text(cells: Cells, plan: SheetPlan, role: str) -> pd.Series | None:
    c = plan.first(role)
    return cells.text(c.index) if c is not None else None


class _Rejections:
    """The rows of one sheet that load nothing, each with the first reason found."""

    def __init__(self, rows: pd.Series, sheet: str) -> None:
        self.rows = rows  # Excel row number of every data row
        self.sheet = sheet
        self.bad = pd.Series(False, index=rows.index)
        self.errors: list[RowError] = []

    def add(self, mask: pd.Series, column: str | None, reasons: pd.Series | str) -> None:
        new = mask & ~self.bad
        if not new.any():
            return
        room = max(MAX_REPORTED_ERRORS - len(self.errors), 0)
        idx = new[new].index[:room]
        texts = [reasons] * len(idx) if isinstance(reasons, str) else reasons.loc[idx].tolist()
        self.errors.extend(
            RowError(int(r), column, str(t), self.sheet)
            for r, t in zip(self.rows.loc[idx], texts, strict=True)
        )
        self.bad |= new

    @property
    def count(self) -> int:
        return int(self.bad.sum())

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: e.row)


def canonical_feedback(
    sheet: RawSheet, plan: SheetPlan, options: ImportOptions, codebook: CompiledCodebook
) -> SheetResult:
    """One sheet as canonical responses and rating events, with every rejected row and why."""
    warnings = list(plan.warnings)
    cells, rows = _data_rows(sheet, plan, warnings)
    data = cells.data
    rejected = _Rejections(rows, sheet.name)
    _reject_total_rows(cells, rejected)
    if sheet.cut_off and len(data):
        rejected.add(
            pd.Series(data.index == data.index[-1], index=data.index),
            None,
            "The file ends part-way through this row (the export was cut off), so it was not loaded.",
        )

    out = pd.DataFrame(index=data.index)
    out["source_row"] = rows.astype("int64")
    _add_identity(out, cells, plan, rejected.bad, warnings)
    _add_timestamps(out, data, plan, rejected, warnings)
    for role in ("stage", "touchpoint", "channel"):
        out[role] = _field_text(cells, plan, role)
    _add_text(out, cells, plan, codebook)
    segment_dims = _add_segments_and_extra(out, cells, plan)

    ratings, rating_errors = _ratings(cells, plan, options, warnings)
    for mask, column, reasons in rating_errors:
        rejected.add(mask, column, reasons)

    # Rejected rows load nothing.
    out = out[~rejected.bad]
    if len(ratings):
        ratings = ratings[~ratings["rix"].isin(rejected.bad[rejected.bad].index)]
    ratings = _with_comment_rows(out, ratings)
    return SheetResult(
        plan,
        out,
        ratings,
        rows_read=len(data),
        errors=rejected.sorted_errors(),
        warnings=warnings,
        segment_dims=segment_dims,
        rows_rejected=rejected.count,
    )


def _data_rows(sheet: RawSheet, plan: SheetPlan, warnings: list[str]) -> tuple[Cells, pd.Series]:
    """The non-empty rows under the header, and their Excel row numbers."""
    cells = Cells(sheet.data.iloc[plan.data_start :])
    index = cells.data.index
    rows = pd.Series(sheet.first_row + np.arange(plan.data_start, len(sheet.data)), index=index)
    blank = cells.blank_rows()
    if blank.any() and (~blank).any():
        # Blank rows after the last response are formatting, not content: say nothing of those.
        inner = blank & (rows < rows[~blank].max())
        if inner.any():
            sample = ", ".join(str(r) for r in rows[inner].head(5))
            more = "..." if inner.sum() > 5 else ""
            warnings.append(f"Skipped {int(inner.sum())} empty row(s) (row {sample}{more}).")
    return cells.subset(~blank), rows[~blank]


def _reject_total_rows(cells: Cells, rejected: _Rejections) -> None:
    """Total rows ("Grand Total", "Tổng cộng", "合计"): the row's first text cell names a total."""
    index = cells.data.index
    total = pd.Series(False, index=index)
    undecided = pd.Series(True, index=index)  # no text cell met yet
    for j in cells.data.columns:
        if not undecided.any():
            break
        words = cells.map(j, _is_word, dtype=bool)
        total |= undecided & words & cells.matches(j, _TOTAL_LABEL)
        undecided &= ~words
    rejected.add(total, None, "This looks like a total row, not a response.")


def _add_identity(
    out: pd.DataFrame, cells: Cells, plan: SheetPlan, bad: pd.Series, warnings: list[str]
) -> None:
    """Response ids from the export when they identify responses, else rows are numbered."""
    rid = _field_text(cells, plan, "response_id")
    id_given = rid is not None and _unique_ids(rid[~bad])
    if rid is not None and not id_given:
        dup = rid[rid.duplicated(keep=False) & rid.notna()]
        example = dup.iloc[0] if len(dup) else "(empty)"
        warnings.append(
            f"The column '{plan.first('response_id').source}' cannot identify responses: "
            f"values repeat or are missing (e.g. '{example}'), so rows were numbered instead."
        )
    out["id_given"] = id_given
    out["response_id"] = rid if id_given else None
    out["respondent_id"] = _field_text(cells, plan, "respondent_id")


def _add_timestamps(
    out: pd.DataFrame,
    data: pd.DataFrame,
    plan: SheetPlan,
    rejected: _Rejections,
    warnings: list[str],
) -> None:
    ts_col = plan.first("timestamp")
    if ts_col is None:
        out["ts"] = pd.NaT
        return
    parsed = V.parse_dates(data[ts_col.index])
    out["ts"] = parsed.values
    if parsed.note and (parsed.ambiguous or parsed.order not in ("native", "iso")):
        warnings.append(f"'{ts_col.source}': {parsed.note}")
    failed = data[ts_col.index][parsed.failed]
    rejected.add(
        parsed.failed,
        ts_col.source,
        per_unique(failed, lambda v: f"The date '{v}' cannot be read."),
    )


def _add_text(out: pd.DataFrame, cells: Cells, plan: SheetPlan, codebook: CompiledCodebook) -> None:
    """Comment, its language and its experience themes."""
    comment = _field_text(cells, plan, "comment")
    out["comment"] = comment
    lang = plan.first("language")
    if lang is not None:
        out["language"] = normalise_language(cells.data[lang.index])
    elif comment is not None:
        out["language"] = detect_language(comment)
    else:
        out["language"] = None
    out["themes"], out["theme_source"] = _themes(cells, plan, comment, codebook)


def _themes(
    cells: Cells, plan: SheetPlan, comment: pd.Series | None, codebook: CompiledCodebook
) -> tuple[pd.Series, pd.Series]:
    """Each row's themes and where they came from: the export's theme column wins
    (``export``); other rows with a comment are tagged with the codebook (``codebook``)."""
    index = cells.data.index
    col = plan.first("theme")
    given = cells.map(col.index, _theme_list) if col is not None else None
    from_export = (
        given.map(bool).astype(bool) if given is not None else pd.Series(False, index=index)
    )
    if comment is None:
        comment = pd.Series(None, index=index, dtype=object)
    to_tag = comment.where(~from_export)
    # Tag each distinct comment once (a wide survey repeats nothing, a long one a lot).
    codes, uniques = pd.factorize(to_tag.to_numpy(dtype=object), use_na_sentinel=True)
    tagged = tag_comments(pd.Series(uniques, dtype=object), codebook).tolist()
    themes = broadcast([*tagged, []], codes, index, object)
    if given is not None:
        themes = given.where(from_export, themes)
    source = np.where(from_export, "export", np.where(to_tag.notna(), "codebook", None))
    return themes, pd.Series(source, index=index, dtype=object)


def _theme_list(v: Any) -> list[str]:
    """A theme cell ("Trust; convenience") as a sorted list of theme names."""
    text = cell_text(v)
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"[;,|/、，；]", text) if p.strip()]
    return sorted({p.casefold() if p.casefold() in THEMES else p for p in parts})


def _add_segments_and_extra(out: pd.DataFrame, cells: Cells, plan: SheetPlan) -> list[str]:
    """Segment columns (``seg_0``...) and every unmapped column kept as JSON; the segment names."""
    seg_cols = plan.by_role("segment")
    for i, c in enumerate(seg_cols):
        out[f"seg_{i}"] = cells.text(c.index)
    extra_cols = plan.by_role("extra")
    out["extra"] = _extra_json(cells, extra_cols) if extra_cols else None
    return [c.source for c in seg_cols]


def _extra_json(cells: Cells, cols: list[ColumnMap]) -> pd.Series:
    """Unmapped columns of every row as one JSON object (dates in ISO form)."""
    frame = pd.DataFrame(
        {c.source: cells.map(c.index, _json_cell) for c in cols}, index=cells.data.index
    )
    lines = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
    return pd.Series(
        lines.strip().split("\n") if lines.strip() else [], index=frame.index, dtype=object
    )


def _with_comment_rows(responses: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """Responses without any score (reviews without stars, complaints) get one "comment" row."""
    orphan = (
        responses.index.difference(ratings["rix"].unique()) if len(ratings) else responses.index
    )
    if not len(orphan):
        return ratings
    rows = pd.DataFrame(
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
    )
    return pd.concat([ratings, rows], ignore_index=True) if len(ratings) else rows


# ---------------------------------------------------------------------------
# Ratings
# ---------------------------------------------------------------------------
_RatingErrors = list[tuple[pd.Series, str, pd.Series]]


RATING_TYPES: dict[str, pa.DataType] = {
    "rix": pa.int64(),
    "metric": pa.string(),
    "touchpoint": pa.string(),
    "raw_value": pa.string(),
    "value": pa.float64(),
    "scale_min": pa.float64(),
    "scale_max": pa.float64(),
    "score": pa.float64(),
}


def _ratings(
    cells: Cells, plan: SheetPlan, options: ImportOptions, warnings: list[str]
) -> tuple[pd.DataFrame, _RatingErrors]:
    """Every score cell as a rating event, plus masks of cells that are not valid scores."""
    frames = []
    errs: _RatingErrors = []
    for c in plan.columns:
        if c.role in METRIC_ROLES or c.role == "touchpoint_rating":
            frame = _column_ratings(cells, c, options, errs)
            if frame is not None:
                frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=list(RATING_TYPES)), errs
    return pd.concat(frames, ignore_index=True), errs


def _column_ratings(
    cells: Cells, c: ColumnMap, options: ImportOptions, errs: _RatingErrors
) -> pd.DataFrame | None:
    """The valid scores of one column; cells that are not valid scores go to ``errs``."""
    metric = "rating" if c.role == "touchpoint_rating" else c.role
    raw = cells.data[c.index]
    present = ~(cells.text(c.index).isna() | cells.map(c.index, _not_applicable, dtype=bool))
    raw = raw.where(present)
    numbers = V.to_number(raw)
    labels = V.label_scores(raw) if present.any() and numbers[present].isna().mean() > 0.5 else None
    if labels is not None:
        numbers = labels.apply(raw)
        scale = labels.to_scale()
    else:
        scale = V.detect_scale(numbers, metric=metric, header=c.source)
    not_number = present & numbers.isna()
    if not_number.any():
        reasons = per_unique(raw[not_number], lambda v: f"'{v}' in '{c.source}' is not a score.")
        errs.append((not_number, c.source, reasons))
    if scale.na_code is not None:
        numbers = numbers.where(numbers != scale.na_code)
    outside = numbers.notna() & ((numbers < scale.min) | (numbers > scale.max))
    if outside.any():
        bounds = f"{_fmt(scale.min)}-{_fmt(scale.max)}"
        reasons = per_unique(
            numbers[outside], lambda v: f"{_fmt(v)} in '{c.source}' is outside the {bounds} scale."
        )
        errs.append((outside, c.source, reasons))
    ok = numbers.notna() & ~outside
    if not ok.any():
        return None
    vals = numbers[ok]
    if metric == "ces" and options.reverse_ces:
        vals = V.reverse_values(vals, scale)
    return pd.DataFrame(
        {
            "rix": vals.index,
            "metric": metric,
            "touchpoint": c.touchpoint if c.role == "touchpoint_rating" else None,
            "raw_value": cells.text(c.index)[ok].to_numpy(),
            "value": vals.to_numpy(dtype=float),
            "scale_min": float(scale.min),
            "scale_max": float(scale.max),
            "score": V.normalise(vals, scale).to_numpy(dtype=float),
        }
    )


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
