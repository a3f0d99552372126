"""From a file to the workspace: validate, load in one transaction, stay idempotent, allow undo.

``prepare()`` reads a file, plans its sheets and turns them into canonical rows
with a validation report, writing nothing (the Data page previews this).
``import_file()`` prepares and then loads everything in one transaction:
either the whole file lands or nothing does. A bad file never raises; it
comes back as an :class:`ImportResult` with ``status == "rejected"`` and a
plain-language ``message``.
"""

from __future__ import annotations

import functools
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
import pyarrow.compute as pc

from cxdash.domain import PROVIDERS, THEMES
from cxdash.errors import ImportRejected
from cxdash.ingest import values as V
from cxdash.ingest.header import text_of
from cxdash.ingest.language import detect_language, normalise_language
from cxdash.ingest.mapping import plan_sheet, plan_workbook, promise_entries
from cxdash.ingest.model import ColumnMap, RawSheet, RawWorkbook, SheetPlan
from cxdash.ingest.sniff import read_file
from cxdash.ingest.synonyms import normalise_label
from cxdash.themes import CompiledCodebook, compile_codebook, load_codebook, tag_comments
from cxdash.workspace import Workspace

log = logging.getLogger(__name__)

Kind = Literal["auto", "feedback", "touchpoints"]
METRIC_ROLES = ("nps", "csat", "ces", "overall", "rating")
MAX_REPORTED_ERRORS = 1000
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
    # Where the header is, when detection got it wrong: (Excel row of its first line, rows 0-3).
    # Applies to ``sheet`` (or to the only sheet of the file).
    header: tuple[int, int] | None = None

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
    rows_rejected: int = 0  # every rejected row (``errors`` stops at MAX_REPORTED_ERRORS)


@dataclass
class Prepared:
    workbook: RawWorkbook
    kind: str  # feedback | touchpoints
    sheets: list[SheetResult]
    map_rows: pd.DataFrame | None = None  # touchpoint map
    promise_rows: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    remember: list[str] = field(default_factory=list)  # layouts whose column choices to save


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
    """Read, plan and validate a file without writing anything. Raises ImportRejected.

    ``ws`` supplies the column choices remembered for a source layout and the
    theme codebook; without it the default codebook tags the comments.
    """
    options = options or ImportOptions()
    name = file_name or Path(str(source)).name
    wb = read_file(source, name)
    _check_sheet_name(wb, options.sheet)
    _apply_header_choice(wb, options)
    plans = plan_workbook(wb.sheets, sheet=options.sheet)
    plans, overridden = _with_overrides(wb, plans, options, ws)
    chosen = _choose_plans(plans, options, wb)
    kind = "touchpoints" if chosen[0].kind in ("touchpoints", "promise") else "feedback"
    warnings = [*wb.warnings, *_skipped_sheets_note(wb, plans, chosen, kind)]
    remember = [p.fingerprint for p in chosen if p.sheet in overridden and p.fingerprint]

    if kind == "touchpoints":
        map_rows, promise_rows, results = _prepare_map(wb, chosen)
        return Prepared(wb, kind, results, map_rows, promise_rows, warnings, remember)
    codebook = _codebook(ws)
    results = [_canonical_feedback(wb.sheet(p.sheet), p, options, codebook) for p in chosen]
    return Prepared(wb, kind, results, warnings=warnings, remember=remember)


def _apply_header_choice(wb: RawWorkbook, options: ImportOptions) -> None:
    if options.header is None:
        return
    if options.sheet is None and len(wb.sheets) > 1:
        raise ImportRejected(
            f"{wb.file_name} has {len(wb.sheets)} sheets: choose the sheet whose header you set."
        )
    target = wb.sheet(options.sheet) if options.sheet is not None else wb.sheets[0]
    target.header_hint = (int(options.header[0]), int(options.header[1]))


def import_file(
    ws: Workspace,
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    options: ImportOptions | None = None,
) -> ImportResult:
    """Import one file all-or-nothing. Never raises for bad input: see ``status`` and ``message``."""
    options = options or ImportOptions()
    name = file_name or Path(str(source)).name
    return _never_raise(name, lambda: _commit(ws, prepare(source, name, options, ws), options))


