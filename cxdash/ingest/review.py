"""What a user reviews before an import: the detected plan, a preview, the mapping and the problems.

Tables here feed the Data page's editors; :func:`overrides_from_table` turns an
edited mapping table back into the overrides ``prepare()`` takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxdash.ingest.load import Prepared
from cxdash.ingest.model import COLUMN_ROLES, FEEDBACK_FIELDS, PROMISE_FIELDS, TOUCHPOINT_FIELDS

ROLE_LABELS: dict[str, str] = {
    "response_id": "Response id",
    "respondent_id": "Customer id",
    "timestamp": "Date",
    "stage": "Journey stage",
    "touchpoint": "Touchpoint",
    "channel": "Channel",
    "nps": "NPS (0-10)",
    "csat": "CSAT",
    "ces": "CES (effort)",
    "rating": "Rating (of the row's touchpoint)",
    "overall": "Overall outcome",
    "comment": "Comment",
    "language": "Language",
    "theme": "Experience theme",
    "touchpoint_rating": "Touchpoint rating (wide)",
    "segment": "Segment",
    "extra": "Keep, unmapped",
    "ignore": "Ignore",
}


def role_choices(kind: str) -> list[str]:
    """The roles a column may take in a sheet of this kind."""
    if kind == "touchpoints":
        return [*TOUCHPOINT_FIELDS, "extra", "ignore"]
    if kind == "promise":
        return [*PROMISE_FIELDS, "extra", "ignore"]
    return [*FEEDBACK_FIELDS, *COLUMN_ROLES]


def summary(prepared: Prepared) -> pd.DataFrame:
    """One row per sheet that would be read: what was detected and what would load."""
    rows = []
    for s in prepared.sheets:
        rejected = len({e.row for e in s.errors})
        rows.append(
            {
                "sheet": s.plan.sheet,
                "reads as": s.plan.kind,
                "header rows": s.plan.header_rows,
                "first data row": s.plan.data_start + 1,
                "layout": s.plan.layout,
                "rows": s.rows_read,
                "rejected rows": rejected,
                "ratings": len(s.ratings),
            }
        )
    return pd.DataFrame(rows)


def mapping_table(prepared: Prepared, sheet: str) -> pd.DataFrame:
    """Source column -> role (and touchpoint for wide ratings), with the reason, for one sheet."""
    plan = next(s.plan for s in prepared.sheets if s.plan.sheet == sheet)
    return pd.DataFrame(
        [
            {"column": c.source, "role": c.role, "touchpoint": c.touchpoint or "", "why": c.reason}
            for c in plan.columns
        ]
    )


def overrides_from_table(edited: pd.DataFrame, detected: pd.DataFrame) -> dict[str, str]:
    """The rows a user changed, as ``{source column: role}`` (``touchpoint_rating:Name`` for wide)."""
    out: dict[str, str] = {}
    before = detected.set_index("column")
    for _, row in edited.iterrows():
        role, tp = str(row["role"]), str(row.get("touchpoint") or "").strip()
        old = before.loc[row["column"]]
        if role == old["role"] and tp == (old["touchpoint"] or ""):
            continue
        out[row["column"]] = (
            f"touchpoint_rating:{tp}" if role == "touchpoint_rating" and tp else role
        )
    return out


def preview(prepared: Prepared, sheet: str, rows: int = 15) -> pd.DataFrame:
    """The first data rows under their header labels, as the user's file has them."""
    s = next(s for s in prepared.sheets if s.plan.sheet == sheet)
    raw = prepared.workbook.sheet(sheet)
    body = raw.data.iloc[s.plan.data_start : s.plan.data_start + rows]
    labels = {c.index: c.source for c in s.plan.columns}
    out = body.rename(columns=labels)[[labels[i] for i in sorted(labels)]]
    out.index = [raw.first_row + s.plan.data_start + i for i in range(len(out))]
    out.index.name = "row"
    return out.map(lambda v: "" if v is None else str(v))


def problems(prepared: Prepared) -> pd.DataFrame:
    """Every rejected row: Excel row number, sheet, column and the reason in words."""
    rows: list[dict[str, Any]] = [
        {"sheet": e.sheet, "row": e.row, "column": e.column or "", "reason": e.reason}
        for s in prepared.sheets
        for e in s.errors
    ]
    return pd.DataFrame(rows, columns=["sheet", "row", "column", "reason"])


def notes(prepared: Prepared) -> list[str]:
    return list(dict.fromkeys(prepared.warnings + [w for s in prepared.sheets for w in s.warnings]))


HISTORY_COLUMNS: tuple[str, ...] = (
    "import_id",
    "kind",
    "file_name",
    "sheet",
    "rows_loaded",
    "rows_rejected",
    "respondents",
    "imported_at",
    "undone_at",
)


def history(imports: pd.DataFrame) -> pd.DataFrame:
    """The import history as the Data page lists it (from :func:`list_imports`)."""
    return imports[list(HISTORY_COLUMNS)]


@dataclass(frozen=True)
class HeaderPosition:
    """Where the header of a one-sheet import is, in the row numbers the user sees."""

    sheet: str
    first_row: int  # the header's first row (1 = the sheet's first row)
    rows: int  # header rows (0 = none)
    last_row: int  # the sheet's last row


def header_position(prepared: Prepared) -> HeaderPosition | None:
    """The detected header of a one-sheet import (None when several sheets load)."""
    if len(prepared.sheets) != 1:
        return None
    plan = prepared.sheets[0].plan
    raw = prepared.workbook.sheet(plan.sheet)
    return HeaderPosition(
        plan.sheet, raw.first_row + plan.header_row, plan.header_rows, len(raw.data) + raw.first_row
    )


def asks_ces_direction(prepared: Prepared) -> bool:
    """Whether the import has an effort (CES) question whose direction the user may reverse."""
    return prepared.kind == "feedback" and any(
        c.role == "ces" for s in prepared.sheets for c in s.plan.columns
    )


def rejected_sentence(problems_table: pd.DataFrame) -> str:
    """What :func:`problems` means for the import, in a sentence."""
    return f"{problems_table['row'].nunique():,} row(s) will be rejected; the other rows load."
