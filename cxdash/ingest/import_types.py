"""What an import is asked to do and what it reports: options, row errors, prepared sheets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from cxdash.ingest.model import RawWorkbook, SheetPlan

Kind = Literal["auto", "feedback", "touchpoints"]


METRIC_ROLES = ("nps", "csat", "ces", "overall", "rating")


MAX_REPORTED_ERRORS = 1000


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