def import_prepared(ws: Workspace, prepared: Prepared, options: ImportOptions) -> ImportResult:
    """Load what :func:`prepare` made (after a user reviewed it), all-or-nothing, never raising."""
    return _never_raise(prepared.workbook.file_name, lambda: _commit(ws, prepared, options))


def _never_raise(name: str, work: Any) -> ImportResult:
    try:
        return work()
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
            what = _undo_feedback(cur, import_id)
        else:
            what = _undo_map(cur, import_id, file_name, previous, imported_at)
        cur.execute(
            "UPDATE imports SET undone_at = current_timestamp WHERE import_id = ?", [import_id]
        )
    return f"Undid import {import_id} ({file_name}): {what}."


def _undo_feedback(cur: Any, import_id: str) -> str:
    n = cur.execute("SELECT count(*) FROM feedback WHERE import_id = ?", [import_id]).fetchone()[0]
    cur.execute("DELETE FROM feedback WHERE import_id = ?", [import_id])
    return f"{n:,} rating rows removed"


def _undo_map(cur: Any, import_id: str, file_name: str, previous: Any, imported_at: Any) -> str:
    """Put back the map and promise this import replaced (only the latest map can be undone)."""
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
    _write_map(cur, pd.DataFrame(prev["touchpoints"]), pd.DataFrame(prev["promise"]))
    return "the previous touchpoint map and promise restored"


# ---------------------------------------------------------------------------
# Sheet choice and overrides
# ---------------------------------------------------------------------------
_WANTED_KINDS: dict[str, tuple[str, ...]] = {
    "auto": ("feedback", "touchpoints", "promise"),
    "feedback": ("feedback",),
    "touchpoints": ("touchpoints", "promise"),
}


def _check_sheet_name(wb: RawWorkbook, sheet: str | None) -> None:
    if sheet is not None and sheet not in [s.name for s in wb.sheets]:
        names = ", ".join(f"'{s.name}'" for s in wb.sheets)
        raise ImportRejected(
            f"{wb.file_name} has no sheet named '{sheet}'. Its sheets are: {names}."
        )


def _forced_kind(options: ImportOptions) -> str:
    """The kind a sheet is read as when the user insists on reading it."""
    return "touchpoints" if options.kind == "touchpoints" else "feedback"


def _remembered(ws: Workspace | None, fingerprint: str) -> dict[str, str] | None:
    if ws is None or not fingerprint:
        return None
    row = ws.fetchall("SELECT overrides FROM mapping_memory WHERE fingerprint = ?", [fingerprint])
    return json.loads(row[0][0]) if row else None


def _has_columns(plan: SheetPlan, labels: list[str]) -> bool:
    sources = {c.source for c in plan.columns}
    keys = {normalise_label(c.source) for c in plan.columns}
    return all(lbl in sources or normalise_label(lbl) in keys for lbl in labels)


def _with_overrides(
    wb: RawWorkbook, plans: list[SheetPlan], options: ImportOptions, ws: Workspace | None
) -> tuple[list[SheetPlan], set[str]]:
    """Plans with the user's column choices applied; else those remembered for the layout.

    The user's choices apply to the sheet(s) that have every column they name (a
    chosen ``--sheet`` always). Returns the plans and the names of the sheets the
    user's own choices were applied to (those choices are remembered).
    """
    user = options.overrides or None
    targets = set()
    if user:
        targets = {
            p.sheet for p in plans if options.sheet is not None or _has_columns(p, list(user))
        }
        if not targets:
            _replan(wb.sheet(plans[0].sheet), plans[0], user, options)  # raises: names the columns
    out = []
    for plan in plans:
        if plan.sheet in targets:
            out.append(_replan(wb.sheet(plan.sheet), plan, user, options))
            continue
        saved = _remembered(ws, plan.fingerprint)
        if saved is None:
            out.append(plan)
            continue
        replanned = _replan(wb.sheet(plan.sheet), plan, saved, options)
        choices = ", ".join(f"'{col}' as {role}" for col, role in saved.items())
        replanned.warnings.append(
            f"Applied the column choices you made before for files laid out like this one ({choices})."
        )
        out.append(replanned)
    return out, targets


