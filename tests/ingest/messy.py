"""Generators of messy but valid feedback files, for end-to-end import tests.

Each ``write_*`` function writes one file into ``folder`` and returns its path. The
data are small and deterministic, so a test can recount what it expects from the
rows it asked for (the ``ROWS`` helpers return them) instead of trusting the importer.
Broken files (not spreadsheets, cut-off downloads, password protection) are in
``badfiles.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from tests.ingest.badfiles import csv_text, write_text, write_xlsx

Row = list[Any]

# --------------------------------------------------------------------------------------
# A small long-layout survey: the building block of most files below
# --------------------------------------------------------------------------------------

HEADER = ["Response ID", "Date", "Touchpoint", "Channel", "CSAT", "Comment"]
TOUCHPOINTS = ["Website", "Mobile app", "Call centre", "Store"]
CHANNELS = ["Web", "App", "Phone", "In person"]
COMMENTS = [
    "Waited too long in the queue",
    "Easy and fast, thank you",
    None,
    "Hidden fee on my invoice",
    "Staff were polite and helpful",
]


def survey_rows(n: int = 12, start: int = 1, id_prefix: str = "R") -> list[Row]:
    """``n`` responses: id, a real date, touchpoint, channel, CSAT 1-5, comment."""
    return [
        [
            f"{id_prefix}{i:04d}",
            dt.datetime(2025, 3, 1) + dt.timedelta(days=i),
            TOUCHPOINTS[i % 4],
            CHANNELS[i % 4],
            1 + i % 5,
            COMMENTS[i % 5],
        ]
        for i in range(start, start + n)
    ]


def write_survey_xlsx(
    folder: Path, name: str = "survey.xlsx", rows: Sequence[Row] | None = None
) -> Path:
    return write_xlsx(folder, name, {"Responses": [HEADER, *(rows or survey_rows())]})


# --------------------------------------------------------------------------------------
# Workbooks with several sheets, title rows, multi-row headers
# --------------------------------------------------------------------------------------

PIVOT = [
    ["Row Labels", "Average of CSAT", "Count of Response ID"],
    ["Call centre", 3.2, 3],
    ["Mobile app", 2.8, 3],
    ["Store", 3.5, 3],
    ["Website", 3.0, 3],
    ["Grand Total", 3.1, 12],
]
NOTES = [
    ["Notes"],
    ["Survey run by the CX team in March 2025."],
    ["Scores are CSAT on a 1-5 scale; see the Responses sheet."],
]


def write_many_sheets(folder: Path, name: str = "workbook.xlsx", second_data: bool = False) -> Path:
    """A pivot 'Summary', an empty 'Chart' sheet, the data third ('Responses'), 'Notes' last.

    ``second_data`` adds 'Responses 2024', another feedback sheet (with other ids).
    """
    sheets: dict[str, Sequence[Row]] = {
        "Summary": PIVOT,
        "Chart": [],
        "Responses": [HEADER, *survey_rows(12)],
        "Notes": NOTES,
    }
    if second_data:
        sheets["Responses 2024"] = [HEADER, *survey_rows(5, start=100, id_prefix="OLD")]
    return write_xlsx(folder, name, sheets)


TITLE_ROWS: list[Row] = [
    ["Customer satisfaction survey - March 2025"],
    ["Exported by: CX team"],
    [],
]


def write_title_rows(folder: Path, name: str = "titled.xlsx", n: int = 12) -> Path:
    """Two title lines and a blank row above the header (the header is on Excel row 4)."""
    return write_xlsx(folder, name, {"Export": [*TITLE_ROWS, HEADER, *survey_rows(n)]})


QUALTRICS_CODES = ["ResponseId", "RecordedDate", "Q1", "Q2", "Q3"]
QUALTRICS_TEXTS = [
    "Response ID",
    "Recorded Date",
    "How likely are you to recommend us to a friend or colleague?",
    "How satisfied were you with your visit?",
    "What could we do better?",
]


def _long_comment(i: int) -> str:
    """Free text of realistic length (short cells are not taken for comments)."""
    return f"Visit {i}: {COMMENTS[i % 5] or 'no complaints'}, and parking was easy to find."


def write_qualtrics_xlsx(folder: Path, name: str = "qualtrics.xlsx", n: int = 6) -> Path:
    """Qualtrics' three header rows: field codes, question texts, ImportId JSON."""
    import_ids = [f'{{"ImportId":"{c}"}}' for c in QUALTRICS_CODES]
    rows = [
        [f"R_{i:03d}", dt.datetime(2025, 4, 1, 9, i), i % 11, 1 + i % 5, _long_comment(i)]
        for i in range(n)
    ]
    return write_xlsx(
        folder, name, {"Sheet0": [QUALTRICS_CODES, QUALTRICS_TEXTS, import_ids, *rows]}
    )


