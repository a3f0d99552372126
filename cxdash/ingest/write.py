"""Writing a prepared import in one transaction: duplicate checks, rows, the import record.

Feedback responses already in the workspace (same export id, same survey layout)
are skipped; a file imported before is reported as a duplicate.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cxdash.errors import ImportRejected
from cxdash.ingest.feedback_rows import RATING_TYPES
from cxdash.ingest.import_types import (
    MAX_REPORTED_ERRORS,
    ImportOptions,
    ImportResult,
    Prepared,
    SheetResult,
)
from cxdash.ingest.map_rows import write_map
from cxdash.workspace import Workspace


def _new_import_id() -> str:
    return uuid.uuid4().hex[:10]


def commit(ws: Workspace, p: Prepared, options: ImportOptions) -> ImportResult:
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


# ---------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------
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
    cur.register("_ratings", _arrow(ratings, RATING_TYPES))
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
    given = np.full(len(uniques), np.nan)
    if earlier:
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


# ---------------------------------------------------------------------------
# Touchpoint map
# ---------------------------------------------------------------------------
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
        write_map(cur, map_rows, promise)
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


# ---------------------------------------------------------------------------
# Import record
# ---------------------------------------------------------------------------
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