def _replan(
    sheet: RawSheet, plan: SheetPlan, overrides: dict[str, str], options: ImportOptions
) -> SheetPlan:
    kind = plan.kind if plan.kind != "unknown" else _forced_kind(options)
    try:
        return plan_sheet(sheet, kind=kind, overrides=overrides)
    except ValueError as exc:
        raise ImportRejected(str(exc)) from exc


def _choose_plans(
    plans: list[SheetPlan], options: ImportOptions, wb: RawWorkbook
) -> list[SheetPlan]:
    """The sheet(s) to read: every feedback sheet, or a touchpoint map and its promise sheet."""
    if options.sheet is not None:
        plan = plans[0]
        if plan.kind not in _WANTED_KINDS[options.kind] or plan.kind == "unknown":
            plan = plan_sheet(wb.sheet(plan.sheet), kind=_forced_kind(options))
        return [plan]
    usable = [p for p in plans if p.kind in _WANTED_KINDS[options.kind]]
    if not usable and len(plans) == 1:
        usable = _read_anyway(wb.sheet(plans[0].sheet), plans[0], options)
    if not usable:
        raise ImportRejected(_not_usable_message(wb.file_name, plans, options))
    if usable[0].kind == "feedback":
        return [p for p in usable if p.kind == "feedback"]
    # A touchpoint map comes with an optional promise sheet.
    tps = [p for p in usable if p.kind == "touchpoints"][:1]
    prom = [p for p in usable if p.kind == "promise"][:1]
    return tps + prom


def _read_anyway(sheet: RawSheet, only: SheetPlan, options: ImportOptions) -> list[SheetPlan]:
    """A single table that is not clearly of the wanted kind (e.g. a one-response survey
    export): read it as that kind when it has what that kind needs, and say so."""
    if not only.header_rows:
        return []
    kind = _forced_kind(options)
    plan = plan_sheet(sheet, kind=kind)
    needed = (
        ("touchpoint",)
        if kind == "touchpoints"
        else (*METRIC_ROLES, "touchpoint_rating", "comment")
    )
    if not any(c.role in needed for c in plan.columns):
        return []
    what = "a touchpoint map" if kind == "touchpoints" else "feedback"
    plan.warnings.append(
        f"This table did not clearly look like {what}; it was read as {what} anyway."
    )
    return [plan]


def _not_usable_message(name: str, plans: list[SheetPlan], options: ImportOptions) -> str:
    what = {"feedback": "feedback", "touchpoints": "a touchpoint map"}.get(
        options.kind, "feedback or a touchpoint map"
    )
    notes = " ".join(p.warnings[0] for p in plans if p.warnings)
    return (
        f"{name} does not look like {what}: no sheet has the columns cxdash needs "
        "(for feedback: a score such as NPS, CSAT, CES or a rating, or a comment column; for a "
        "touchpoint map: touchpoint and journey stage). "
        + (f"{notes} " if notes else "")
        + "Check the file, or choose the sheet and columns yourself."
    )


def _skipped_sheets_note(
    wb: RawWorkbook, plans: list[SheetPlan], chosen: list[SheetPlan], kind: str
) -> list[str]:
    """Which sheet(s) were read and why the others were not, when the file has several."""
    if len(wb.sheets) < 2:
        return []
    read = {p.sheet for p in chosen}
    names = ", ".join(f"'{p.sheet}'" for p in chosen)
    note = f"Read sheet {names} ({len(read)} of the {len(wb.sheets)} sheets)."
    skipped = [p for p in plans if p.sheet not in read]
    if not skipped:
        return [note]
    reasons = " ".join(_skip_reason(p, kind) for p in skipped)
    return [f"{note} {reasons} Choose another sheet if this is wrong."]


_KIND_WORDS = {
    "feedback": "feedback",
    "touchpoints": "a touchpoint map",
    "promise": "a brand promise",
}


def _skip_reason(plan: SheetPlan, kind: str) -> str:
    """Why a sheet was not read, as one sentence."""
    if plan.kind == "unknown" and plan.warnings:
        # The planner's first note says why, e.g. "The sheet 'Summary' looks like a pivot table".
        return plan.warnings[0]
    if plan.kind == kind:
        return f"The sheet '{plan.sheet}' was not read: one touchpoint map is read per file."
    return (
        f"The sheet '{plan.sheet}' looks like {_KIND_WORDS.get(plan.kind, plan.kind)}, "
        f"not {_KIND_WORDS[kind]}; import it on its own."
    )