def write_surveymonkey_xlsx(folder: Path, name: str = "surveymonkey.xlsx", n: int = 7) -> Path:
    """SurveyMonkey's two header rows: questions, then "Response" / "Open-Ended Response"."""
    first = ["Respondent ID", "Start Date", "How likely is it that you would recommend us?", "Why?"]
    second = [None, None, "Response", "Open-Ended Response"]
    rows = [
        [10_000 + i, dt.datetime(2025, 5, 2, 10, i), (3 * i) % 11, _long_comment(i)]
        for i in range(n)
    ]
    return write_xlsx(folder, name, {"Sheet": [first, second, *rows]})


# --------------------------------------------------------------------------------------
# Headers in other languages
# --------------------------------------------------------------------------------------

LANGUAGE_HEADERS: dict[str, list[str]] = {
    "vi": ["Mã phản hồi", "Ngày", "Điểm chạm", "Kênh", "Mức độ hài lòng (1-5)", "Bình luận"],
    "vi-plain": ["Ma phan hoi", "Ngay", "Diem cham", "Kenh", "Muc do hai long", "Binh luan"],
    "zh-hans": ["回答编号", "日期", "接触点", "渠道", "满意度", "评论"],
    "zh-hant": ["回答編號", "日期", "接觸點", "通路", "滿意度", "評論"],
}


def write_language_survey(folder: Path, language: str, n: int = 12) -> Path:
    return write_xlsx(
        folder, f"survey_{language}.xlsx", {"Data": [LANGUAGE_HEADERS[language], *survey_rows(n)]}
    )


# --------------------------------------------------------------------------------------
# Layouts and scales
# --------------------------------------------------------------------------------------

WIDE_TOUCHPOINTS = ["Check-in", "Seat comfort", "Food and drink", "Baggage handling"]


def wide_rows(n: int = 20) -> list[Row]:
    """Id, class (segment), four touchpoint ratings 0-5 (0 = not used), overall label."""
    rows = []
    for i in range(n):
        ratings = [(i + k) % 6 for k in range(4)]
        overall = "satisfied" if i % 3 else "neutral or dissatisfied"
        rows.append([1000 + i, ["Eco", "Business"][i % 2], *ratings, overall])
    return rows


WIDE_HEADER = ["id", "Class", *WIDE_TOUCHPOINTS, "satisfaction"]


def write_wide_survey(folder: Path, name: str = "wide.csv", n: int = 20) -> Path:
    rows = [WIDE_HEADER, *[[str(v) for v in r] for r in wide_rows(n)]]
    return write_text(folder, name, csv_text(rows))


def write_scale_survey(
    folder: Path, header: str, values: Sequence[Any], name: str = "scale.csv"
) -> Path:
    """One score column named ``header`` with ``values`` (plus an id column)."""
    rows = [["Response ID", header], *[[f"S{i}", str(v)] for i, v in enumerate(values)]]
    return write_text(folder, name, csv_text(rows))


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


def write_date_cells(folder: Path, name: str, dates: Sequence[Any]) -> Path:
    """An xlsx whose 'Date' column holds ``dates`` as given (datetime cells, serials, text)."""
    rows = [["Response ID", "Date", "NPS"], *[[f"D{i}", d, i % 11] for i, d in enumerate(dates)]]
    return write_xlsx(folder, name, {"Data": rows})


def write_date_csv(folder: Path, name: str, dates: Sequence[str]) -> Path:
    rows = [
        ["Response ID", "Date", "NPS"],
        *[[f"D{i}", d, str(i % 11)] for i, d in enumerate(dates)],
    ]
    return write_text(folder, name, csv_text(rows))


# --------------------------------------------------------------------------------------
# Text files: encodings, delimiters, decimal commas, line breaks inside quotes
# --------------------------------------------------------------------------------------

MULTILINGUAL_COMMENTS = [
    "Nhân viên rất nhiệt tình",
    "服务很好，下次再来",
    "服務很好，下次再來",
    "Café was closed – très dommage",
    "Good service",
]


