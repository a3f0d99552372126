"""Template workbooks users can download, fill in and import (feedback and touchpoint map)."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FEEDBACK_HEADER = (
    "Response ID",
    "Date",
    "Journey stage",
    "Touchpoint",
    "Channel",
    "CSAT (1-5)",
    "Effort: the company made it easy (1-7)",
    "Likelihood to recommend (0-10)",
    "Customer type",
    "Region",
    "Language",
    "Comment",
)
FEEDBACK_EXAMPLES = (
    (
        "R-0001",
        datetime(2026, 1, 5, 9, 30),
        "Get help",
        "Call centre",
        "Phone",
        2,
        3,
        4,
        "Commuter",
        "North",
        "en",
        "I waited 25 minutes in the queue before anyone answered.",
    ),
    (
        "R-0002",
        datetime(2026, 1, 5, 11, 2),
        "Join",
        "Sign-up in the app",
        "App",
        5,
        7,
        9,
        "Student",
        "South",
        "vi",
        "Đăng ký rất nhanh và dễ dàng.",
    ),
    (
        "R-0003",
        datetime(2026, 1, 6, 18, 45),
        "Return & pay",
        "Monthly invoice",
        "Email",
        3,
        4,
        6,
        "Business",
        "Central",
        "zh",
        "发票上有一笔隐藏费用，没有人解释。",
    ),
)
MAP_HEADER = (
    "Stage order",
    "Journey stage",
    "Touchpoint",
    "Channel",
    "Experience provider",
    "Owner",
    "Importance",
    "Reason to believe",
    "Target metric",
    "Promise target",
    "Description",
)
MAP_EXAMPLES = (
    (
        1,
        "Discover",
        "Website home page",
        "Website",
        "Websites and electronic media",
        "Marketing",
        3,
        "Fair and transparent",
        "CSAT",
        4.0,
        "The first page a prospect sees.",
    ),
    (
        2,
        "Join",
        "Sign-up in the app",
        "App",
        "Websites and electronic media",
        "Product",
        5,
        "Effortless from app to road",
        "CES",
        0.75,
        "Creating an account and verifying a licence.",
    ),
    (
        5,
        "Get help",
        "Call centre",
        "Phone",
        "People",
        "Customer service",
        5,
        "Effortless from app to road",
        "CSAT",
        0.8,
        "Phone support for members.",
    ),
)
PROMISE_ROWS = (
    (
        "Brand promise",
        "Write your brand promise here in one sentence.",
        "What customers can count on.",
    ),
    ("Reason to believe", "First reason to believe", "Why the promise is credible."),
    ("Reason to believe", "Second reason to believe", ""),
)


def _table(ws: Worksheet, header: tuple[str, ...], rows: tuple[tuple, ...]) -> None:
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(40, len(name) + 4))


def _notes(wb: Workbook, lines: list[str]) -> None:
    ws = wb.create_sheet("How to fill")
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 110


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def feedback_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Feedback"
    _table(ws, FEEDBACK_HEADER, FEEDBACK_EXAMPLES)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd hh:mm"
    _notes(
        wb,
        [
            "One row per response. Replace the three example rows with your own.",
            "Keep the column names, or use your survey tool's names: cxdash recognises English, Vietnamese and Chinese headers.",
            "Scores: CSAT 1-5, effort 1-7 (7 = very easy), likelihood to recommend 0-10. Leave a cell empty when not asked.",
            "Wide surveys work too: one column per touchpoint rating (e.g. 'Call centre' on 1-5) instead of Touchpoint + CSAT.",
            "Extra columns (customer type, region, plan ...) become segments you can filter by.",
            "Comments may contain personal data; cxdash masks emails and phone numbers when it shows them.",
        ],
    )
    return _save(wb)


def touchpoint_map_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Touchpoint map"
    _table(ws, MAP_HEADER, MAP_EXAMPLES)
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
        if isinstance(row[0].value, float) and row[0].value <= 1:
            row[0].number_format = "0%"
    _table(wb.create_sheet("Brand promise"), ("Type", "Name", "Description"), PROMISE_ROWS)
    _notes(
        wb,
        [
            "One row per touchpoint. Stage order puts the journey stages in sequence (1 = first).",
            "Experience provider: Communications, Visual and verbal identity, Product presence, Co-branding, "
            "Spatial environments, Websites and electronic media, or People.",
            "Importance: your stated weight (e.g. 1-5). Leave it empty to let cxdash derive it from the data.",
            "Promise target in the unit you think in: 4.2 = mean on the 1-5 scale; 80% = share of top-2-box answers; "
            "30 = NPS when the target metric is NPS.",
            "The 'Brand promise' sheet holds the promise statement and its reasons to believe.",
        ],
    )
    return _save(wb)