# ---------------------------------------------------------------------------
# Feedback: canonical rows
# ---------------------------------------------------------------------------
def _codebook(ws: Workspace | None) -> CompiledCodebook:
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


def _cell_text(v: Any) -> str | None:
    """One cell as text, the way the header reader shows it (see ``text_of``); None if empty."""
    return text_of(v) or None


def _is_word(v: Any) -> bool:
    """Whether a cell is non-empty text (numbers and dates are not words)."""
    return isinstance(v, str) and not v.isspace() and v != ""


def _not_applicable(v: Any) -> bool:
    return isinstance(v, str) and bool(_NOT_APPLICABLE.match(v))


def _json_cell(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _texts(values: np.ndarray) -> list[str | None]:
    """:func:`_cell_text` of many values; all-text columns (ids, comments) are trimmed at once."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        stripped = pd.Series(values, dtype=object).str.strip()
        return stripped.where(stripped != "", None).tolist()
    return [_cell_text(v) for v in values]


def _broadcast(values: list[Any], codes: np.ndarray, index: pd.Index, dtype: Any) -> pd.Series:
    """One value per distinct cell, spread to every cell (code -1, a missing cell, takes the last)."""
    # fromiter keeps list values as single objects (np.array would build a 2-D array).
    table = np.fromiter(values, dtype=dtype, count=len(values))
    return pd.Series(table[codes], index=index, dtype=dtype)


def _per_unique(col: pd.Series, fn: Any, dtype: Any = object) -> pd.Series:
    """Apply ``fn`` once per distinct cell value and broadcast (exports repeat values a lot)."""
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    missing = fn(None) if (codes < 0).any() else None
    return _broadcast([*(fn(u) for u in uniques), missing], codes, col.index, dtype)


def _text(col: pd.Series) -> pd.Series:
    """Cells as trimmed strings; None for empty. Whole-number floats lose their ".0"."""
    return _per_unique(col, _cell_text)


class _Cells:
    """The data rows of a sheet, each column factorised once.

    Per-value work (trimming, parsing, matching) runs once per distinct value of a
    column and is shared by every step that reads the column; :meth:`subset` keeps
    both the factorisation and the per-value results.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        codes: dict[Any, tuple[np.ndarray, np.ndarray]] | None = None,
        tables: dict[tuple[Any, Any], list[Any]] | None = None,
    ) -> None:
        self.data = data
        self._codes = codes if codes is not None else {}
        self._tables = tables if tables is not None else {}

    def factorized(self, j: Any) -> tuple[np.ndarray, np.ndarray]:
        if j not in self._codes:
            self._codes[j] = pd.factorize(self.data[j].to_numpy(dtype=object), use_na_sentinel=True)
        return self._codes[j]

    def map(self, j: Any, fn: Any, dtype: Any = object) -> pd.Series:
        """``fn`` of every cell of column ``j``."""
        codes, uniques = self.factorized(j)
        key = (j, fn)
        if key not in self._tables:
            self._tables[key] = [fn(u) for u in uniques] + [fn(None)]
        return _broadcast(self._tables[key], codes, self.data.index, dtype)

    def text(self, j: Any) -> pd.Series:
        """Cells as trimmed strings, None for empty (see :func:`_cell_text`)."""
        codes, uniques = self.factorized(j)
        key = (j, _cell_text)
        if key not in self._tables:
            self._tables[key] = [*_texts(uniques), None]
        return _broadcast(self._tables[key], codes, self.data.index, object)

    def matches(self, j: Any, pattern: str) -> pd.Series:
        """Whether each cell's text matches ``pattern`` (an RE2 regex, case-insensitive)."""
        codes, _ = self.factorized(j)
        self.text(j)
        texts = pa.array(self._tables[(j, _cell_text)], type=pa.string())
        hit = pc.match_substring_regex(texts, pattern, ignore_case=True)
        table = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
        return pd.Series(table[codes], index=self.data.index)

    def blank_rows(self) -> pd.Series:
        blank = np.ones(len(self.data), dtype=bool)
        for j in self.data.columns:
            blank &= self.text(j).isna().to_numpy()
        return pd.Series(blank, index=self.data.index)

    def subset(self, keep: pd.Series) -> _Cells:
        mask = keep.to_numpy(dtype=bool)
        codes = {j: (c[mask], u) for j, (c, u) in self._codes.items()}
        return _Cells(self.data[mask], codes, self._tables)


