"""Editing the touchpoint map and the brand promise in place (the Data page's editors).

Imports replace the map from a file (see ``cxdash.ingest.load``); these
functions save what a user edited in a table, after checking it. Both write in
one transaction and re-align feedback stages with the map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxdash.domain import PROVIDERS
from cxdash.errors import CxdashError
from cxdash.ingest.map_rows import write_promise, write_touchpoints
from cxdash.workspace import Workspace

MAP_COLUMNS: tuple[str, ...] = (
    "stage_order",
    "stage",
    "touchpoint",
    "channel",
    "provider",
    "owner",
    "importance",
    "pillar",
    "target_metric",
    "target",
    "target_unit",
    "description",
)
TARGET_UNITS = ("mean", "share", "nps", "score")
TARGET_METRICS = ("csat", "ces", "nps", "rating", "overall")


def load_map(ws: Workspace) -> pd.DataFrame:
    return ws.query_df(
        f"SELECT {', '.join(MAP_COLUMNS)} FROM touchpoints ORDER BY stage_order NULLS LAST, stage, touchpoint"
    )


def check_map(frame: pd.DataFrame) -> pd.DataFrame:
    """A clean copy of an edited map, or CxdashError with a sentence naming the first problem."""
    out = frame.reindex(columns=list(MAP_COLUMNS)).copy()
    out["touchpoint"] = out["touchpoint"].astype("string").str.strip()
    out = out[out["touchpoint"].notna() & (out["touchpoint"] != "")]
    dup = out["touchpoint"].str.casefold().duplicated()
    if dup.any():
        raise CxdashError(
            f"'{out['touchpoint'][dup].iloc[0]}' appears twice; each touchpoint must appear once."
        )
    for col in ("stage_order", "importance", "target"):
        numbers = pd.to_numeric(out[col], errors="coerce")
        bad = out[col].notna() & (out[col].astype("string").str.strip() != "") & numbers.isna()
        if bad.any():
            row = out[bad].iloc[0]
            raise CxdashError(
                f"{col.replace('_', ' ').capitalize()} of '{row['touchpoint']}' must be a number."
            )
        out[col] = numbers
    unknown = out["provider"].notna() & ~out["provider"].isin(PROVIDERS)
    if unknown.any():
        row = out[unknown].iloc[0]
        raise CxdashError(
            f"'{row['provider']}' (for '{row['touchpoint']}') is not an experience provider; use one of: "
            + ", ".join(PROVIDERS)
            + "."
        )
    for col, allowed in (("target_unit", TARGET_UNITS), ("target_metric", TARGET_METRICS)):
        bad = out[col].notna() & ~out[col].isin(allowed)
        if bad.any():
            row = out[bad].iloc[0]
            raise CxdashError(
                f"{col.replace('_', ' ').capitalize()} of '{row['touchpoint']}' must be one of: {', '.join(allowed)}."
            )
    missing_unit = out["target"].notna() & out["target_unit"].isna()
    if missing_unit.any():
        raise CxdashError(
            f"Say the unit of the target of '{out[missing_unit].iloc[0]['touchpoint']}' (mean, share, nps or score)."
        )
    return out.replace({np.nan: None})


def save_map(ws: Workspace, frame: pd.DataFrame) -> str:
    clean = check_map(frame)
    with ws.transaction() as cur:
        write_touchpoints(cur, clean)
    return f"Saved the touchpoint map: {len(clean)} touchpoints over {clean['stage'].nunique()} stages."


def load_promise(ws: Workspace) -> dict[str, Any]:
    rows = ws.query_df("SELECT kind, name, description FROM promise ORDER BY position")
    statement = rows[rows["kind"] == "statement"]
    return {
        "statement": statement["name"].iloc[0] if len(statement) else "",
        "description": statement["description"].iloc[0] if len(statement) else "",
        "reasons": rows[rows["kind"] == "reason_to_believe"][["name", "description"]].reset_index(
            drop=True
        ),
    }


def save_promise(ws: Workspace, statement: str, description: str, reasons: pd.DataFrame) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise CxdashError(
            "Write the brand promise: one sentence customers should be able to count on."
        )
    rtbs = reasons.reindex(columns=["name", "description"]).copy()
    rtbs["name"] = rtbs["name"].astype("string").str.strip()
    rtbs = rtbs[rtbs["name"].notna() & (rtbs["name"] != "")]
    rows = [(1, "statement", statement, (description or "").strip() or None)]
    rows += [
        (
            i + 2,
            "reason_to_believe",
            r["name"],
            None if pd.isna(r["description"]) else str(r["description"]),
        )
        for i, (_, r) in enumerate(rtbs.iterrows())
    ]
    with ws.transaction() as cur:
        write_promise(cur, pd.DataFrame(rows, columns=["position", "kind", "name", "description"]))
    return f"Saved the brand promise and {len(rtbs)} reasons to believe."
