"""Plain data shared by the ingest steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

SheetKind = Literal["feedback", "touchpoints", "promise", "unknown"]
Layout = Literal["long", "wide"]

# Canonical feedback fields a source column can map to.
FEEDBACK_FIELDS: tuple[str, ...] = (
    "response_id",  # one survey response / review / ticket
    "respondent_id",  # the customer (may recur across responses)
    "timestamp",  # when the response was given
    "stage",  # journey stage
    "touchpoint",  # touchpoint (long layout)
    "channel",  # channel of the contact
    "nps",  # likelihood to recommend, 0-10
    "csat",  # satisfaction, usually 1-5
    "ces",  # customer effort, usually 1-7
    "rating",  # a touchpoint rating (long layout: with a touchpoint column)
    "overall",  # overall outcome: satisfaction, recommend yes/no, satisfied label
    "comment",  # free text
    "language",  # language of the comment
    "theme",  # an experience theme given by the export (wins over the codebook)
)
# Roles that are not single canonical fields.
COLUMN_ROLES: tuple[str, ...] = ("touchpoint_rating", "segment", "extra", "ignore")

# Canonical touchpoint-map fields.
TOUCHPOINT_FIELDS: tuple[str, ...] = (
    "stage",
    "stage_order",
    "touchpoint",
    "channel",
    "provider",  # one of the seven experience providers
    "owner",
    "importance",  # stated importance
    "pillar",  # reason to believe the touchpoint must prove
    "target",  # promise target, in the unit the map gives it
    "target_metric",  # which metric the target applies to (csat, ces, nps, rating)
    "description",
)

# Canonical brand-promise fields (a "promise" sheet).
PROMISE_FIELDS: tuple[str, ...] = ("statement", "pillar", "description")


@dataclass
class RawSheet:
    """One sheet (or a whole CSV) exactly as read: no header interpretation.

    ``data`` has integer column labels 0..n-1 and object dtype cells (None, str,
    int, float, bool, datetime/date/time). Row ``i`` of ``data`` is the sheet's
    Excel row ``first_row + i`` (1-based), so reported row numbers match what a
    user sees in Excel or a text editor.
    """

    name: str
    data: pd.DataFrame
    first_row: int = 1
    cut_off: bool = False  # the file ended part-way through its last row (a truncated export)
    # The user's word on the header: (Excel row of its first line, number of header rows).
    header_hint: tuple[int, int] | None = None


@dataclass
class RawWorkbook:
    file_name: str
    sha256: str
    file_type: str  # "xlsx" (also .xlsm) | "xls" | "xlsb" | "ods" | "csv"
    sheets: list[RawSheet]
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    warnings: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> RawSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        names = ", ".join(repr(s.name) for s in self.sheets)
        raise KeyError(f"There is no sheet named {name!r}; the file has {names}.")


@dataclass
class ColumnMap:
    """What one source column holds."""

    index: int  # column index in RawSheet.data
    source: str  # header text as the user sees it (multi-row headers joined with " / ")
    role: str  # a FEEDBACK_FIELDS / TOUCHPOINT_FIELDS / PROMISE_FIELDS name, or a COLUMN_ROLES name
    touchpoint: str | None = None  # for role "touchpoint_rating": the touchpoint it rates
    reason: str = ""  # why, in words: "synonym 'likelihood to recommend'"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "source": self.source,
            "role": self.role,
            "touchpoint": self.touchpoint,
            "reason": self.reason,
        }


@dataclass
class SheetPlan:
    """How to read one sheet: where its header is and what each column holds."""

    sheet: str
    kind: SheetKind
    score: float  # how strongly the sheet looks like `kind` (0..1)
    header_row: int  # index in RawSheet.data of the first header row
    header_rows: int  # how many rows form the header (0 when there is none)
    layout: Layout
    columns: list[ColumnMap]
    fingerprint: str = (
        ""  # identifies the source layout (normalised header), for remembered overrides
    )
    warnings: list[str] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.header_row + self.header_rows

    def by_role(self, role: str) -> list[ColumnMap]:
        return [c for c in self.columns if c.role == role]

    def first(self, role: str) -> ColumnMap | None:
        cols = self.by_role(role)
        return cols[0] if cols else None

    def mapping(self) -> dict[str, Any]:
        """Canonical field -> source column (wide ratings: touchpoint -> source column)."""
        out: dict[str, Any] = {}
        for c in self.columns:
            if c.role in ("extra", "ignore"):
                continue
            if c.role == "touchpoint_rating":
                out.setdefault("touchpoint_ratings", {})[c.touchpoint or c.source] = c.source
            elif c.role == "segment":
                out.setdefault("segments", []).append(c.source)
            else:
                out.setdefault(c.role, c.source)
        return out