def _blank_rows(data: pd.DataFrame) -> pd.Series:
    return _Cells(data).blank_rows()


def _unique_ids(ids: pd.Series) -> bool:
    present = ids.dropna()
    return len(present) == len(ids) and present.is_unique


def _field_text(cells: _Cells, plan: SheetPlan, role: str) -> pd.Series | None:
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


def _canonical_feedback(
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


def _data_rows(sheet: RawSheet, plan: SheetPlan, warnings: list[str]) -> tuple[_Cells, pd.Series]:
    """The non-empty rows under the header, and their Excel row numbers."""
    cells = _Cells(sheet.data.iloc[plan.data_start :])
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


def _reject_total_rows(cells: _Cells, rejected: _Rejections) -> None:
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
    out: pd.DataFrame, cells: _Cells, plan: SheetPlan, bad: pd.Series, warnings: list[str]
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
        _per_unique(failed, lambda v: f"The date '{v}' cannot be read."),
    )


def _add_text(
    out: pd.DataFrame, cells: _Cells, plan: SheetPlan, codebook: CompiledCodebook
) -> None:
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
    cells: _Cells, plan: SheetPlan, comment: pd.Series | None, codebook: CompiledCodebook
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
    themes = _broadcast([*tagged, []], codes, index, object)
    if given is not None:
        themes = given.where(from_export, themes)
    source = np.where(from_export, "export", np.where(to_tag.notna(), "codebook", None))
    return themes, pd.Series(source, index=index, dtype=object)


def _theme_list(v: Any) -> list[str]:
    """A theme cell ("Trust; convenience") as a sorted list of theme names."""
    text = _cell_text(v)
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"[;,|/、，；]", text) if p.strip()]
    return sorted({p.casefold() if p.casefold() in THEMES else p for p in parts})


def _add_segments_and_extra(out: pd.DataFrame, cells: _Cells, plan: SheetPlan) -> list[str]:
    """Segment columns (``seg_0``...) and every unmapped column kept as JSON; the segment names."""
    seg_cols = plan.by_role("segment")
    for i, c in enumerate(seg_cols):
        out[f"seg_{i}"] = cells.text(c.index)
    extra_cols = plan.by_role("extra")
    out["extra"] = _extra_json(cells, extra_cols) if extra_cols else None
    return [c.source for c in seg_cols]


def _extra_json(cells: _Cells, cols: list[ColumnMap]) -> pd.Series:
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


_RatingErrors = list[tuple[pd.Series, str, pd.Series]]


