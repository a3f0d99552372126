"""From a file to the workspace: validate, load in one transaction, stay idempotent, allow undo.

``prepare()`` reads a file, plans its sheets and turns them into canonical rows
with a validation report, writing nothing (the Data page previews this).
``import_file()`` prepares and then loads everything in one transaction:
either the whole file lands or nothing does. A bad file never raises; it
comes back as an :class:`ImportResult` with ``status == "rejected"`` and a
plain-language ``message``.

The steps live in their own modules: :mod:`~cxdash.ingest.feedback_rows` and
:mod:`~cxdash.ingest.map_rows` turn planned sheets into rows, :mod:`~cxdash.ingest.write`
writes them.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pandas as pd

from cxdash.domain import PROVIDERS
from cxdash.errors import ImportRejected
from cxdash.ingest.feedback_rows import canonical_feedback, compiled_codebook
from cxdash.ingest.import_types import (
    MAX_REPORTED_ERRORS,
    METRIC_ROLES,
    ImportOptions,
    ImportResult,
    Kind,
    Prepared,
    RowError,
    SheetResult,
)
from cxdash.ingest.map_rows import prepare_map, sync_feedback_with_map, write_map
from cxdash.ingest.mapping import plan_sheet, plan_workbook
from cxdash.ingest.model import RawSheet, RawWorkbook, SheetPlan
from cxdash.ingest.sniff import read_file
from cxdash.ingest.synonyms import normalise_label
from cxdash.ingest.write import commit
from cxdash.workspace import Workspace

__all__ = [
    "MAX_REPORTED_ERRORS",
    "PROVIDERS",
    "ImportOptions",
    "ImportResult",
    "Kind",
    "Prepared",
    "RowError",
    "SheetResult",
    "import_file",
    "import_prepared",
    "list_imports",
    "prepare",
    "sync_feedback_with_map",
    "undo_import",
]

log = logging.getLogger(__name__)


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
        map_rows, promise_rows, results = prepare_map(wb, chosen)
        return Prepared(wb, kind, results, map_rows, promise_rows, warnings, remember)
    codebook = compiled_codebook(ws)
    results = [canonical_feedback(wb.sheet(p.sheet), p, options, codebook) for p in chosen]
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
    return _never_raise(name, lambda: commit(ws, prepare(source, name, options, ws), options))


def import_prepared(ws: Workspace, prepared: Prepared, options: ImportOptions) -> ImportResult:
    """Load what :func:`prepare` made (after a user reviewed it), all-or-nothing, never raising."""
    return _never_raise(prepared.workbook.file_name, lambda: commit(ws, prepared, options))


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
    write_map(cur, pd.DataFrame(prev["touchpoints"]), pd.DataFrame(prev["promise"]))
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