def text_rows(comments: Sequence[str] = MULTILINGUAL_COMMENTS) -> list[list[str]]:
    header = ["Response ID", "Touchpoint", "CSAT", "Comment"]
    body = [[f"T{i}", TOUCHPOINTS[i % 4], str(1 + i % 5), c] for i, c in enumerate(comments)]
    return [header, *body]


def write_encoded_csv(
    folder: Path,
    name: str,
    encoding: str,
    delimiter: str = ",",
    bom: bool = False,
    comments: Sequence[str] = MULTILINGUAL_COMMENTS,
) -> Path:
    return write_text(
        folder, name, csv_text(text_rows(comments), delimiter, "\r\n"), encoding, bom=bom
    )


def write_decimal_comma_csv(folder: Path, name: str = "decimal.csv") -> Path:
    """Semicolon-separated with decimal commas, as a European Excel saves it: CSAT 1-5 means."""
    values = ["4,5", "3,0", "5", "1,5", "2,25", "4"]
    rows = [["Response ID", "CSAT"], *[[f"C{i}", v] for i, v in enumerate(values)]]
    return write_text(folder, name, csv_text(rows, ";"))


MULTILINE_COMMENTS = [
    'First line\nsecond line, with a comma\nand a "quote"',
    "One line",
    "Line one\r\nLine two",
]


def write_multiline_csv(folder: Path, name: str = "multiline.csv") -> Path:
    rows = [
        ["Response ID", "NPS", "Comment"],
        *[[f"M{i}", str(9 - i), c] for i, c in enumerate(MULTILINE_COMMENTS)],
    ]
    return write_text(folder, name, csv_text(rows))


# --------------------------------------------------------------------------------------
# Validation: bad scores, bad dates, blank and total rows
# --------------------------------------------------------------------------------------


def write_validation_xlsx(folder: Path, name: str = "validation.xlsx") -> Path:
    """Header on Excel row 4 (two title rows and a blank row above); data from row 5.

    Row 5 ok, 6 NPS 11 (out of range), 7 ok, 8 date "not a date", 9 empty, 10 ok,
    11 NPS "soon" (not a score), 12 "Grand Total", 13 "Tổng cộng", 14 "合计".
    """
    header = ["Response ID", "Date", "NPS", "Comment"]
    rows: list[Row] = [
        ["V1", dt.datetime(2025, 1, 5), 9, "fine"],
        ["V2", dt.datetime(2025, 1, 6), 11, "too high"],
        ["V3", dt.datetime(2025, 1, 7), 7, "ok"],
        ["V4", "not a date", 8, "bad date"],
        [None, None, None, None],
        ["V5", dt.datetime(2025, 1, 9), 3, "poor"],
        ["V6", dt.datetime(2025, 1, 10), "soon", "no score"],
        ["Grand Total", None, 38, None],
        ["Tổng cộng", None, 38, None],
        ["合计", None, 38, None],
    ]
    return write_xlsx(folder, name, {"Data": [["NPS survey"], ["January 2025"], [], header, *rows]})


# --------------------------------------------------------------------------------------
# Touchpoint maps
# --------------------------------------------------------------------------------------

VI_MAP_HEADER = [
    "Giai đoạn",
    "Điểm chạm",
    "Kênh",
    "Người phụ trách",
    "Mức độ quan trọng",
    "Mục tiêu",
]
VI_MAP_ROWS: list[Row] = [
    ["Tìm hiểu", "Trang web", "Website", "Marketing", 3, 4.2],
    ["Tìm hiểu", "Quảng cáo", "Mạng xã hội", "Marketing", 2, 4.0],
    ["Mua hàng", "Cửa hàng", "Cửa hàng", "Bán hàng", 3, 4.5],
    ["Hậu mãi", "Tổng đài", "Điện thoại", "Chăm sóc khách hàng", None, 4.3],
]


def write_vietnamese_map(folder: Path, name: str = "ban_do_diem_cham.xlsx") -> Path:
    return write_xlsx(folder, name, {"Bản đồ": [VI_MAP_HEADER, *VI_MAP_ROWS]})


def write_small_map(folder: Path, name: str, touchpoints: Sequence[tuple[str, str]]) -> Path:
    """A touchpoint map of (stage, touchpoint) pairs with a CSAT target of 4 each."""
    header = ["Journey stage", "Touchpoint", "Owner", "Target metric", "Promise target"]
    rows = [[stage, tp, "CX team", "CSAT", 4] for stage, tp in touchpoints]
    return write_xlsx(folder, name, {"Map": [header, *rows]})


def read_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """A sheet's rows as openpyxl reads them (for tests that recount what a file holds)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
