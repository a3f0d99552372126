"""Test helpers: put canonical rows straight into a workspace."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cxdash.ingest.map_rows import MAP_COLUMNS
from cxdash.sample import FEEDBACK_FRAME_COLUMNS
from cxdash.workspace import Workspace

FEEDBACK_COLUMNS = FEEDBACK_FRAME_COLUMNS  # the feedback table's columns, in order
_SCALES = {
    "nps": (0.0, 10.0),
    "csat": (1.0, 5.0),
    "ces": (1.0, 7.0),
    "rating": (1.0, 5.0),
    "overall": (1.0, 5.0),
}


def add_feedback(ws: Workspace, records: list[dict[str, Any]], import_id: str = "test") -> None:
    """Insert feedback rows; each record needs ``metric`` and ``value``, the rest has defaults.

    ``score`` is computed from the scale (``scale_min``/``scale_max`` or the metric's usual one).
    ``response_key`` is one integer per distinct (import id, response id), continuing after
    the workspace's largest (as an import numbers its responses).
    """
    base = ws.fetchall("SELECT coalesce(max(response_key), 0) FROM feedback")[0][0]
    known = {
        (imp, rid): key
        for imp, rid, key in ws.fetchall(
            "SELECT DISTINCT import_id, response_id, response_key FROM feedback"
        )
    }
    rows = []
    for i, r in enumerate(records, start=2):
        rid = str(r.get("response_id", f"{import_id}-{i}"))
        unit = (r.get("import_id", import_id), rid)
        if unit not in known:
            base += 1
            known[unit] = base
        lo, hi = r.get("scale_min"), r.get("scale_max")
        if lo is None or hi is None:
            lo, hi = _SCALES[r["metric"]]
        value = r.get("value")
        score = None if value is None else (float(value) - lo) / (hi - lo) * 100.0
        segs = r.get("segments") or {}
        rows.append(
            (
                r.get("import_id", import_id),
                r.get("sheet"),
                r.get("source_row", i),
                rid,
                known[unit],
                "response_id" in r,
                r.get("respondent_id"),
                r.get("ts", datetime(2025, 1, 1)),
                r.get("stage"),
                r.get("touchpoint"),
                r.get("channel"),
                list(segs.keys()),
                list(segs.values()),
                r["metric"],
                None if value is None else str(value),
                value,
                lo,
                hi,
                score,
                r.get("comment"),
                r.get("language"),
                list(r.get("themes") or []),
                r.get("theme_source"),
                json.dumps(r.get("extra") or {}),
            )
        )
    with ws.transaction() as cur:
        cur.executemany(
            f"INSERT INTO feedback ({', '.join(FEEDBACK_COLUMNS)}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, map(?, ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def add_touchpoints(ws: Workspace, records: list[dict[str, Any]]) -> None:
    """Insert touchpoint-map rows (``touchpoint`` required)."""
    cols = list(MAP_COLUMNS)
    with ws.transaction() as cur:
        for r in records:
            cur.execute(
                f"INSERT INTO touchpoints ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [r.get(c) for c in cols],
            )
