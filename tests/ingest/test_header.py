"""Header detection: title rows, no header, Qualtrics, legacy Qualtrics, SurveyMonkey."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from cxdash.ingest.header import detect_header, find_header, header_fingerprint
from cxdash.ingest.model import RawSheet
from cxdash.ingest.synonyms import match_key, normalise_label


def sheet(rows: list[list[object]], name: str = "Sheet1") -> RawSheet:
    width = max(len(r) for r in rows)
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    return RawSheet(name, pd.DataFrame(padded, dtype=object))


def csv_sheet(path: Path) -> RawSheet:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [[cell if cell != "" else None for cell in row] for row in csv.reader(handle)]
    return sheet(rows, path.name)


def data_rows(n: int = 12) -> list[list[object]]:
    return [
        [f"R{i}", f"2024-05-{i % 28 + 1:02d}", (i * 3) % 11, "Store" if i % 2 else "Web"]
        for i in range(n)
    ]


HEADER = ["Response ID", "Date", "How likely are you to recommend us?", "Channel"]


def test_plain_header_in_first_row() -> None:
    assert find_header(sheet([HEADER, *data_rows()])) == (0, 1, HEADER)


def test_title_rows_blank_rows_and_merged_title_are_skipped() -> None:
    rows = [
        ["Customer survey export", None, None, None],
        ["Generated 2024-05-01", None, None, None],
        [None, None, None, None],
        [None, "Q2 results, all channels", None, None],
        HEADER,
        *data_rows(),
    ]
    header_row, header_rows, labels = find_header(sheet(rows))
    assert (header_row, header_rows) == (4, 1)
    assert labels == HEADER


def test_empty_cells_as_empty_strings_like_calamine() -> None:
    rows = [["Survey", "", "", ""], ["", "", "", ""], HEADER, *data_rows()]
    assert find_header(sheet(rows))[:2] == (2, 1)


def test_sheet_without_header_gets_generic_labels() -> None:
    rows = [[i, "Store" if i % 3 else "Web", i % 5 + 1, (i * 7) % 5 + 1] for i in range(20)]
    assert find_header(sheet(rows)) == (0, 0, ["Column 1", "Column 2", "Column 3", "Column 4"])


def test_sheet_without_header_after_blank_rows_starts_at_first_data_row() -> None:
    rows = [[None, None], [None, None], *[[i, i % 5 + 1] for i in range(10)]]
    header_row, header_rows, _ = find_header(sheet(rows))
    assert (header_row, header_rows) == (2, 0)


def test_blank_and_repeated_labels_name_one_column_each() -> None:
    rows = [
        [None, "Open text", "Score", "Open text"],
        *[[i, f"text {i}", i % 5, "x"] for i in range(10)],
    ]
    info = detect_header(sheet(rows))
    assert info.labels == ["Column 1", "Open text", "Score", "Open text (2)"]
    assert info.blank == [True, False, False, False]


def test_empty_sheet() -> None:
    assert find_header(RawSheet("Empty", pd.DataFrame())) == (0, 0, [])
    assert find_header(sheet([[None, None], [None, None]]))[1] == 0


def test_qualtrics_three_row_header_labels_questions_with_their_code() -> None:
    rows = [
        ["StartDate", "ResponseId", "Q1", "QID12", "Q3_TEXT"],
        [
            "Start Date",
            "Response ID",
            "How likely are you to recommend Acme?",
            "Overall, how satisfied are you?",
            "Why?",
        ],
        [
            '{"ImportId":"startDate"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"QID1"}',
            '{"ImportId":"QID12"}',
            '{"ImportId":"QID3_TEXT"}',
        ],
        ["2024-05-01 10:00:00", "R_1", "9", "4", "Friendly staff"],
        ["2024-05-02 11:00:00", "R_2", "6", "3", "Slow"],
    ]
    info = detect_header(sheet(rows))
    assert (info.header_row, info.header_rows, info.style) == (0, 3, "qualtrics")
    assert info.labels == [
        "StartDate",
        "ResponseId",
        "Q1 / How likely are you to recommend Acme?",
        "QID12 / Overall, how satisfied are you?",
        "Q3_TEXT / Why?",
    ]
    assert info.data_start == 3


def test_qualtrics_legacy_two_row_header_uses_labels_under_v_codes() -> None:
    rows = [
        ["V1", "V8", "Q1", "Q2", None],
        ["ResponseID", "StartDate", "How likely are you to recommend us?", "Comments", None],
        ["R_1", "2017-07-18 08:28:09", "9", "Great", None],
    ]
    header_row, header_rows, labels = find_header(sheet(rows))
    assert (header_row, header_rows) == (0, 2)
    assert labels == [
        "ResponseID",
        "StartDate",
        "Q1 / How likely are you to recommend us?",
        "Q2 / Comments",
        "Column 5",
    ]


def test_surveymonkey_two_row_header_carries_question_over_its_options() -> None:
    rows = [
        [
            "Respondent ID",
            "Start Date",
            "Which services did you use?",
            None,
            "How likely are you to recommend us?",
            "Any comments?",
        ],
        [None, None, "Check-in", "Restaurant", "Response", "Open-Ended Response"],
        [101, "2024-05-01", "Check-in", None, 9, "Lovely stay"],
        [102, "2024-05-02", None, "Restaurant", 4, "Noisy room"],
    ]
    info = detect_header(sheet(rows))
    assert (info.header_row, info.header_rows, info.style) == (0, 2, "surveymonkey")
    assert info.labels == [
        "Respondent ID",
        "Start Date",
        "Which services did you use? / Check-in",
        "Which services did you use? / Restaurant",
        "How likely are you to recommend us?",
        "Any comments?",
    ]
    assert info.stems[2] == info.stems[3] == "Which services did you use?"
    assert info.options[2:4] == ["Check-in", "Restaurant"]
    assert info.stems[4] == ""


def test_real_qualtrics_export(real_data: Path) -> None:
    raw = csv_sheet(real_data / "qualtrics_sample_qualtRics.csv")
    header_row, header_rows, labels = find_header(raw)
    assert (header_row, header_rows) == (0, 3)
    assert len(labels) == raw.data.shape[1] == 20
    assert labels[0] == "StartDate"
    assert labels[8] == "ResponseId"
    assert labels[17] == "Q1 / This is a multiple choice question."
    assert labels[18] == "Q2 / This is a free text question."
    # the one response starts right after the header: header rows are never data
    assert raw.data.iloc[header_row + header_rows, 8] == "R_2YPOQ602ER1jkf1"
    assert header_row + header_rows == len(raw.data) - 1


def test_real_qualtrics_legacy_export(real_data: Path) -> None:
    raw = csv_sheet(real_data / "qualtrics_sample_legacy_qualtRics.csv")
    header_row, header_rows, labels = find_header(raw)
    assert (header_row, header_rows) == (0, 2)
    assert labels[:3] == ["ResponseID", "ResponseSet", "Name"]
    assert labels[10] == "Q1 / This is a multiple choice question."
    assert labels[-1] == f"Column {len(labels)}"  # the trailing empty column
    assert raw.data.iloc[header_row + header_rows, 0] == "R_2YPOQ602ER1jkf1"


def test_normalise_label_folds_case_accents_punctuation_and_scripts() -> None:
    assert normalise_label("Mức độ HÀI-LÒNG (1-5)") == "muc do hai long 1 5"
    assert normalise_label("Đánh giá") == normalise_label("danh gia") == "danh gia"
    assert normalise_label("滿意度") == normalise_label("满意度") == "满意度"
    assert normalise_label("OverallRating") == "overall rating"
    assert normalise_label("tweet_created") == "tweet created"
    assert normalise_label("Ｑ１  Score") == "q1 score"  # full-width NFKC
    assert match_key("满意度 Tổng") == "满 意 度 tong"


def test_fingerprint_identifies_a_layout_not_its_spelling() -> None:
    a = header_fingerprint(["Response ID", "Mức độ hài lòng", "NPS"])
    assert a == header_fingerprint(["response_id", "MUC DO HAI LONG", " nps "])
    assert a != header_fingerprint(["NPS", "Response ID", "Mức độ hài lòng"])
    assert len(a) == 16


@pytest.mark.parametrize("title_rows", [0, 1, 5])
def test_header_index_counts_title_rows(title_rows: int) -> None:
    rows = [["Report", None, None, None]] * title_rows + [HEADER, *data_rows()]
    assert find_header(sheet(rows))[0] == title_rows