def _ratings(
    cells: _Cells, plan: SheetPlan, options: ImportOptions, warnings: list[str]
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
        return pd.DataFrame(columns=list(_RATING_TYPES)), errs
    return pd.concat(frames, ignore_index=True), errs


def _column_ratings(
    cells: _Cells, c: ColumnMap, options: ImportOptions, errs: _RatingErrors
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
        reasons = _per_unique(raw[not_number], lambda v: f"'{v}' in '{c.source}' is not a score.")
        errs.append((not_number, c.source, reasons))
    if scale.na_code is not None:
        numbers = numbers.where(numbers != scale.na_code)
    outside = numbers.notna() & ((numbers < scale.min) | (numbers > scale.max))
    if outside.any():
        bounds = f"{_fmt(scale.min)}-{_fmt(scale.max)}"
        reasons = _per_unique(
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


# ---------------------------------------------------------------------------
# Touchpoint map and promise
# ---------------------------------------------------------------------------


def _prepare_map(
    wb: RawWorkbook, plans: list[SheetPlan]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[SheetResult]]:
    map_rows = promise_rows = None
    results = []
    for plan in plans:
        sheet = wb.sheet(plan.sheet)
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
    result = _base_result(p)
    earlier = _same_file_import(ws, p.workbook.sha256, result.sheet)
    if earlier is not None:
        import_id, imported_at = earlier
        result.status = "duplicate"
        result.import_id = import_id
        result.message = (
            f"{p.workbook.file_name} was already imported on {imported_at:%Y-%m-%d %H:%M} "
            f"(import {import_id}); nothing was added."
        )
        return result
    result.import_id = _new_import_id()
    if p.kind == "touchpoints":
        return _commit_map(ws, p, result, options)
    return _commit_feedback(ws, p, result, options)


def _base_result(p: Prepared) -> ImportResult:
    """What the import will report, before anything is written."""
    sheet_names = [s.plan.sheet for s in p.sheets]
    first = p.sheets[0].plan
    errors = [e for s in p.sheets for e in s.errors]
    mapping = (
        first.mapping()
        if len(p.sheets) == 1
        else {s.plan.sheet: s.plan.mapping() for s in p.sheets}
    )
    return ImportResult(
        file=p.workbook.file_name,
        status="loaded",
        message="",
        kind=p.kind,
        sheet=", ".join(sheet_names),
        sheets=sheet_names,
        layout=first.layout,
        header_rows=first.header_rows,
        rows_read=sum(s.rows_read for s in p.sheets),
        rows_rejected=sum(s.rows_rejected for s in p.sheets),
        mapping=mapping,
        warnings=p.warnings + [w for s in p.sheets for w in s.warnings],
        errors=[asdict(e) for e in errors[:MAX_REPORTED_ERRORS]],
    )


def _same_file_import(ws: Workspace, sha256: str, sheet: str | None) -> tuple[str, Any] | None:
    """The live import of this very file (same bytes, same sheets), if any."""
    rows = ws.fetchall(
        "SELECT import_id, imported_at FROM imports WHERE sha256 = ? AND sheet IS NOT DISTINCT FROM ?"
        " AND undone_at IS NULL ORDER BY imported_at DESC LIMIT 1",
        [sha256, sheet],
    )
    return (rows[0][0], rows[0][1]) if rows else None


@dataclass
class _Loaded:
    """What one sheet added to the workspace."""

    ratings: int = 0
    duplicates: int = 0  # responses already in the workspace, skipped
    responses: int = 0
    touchpoints: set[str] = field(default_factory=set)


def _commit_feedback(
    ws: Workspace, p: Prepared, result: ImportResult, options: ImportOptions
) -> ImportResult:
    fingerprint = p.sheets[0].plan.fingerprint
    multi_sheet = len(p.sheets) > 1
    with ws.transaction() as cur:
        done = [
            _insert_feedback(cur, result.import_id or "", s, fingerprint, multi_sheet)
            for s in p.sheets
        ]
        result.rows_loaded = sum(d.ratings for d in done)
        result.rows_duplicate = sum(d.duplicates for d in done)
        result.respondents = sum(d.responses for d in done)
        result.touchpoints = sorted(set().union(*(d.touchpoints for d in done)))
        if result.rows_loaded == 0 and result.rows_duplicate == 0:
            first = next((e for s in p.sheets for e in s.errors), None)
            raise ImportRejected(
                f"{p.workbook.file_name}: none of its {result.rows_read:,} rows could be loaded."
                + (f" First problem, row {first.row}: {first.reason}" if first else "")
            )
        if result.rows_loaded == 0:
            result.status = "duplicate"
        if result.rows_duplicate:
            result.warnings.append(
                f"{result.rows_duplicate:,} response(s) were already in the workspace "
                "(same response id, same survey layout) and were skipped."
            )
        _record_import(cur, result, p, options, previous=None)
        _remember(cur, p, options)
    result.message = _summary(result)
    return result


def _arrow(frame: pd.DataFrame, types: dict[str, pa.DataType]) -> pa.Table:
    """A pandas frame as an Arrow table with explicit types (DuckDB scans Arrow fastest)."""
    arrays = [
        _list_array(frame[name], typ)
        if pa.types.is_list(typ)
        else pa.array(frame[name].to_numpy(), type=typ, from_pandas=True)
        for name, typ in types.items()
    ]
    return pa.Table.from_arrays(arrays, names=list(types))


def _list_array(col: pd.Series, typ: pa.DataType) -> pa.Array:
    """Lists as Arrow, each distinct list object converted once (rows share them)."""
    objs = col.to_numpy(dtype=object)
    ids = np.fromiter(map(id, objs), dtype=np.int64, count=len(objs))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    return pa.array([objs[i] for i in first], type=typ).take(pa.array(inverse))


_RATING_TYPES: dict[str, pa.DataType] = {
    "rix": pa.int64(),
    "metric": pa.string(),
    "touchpoint": pa.string(),
    "raw_value": pa.string(),
    "value": pa.float64(),
    "scale_min": pa.float64(),
    "scale_max": pa.float64(),
    "score": pa.float64(),
}
_RESPONSE_TEXT = (
    "response_id",
    "respondent_id",
    "stage",
    "touchpoint",
    "channel",
    "comment",
    "language",
    "theme_source",
    "extra",
)


_RESPONSE_TYPES: dict[str, pa.DataType] = {
    "rix": pa.int64(),
    "response_key": pa.int64(),
    "source_row": pa.int64(),
    "id_given": pa.bool_(),
    "ts": pa.timestamp("ns"),
    "themes": pa.list_(pa.string()),
    **dict.fromkeys(_RESPONSE_TEXT, pa.string()),
}


def _responses_arrow(resp: pd.DataFrame, dims: list[str]) -> pa.Table:
    """Responses for DuckDB, with their segments as one MAP column."""
    table = _arrow(resp, _RESPONSE_TYPES)
    return table.append_column("segments", _segments_array(resp, dims))


def _segments_array(resp: pd.DataFrame, dims: list[str]) -> pa.MapArray:
    """Each response's segment values as a MAP (dimension -> value); missing values left out."""
    n = len(resp)
    values = resp[[f"seg_{i}" for i in range(len(dims))]].to_numpy(dtype=object).reshape(n, -1)
    present = pd.notna(values)
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    keys = np.tile(np.array(dims, dtype=object), n)[present.ravel()]
    return pa.MapArray.from_arrays(
        pa.array(offsets, type=pa.int32()),
        pa.array(keys, type=pa.string()),
        pa.array(values[present], type=pa.string()),
    )


def _insert_feedback(
    cur: Any, import_id: str, s: SheetResult, fingerprint: str, multi_sheet: bool
) -> _Loaded:
    """Insert one sheet's rows, skipping responses the workspace already has."""
    resp = s.responses.copy()
    if resp.empty:
        return _Loaded()
    prefix = f"{import_id}-{_sheet_tag(s.plan.sheet)}" if multi_sheet else import_id
    resp["response_id"] = resp["response_id"].where(
        resp["id_given"], prefix + "-" + resp["source_row"].astype(str)
    )
    resp["rix"] = resp.index
    known = _known_responses(cur, resp, fingerprint, s.plan.sheet if multi_sheet else None)
    resp = resp[~known]
    ratings = s.ratings[s.ratings["rix"].isin(resp.index)]
    if ratings.empty:
        return _Loaded(duplicates=int(known.sum()))
    resp["response_key"] = _response_keys(cur, import_id, resp["response_id"], multi_sheet)
    cur.register("_resp", _responses_arrow(resp, s.segment_dims))
    cur.register("_ratings", _arrow(ratings, _RATING_TYPES))
    try:
        cur.execute(_INSERT_SQL, [import_id, s.plan.sheet])
    finally:
        cur.unregister("_resp")
        cur.unregister("_ratings")
    tps = set(ratings["touchpoint"].dropna()) | set(resp["touchpoint"].dropna())
    return _Loaded(len(ratings), int(known.sum()), len(resp), tps)


def _response_keys(
    cur: Any, import_id: str, response_ids: pd.Series, multi_sheet: bool
) -> np.ndarray:
    """One integer per distinct response id: for a multi-sheet import, the key an earlier
    sheet of the same import gave that id; else a new one after the workspace's largest, so
    two responses never share a key."""
    codes, uniques = pd.factorize(response_ids.astype(str), sort=False)
    earlier: dict[str, int] = {}
    if multi_sheet:
        earlier = dict(
            cur.execute(
                "SELECT response_id, min(response_key) FROM feedback WHERE import_id = ?"
                " GROUP BY response_id",
                [import_id],
            ).fetchall()
        )
    given = pd.Series(uniques, dtype=object).map(earlier).to_numpy(dtype=float, na_value=np.nan)
    new = np.isnan(given)
    base = int(cur.execute("SELECT coalesce(max(response_key), 0) FROM feedback").fetchall()[0][0])
    keys = np.empty(len(uniques), dtype=np.int64)
    keys[new] = base + 1 + np.arange(int(new.sum()), dtype=np.int64)
    keys[~new] = given[~new].astype(np.int64)
    return keys[codes]


def _known_responses(
    cur: Any, resp: pd.DataFrame, fingerprint: str, sheet: str | None
) -> pd.Series:
    """Responses whose export id the workspace already holds from a survey laid out the same
    way (same header fingerprint; for a multi-sheet workbook, the same sheet). Another
    survey's ids (1, 2, 3 ...) are other responses."""
    none = pd.Series(False, index=resp.index)
    if not bool(resp["id_given"].iloc[0]):
        return none
    cur.register("_ids", pa.table({"response_id": pa.array(resp["response_id"].astype(str))}))
    try:
        rows = cur.execute(
            "SELECT DISTINCT f.response_id FROM _ids s"
            " JOIN feedback f ON f.response_id = s.response_id"
            " JOIN imports i ON i.import_id = f.import_id"
            " WHERE f.id_given AND i.undone_at IS NULL AND i.fingerprint = ?"
            " AND (CAST(? AS VARCHAR) IS NULL OR f.sheet = ?)",
            [fingerprint, sheet, sheet],
        ).fetchall()
    finally:
        cur.unregister("_ids")
    if not rows:
        return none
    return resp["response_id"].isin([r[0] for r in rows])


# Ratings joined to their response; the touchpoint map gives each touchpoint its stage.
_INSERT_SQL = """
    INSERT INTO feedback (import_id, sheet, source_row, response_id, response_key, id_given,
        respondent_id, ts, stage, touchpoint, channel, segments, metric, raw_value, value,
        scale_min, scale_max, score, comment, language, themes, theme_source, extra)
    SELECT ?, ?, s.source_row, s.response_id, s.response_key, s.id_given, s.respondent_id, s.ts,
        CASE WHEN r.touchpoint IS NULL THEN coalesce(tp_row.stage, s.stage) ELSE tp_col.stage END,
        coalesce(tp_col.touchpoint, r.touchpoint, tp_row.touchpoint, s.touchpoint),
        CASE WHEN r.touchpoint IS NULL THEN coalesce(s.channel, tp_row.channel)
             ELSE tp_col.channel END,
        s.segments, r.metric, r.raw_value, r.value, r.scale_min, r.scale_max, r.score,
        s.comment, s.language, s.themes, s.theme_source, s.extra::JSON
    FROM _ratings r
    JOIN _resp s ON s.rix = r.rix
    LEFT JOIN touchpoints tp_col ON lower(trim(tp_col.touchpoint)) = lower(trim(r.touchpoint))
    LEFT JOIN touchpoints tp_row ON lower(trim(tp_row.touchpoint)) = lower(trim(s.touchpoint))
"""


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
        _write_map(cur, map_rows, promise)
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


def _write_map(cur: Any, map_rows: pd.DataFrame, promise: pd.DataFrame) -> None:
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
        "previous": None
        if previous is None
        else json.dumps(previous, ensure_ascii=False, default=str),
    }
    cur.execute(
        f"INSERT INTO imports ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def _remember(cur: Any, p: Prepared, options: ImportOptions) -> None:
    """Save the user's column choices for the layouts they were applied to."""
    overrides = options.overrides if options.remember else None
    for fingerprint in p.remember if overrides else []:
        cur.execute(
            "INSERT OR REPLACE INTO mapping_memory (fingerprint, kind, overrides) VALUES (?, ?, ?)",
            [fingerprint, p.kind, json.dumps(overrides, ensure_ascii=False)],
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
