"""The import pipeline end to end: messy-but-valid files, validation, all-or-nothing, undo.

Files are generated in ``tmp_path`` by ``messy.py`` (valid) and ``badfiles.py`` (broken);
expected numbers are recounted from the rows the generators were given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cxdash.errors import ImportRejected
from cxdash.ingest import load, write
from cxdash.ingest.load import ImportOptions, ImportResult, import_file, prepare, undo_import
from cxdash.workspace import Workspace
from tests.helpers import add_touchpoints
from tests.ingest import badfiles as B
from tests.ingest import messy as M

SAMPLE_MAP = Path(__file__).resolve().parents[2] / "sample_data" / "touchpoint_map.xlsx"
TABLES = ("feedback", "imports", "touchpoints", "promise", "mapping_memory", "settings")


def run(ws: Workspace, path: Path, **options: Any) -> ImportResult:
    return import_file(ws, path, path.name, ImportOptions(**options))


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the importer writes, in a stable order."""
    return {t: sorted(map(repr, ws.fetchall(f"SELECT * FROM {t}"))) for t in TABLES}


def rows(ws: Workspace, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return ws.fetchall(sql, params)


def one(ws: Workspace, sql: str, params: list[Any] | None = None) -> Any:
    return ws.fetchall(sql, params)[0][0]


# --------------------------------------------------------------------------------------
# Sheets, title rows and multi-row headers
# --------------------------------------------------------------------------------------


def test_many_sheets_picks_the_data_sheet_and_says_why_the_others_were_skipped(
    ws: Workspace, tmp_path: Path
) -> None:
    r = run(ws, M.write_many_sheets(tmp_path))
    assert r.status == "loaded", r.message
    assert r.sheet == "Responses" and r.sheets == ["Responses"]
    note = next(w for w in r.warnings if w.startswith("Read sheet"))
    assert "'Responses'" in note and "1 of the 4 sheets" in note
    assert "'Summary' looks like a pivot table" in note
    assert "'Chart' is empty" in note and "'Notes'" in note
    assert r.respondents == 12 and r.rows_loaded == 12
    assert (
        one(ws, "SELECT count(DISTINCT response_id) FROM feedback WHERE sheet = 'Responses'") == 12
    )


def test_sheet_option_reads_only_that_sheet(ws: Workspace, tmp_path: Path) -> None:
    path = M.write_many_sheets(tmp_path, second_data=True)
    auto = prepare(path)
    assert [s.plan.sheet for s in auto.sheets] == ["Responses", "Responses 2024"]
    r = run(ws, path, sheet="Responses 2024")
    assert r.status == "loaded" and r.sheets == ["Responses 2024"]
    assert r.respondents == 5
    ids = {x[0] for x in rows(ws, "SELECT response_id FROM feedback")}
    assert ids == {f"OLD{i:04d}" for i in range(100, 105)}


def test_unknown_sheet_is_rejected_with_the_sheet_list(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_many_sheets(tmp_path), sheet="Data")
    assert r.status == "rejected"
    assert "no sheet named 'Data'" in r.message
    for name in ("Summary", "Chart", "Responses", "Notes"):
        assert f"'{name}'" in r.message
    assert one(ws, "SELECT count(*) FROM imports") == 0


def test_title_and_blank_rows_above_the_header(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_title_rows(tmp_path, n=12))
    assert r.status == "loaded" and r.header_rows == 1
    assert r.respondents == 12 and r.rows_read == 12
    # Header on Excel row 4, so the first response is row 5 and the last row 16.
    first, last = rows(ws, "SELECT min(source_row), max(source_row) FROM feedback")[0]
    assert (first, last) == (5, 16)
    assert one(ws, "SELECT response_id FROM feedback WHERE source_row = 5") == "R0001"


def test_qualtrics_three_header_rows_are_not_responses(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_qualtrics_xlsx(tmp_path, n=6))
    assert r.status == "loaded" and r.header_rows == 3
    assert r.respondents == 6 and r.rows_read == 6
    assert r.mapping["nps"].startswith("Q1 / ") and r.mapping["csat"].startswith("Q2 / ")
    assert r.mapping["comment"] == "Q3 / What could we do better?"
    ids = sorted(x[0] for x in rows(ws, "SELECT DISTINCT response_id FROM feedback"))
    assert ids == [f"R_{i:03d}" for i in range(6)]
    assert one(ws, "SELECT min(source_row) FROM feedback") == 4
    assert one(ws, "SELECT count(*) FROM feedback WHERE raw_value LIKE '%ImportId%'") == 0


def test_surveymonkey_two_header_rows_are_not_responses(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_surveymonkey_xlsx(tmp_path, n=7))
    assert r.status == "loaded" and r.header_rows == 2
    assert r.respondents == 7 and r.rows_read == 7
    values = sorted(x[0] for x in rows(ws, "SELECT value FROM feedback WHERE metric = 'nps'"))
    assert values == sorted(float((3 * i) % 11) for i in range(7))
    assert one(ws, "SELECT count(*) FROM feedback WHERE raw_value = 'Response'") == 0


@pytest.mark.parametrize("language", list(M.LANGUAGE_HEADERS))
def test_headers_in_vietnamese_and_chinese_map_to_the_same_fields(
    ws: Workspace, tmp_path: Path, language: str
) -> None:
    r = run(ws, M.write_language_survey(tmp_path, language, n=12))
    assert r.status == "loaded", r.message
    header = M.LANGUAGE_HEADERS[language]
    fields = ["response_id", "timestamp", "touchpoint", "channel", "csat", "comment"]
    assert {f: r.mapping.get(f) for f in fields} == dict(zip(fields, header, strict=True))
    assert r.respondents == 12
    assert one(ws, "SELECT count(*) FROM feedback WHERE metric = 'csat'") == 12


# --------------------------------------------------------------------------------------
# Overrides remembered per layout
# --------------------------------------------------------------------------------------


def test_override_is_applied_and_remembered_for_the_same_layout(
    ws: Workspace, tmp_path: Path
) -> None:
    jan = M.write_survey_xlsx(tmp_path, "jan.xlsx", M.survey_rows(10))
    r1 = run(ws, jan, overrides={"Channel": "segment", "Comment": "ignore"})
    assert r1.status == "loaded"
    assert r1.mapping["segments"] == ["Channel"] and "comment" not in r1.mapping
    assert "channel" not in r1.mapping

    feb = M.write_survey_xlsx(tmp_path, "feb.xlsx", M.survey_rows(8, start=50))
    r2 = run(ws, feb)
    assert r2.status == "loaded"
    assert r2.mapping == r1.mapping
    assert any("column choices you made before" in w for w in r2.warnings)
    got = rows(
        ws,
        "SELECT segments['Channel'], comment, channel FROM feedback WHERE import_id = ?"
        " ORDER BY source_row",
        [r2.import_id],
    )
    expected = [(r[3], None, None) for r in M.survey_rows(8, start=50)]
    assert got == expected


def test_override_naming_a_missing_column_is_rejected(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_survey_xlsx(tmp_path), overrides={"Score": "csat"})
    assert r.status == "rejected"
    assert "'Score'" in r.message and "Response ID" in r.message
    assert one(ws, "SELECT count(*) FROM mapping_memory") == 0


# --------------------------------------------------------------------------------------
# Layouts and scales
# --------------------------------------------------------------------------------------


def test_wide_layout_zero_is_not_applicable_and_segments_are_kept(
    ws: Workspace, tmp_path: Path
) -> None:
    data = M.wide_rows(20)
    r = run(ws, M.write_wide_survey(tmp_path, n=20))
    assert r.status == "loaded" and r.layout == "wide"
    assert set(r.mapping["touchpoint_ratings"]) == set(M.WIDE_TOUCHPOINTS)
    assert r.mapping["overall"] == "satisfaction" and r.mapping["segments"] == ["Class"]
    given = sum(1 for row in data for v in row[2:6] if v != 0)
    assert r.rows_loaded == given + len(data)  # touchpoint ratings + one overall each
    assert one(ws, "SELECT count(*) FROM feedback WHERE metric = 'rating'") == given
    assert one(ws, "SELECT count(*) FROM feedback WHERE metric = 'rating' AND value = 0") == 0
    for tp, k in zip(M.WIDE_TOUCHPOINTS, range(2, 6), strict=True):
        expected = sum(1 for row in data if row[k] != 0)
        assert one(ws, "SELECT count(*) FROM feedback WHERE touchpoint = ?", [tp]) == expected
    satisfied = sum(1 for row in data if row[6] == "satisfied")
    assert one(ws, "SELECT count(*) FROM feedback WHERE metric = 'overall' AND score = 100") == (
        satisfied
    )
    assert one(ws, "SELECT count(*) FROM feedback WHERE metric = 'overall' AND score = 0") == (
        len(data) - satisfied
    )
    classes = rows(
        ws,
        "SELECT response_id, segments['Class'] FROM feedback WHERE metric = 'overall'"
        " ORDER BY source_row",
    )
    assert classes == [(str(row[0]), row[1]) for row in data]


def test_long_layout_keeps_touchpoint_and_channel_per_row(ws: Workspace, tmp_path: Path) -> None:
    data = M.survey_rows(12)
    r = run(ws, M.write_survey_xlsx(tmp_path, rows=data))
    assert r.layout == "long" and r.touchpoints == sorted(M.TOUCHPOINTS)
    got = rows(ws, "SELECT response_id, touchpoint, channel, value FROM feedback ORDER BY 1")
    assert got == [(row[0], row[2], row[3], float(row[4])) for row in data]


@pytest.mark.parametrize(
    ("header", "values", "metric", "scale"),
    [
        ("NPS", [0, 5, 10, 7, 9, 3], "nps", (0, 10)),
        ("CSAT", [1, 2, 3, 4, 5, 4], "csat", (1, 5)),
        ("CES", [1, 4, 7, 2, 6, 5], "ces", (1, 7)),
        ("Overall rating (1-10)", [1, 5, 10, 3, 8, 2], "overall", (1, 10)),
    ],
)
def test_scales(
    ws: Workspace,
    tmp_path: Path,
    header: str,
    values: list[int],
    metric: str,
    scale: tuple[int, int],
) -> None:
    r = run(ws, M.write_scale_survey(tmp_path, header, values))
    assert r.status == "loaded" and r.mapping[metric] == header
    got = rows(ws, "SELECT metric, value, scale_min, scale_max, score FROM feedback ORDER BY 1")
    lo, hi = scale
    expected = [(metric, float(v), lo, hi, round((v - lo) / (hi - lo) * 100, 6)) for v in values]
    assert sorted((*g[:4], round(g[4], 6)) for g in got) == sorted(expected)


def test_text_scores_with_labels(ws: Workspace, tmp_path: Path) -> None:
    values = ["10 - Extremely likely", "0 - Not at all likely", "7", "9", "5"]
    r = run(ws, M.write_scale_survey(tmp_path, "How likely are you to recommend us?", values))
    assert r.status == "loaded"
    got = dict(rows(ws, "SELECT raw_value, value FROM feedback WHERE metric = 'nps'"))
    assert got == {"10 - Extremely likely": 10, "0 - Not at all likely": 0, "7": 7, "9": 9, "5": 5}


def test_reversed_ces(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_scale_survey(tmp_path, "CES", [1, 4, 7, 2]), reverse_ces=True)
    assert r.status == "loaded"
    got = dict((x[0], x[1:]) for x in rows(ws, "SELECT raw_value, value, score FROM feedback"))
    assert got["1"] == (7.0, 100.0)
    assert got["7"] == (1.0, 0.0)
    assert got["4"] == (4.0, 50.0)


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


def _dates(ws: Workspace) -> list[dt.datetime]:
    return [x[0] for x in rows(ws, "SELECT ts FROM feedback ORDER BY source_row")]


def test_real_date_cells(ws: Workspace, tmp_path: Path) -> None:
    cells = [dt.datetime(2024, 1, 31), dt.date(2024, 2, 29), dt.datetime(2024, 3, 1, 14, 30)]
    r = run(ws, M.write_date_cells(tmp_path, "cells.xlsx", cells))
    assert r.status == "loaded" and r.rows_rejected == 0
    assert _dates(ws) == [dt.datetime(2024, 1, 31), dt.datetime(2024, 2, 29), cells[2]]


def test_excel_serial_numbers(ws: Workspace, tmp_path: Path) -> None:
    serial = [45322, 45351, 45352.5]  # Excel day numbers (1900 system): 45322 is 2024-01-31
    r = run(ws, M.write_date_cells(tmp_path, "serial.xlsx", serial))
    assert r.status == "loaded" and r.rows_rejected == 0
    assert any("Excel day numbers" in w for w in r.warnings)
    excel_epoch = dt.datetime(1899, 12, 30)
    assert _dates(ws) == [excel_epoch + dt.timedelta(days=d) for d in serial]


@pytest.mark.parametrize(
    ("texts", "expected", "note"),
    [
        (
            ["2024-01-31", "2024-02-29T10:00:00", "2024-03-01 14:30"],
            [
                dt.datetime(2024, 1, 31),
                dt.datetime(2024, 2, 29, 10),
                dt.datetime(2024, 3, 1, 14, 30),
            ],
            None,
        ),
        (
            ["05/02/2024", "31/01/2024", "13/03/2024"],
            [dt.datetime(2024, 2, 5), dt.datetime(2024, 1, 31), dt.datetime(2024, 3, 13)],
            "day/month/year (31/01/2024 proves it)",
        ),
        (
            ["02/05/2024", "01/31/2024", "03/13/2024"],
            [dt.datetime(2024, 2, 5), dt.datetime(2024, 1, 31), dt.datetime(2024, 3, 13)],
            "month/day/year (01/31/2024 proves it)",
        ),
        (
            ["01/02/2024", "03/04/2024", "05/06/2024"],
            [dt.datetime(2024, 2, 1), dt.datetime(2024, 4, 3), dt.datetime(2024, 6, 5)],
            "fits both day/month and month/day",
        ),
        (
            ["19th November 2023", "1st December 2023", "22nd March 2024"],
            [dt.datetime(2023, 11, 19), dt.datetime(2023, 12, 1), dt.datetime(2024, 3, 22)],
            "month names",
        ),
        (
            ["22-04-15", "23-04-15", "01-12-15"],
            [dt.datetime(2015, 4, 22), dt.datetime(2015, 4, 23), dt.datetime(2015, 12, 1)],
            "day/month/year (22-04-15 proves it)",
        ),
    ],
    ids=["iso", "day-first", "month-first", "ambiguous", "words", "two-digit-year"],
)
def test_text_dates_decided_per_column(
    ws: Workspace, tmp_path: Path, texts: list[str], expected: list[dt.datetime], note: str | None
) -> None:
    r = run(ws, M.write_date_csv(tmp_path, "dates.csv", texts))
    assert r.status == "loaded" and r.rows_rejected == 0
    assert _dates(ws) == expected
    date_notes = [w for w in r.warnings if w.startswith("'Date'")]
    if note is None:
        assert date_notes == []
    else:
        assert len(date_notes) == 1 and note in date_notes[0]


# --------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "bom", "comments"),
    [
        ("utf8.csv", "utf-8", ",", False, M.MULTILINGUAL_COMMENTS),
        ("utf8_bom.csv", "utf-8", ";", True, M.MULTILINGUAL_COMMENTS),
        ("unicode.txt", "utf-16-le", "\t", True, M.MULTILINGUAL_COMMENTS),
        ("simplified.csv", "gb18030", ",", False, M.MULTILINGUAL_COMMENTS),
        ("western.csv", "cp1252", ",", False, ["Café – très bien", "Crème brûlée", "Señor", "ok"]),
        ("traditional.csv", "big5", ",", False, ["服務很好", "等太久了", "價格公道", "態度很差"]),
    ],
)
def test_csv_encodings_and_delimiters(
    ws: Workspace,
    tmp_path: Path,
    name: str,
    encoding: str,
    delimiter: str,
    bom: bool,
    comments: list[str],
) -> None:
    path = M.write_encoded_csv(tmp_path, name, encoding, delimiter, bom, comments)
    r = run(ws, path)
    assert r.status == "loaded", r.message
    assert r.respondents == len(comments) and r.rows_rejected == 0
    got = [x[0] for x in rows(ws, "SELECT comment FROM feedback ORDER BY source_row")]
    assert got == list(comments)
    assert r.mapping["response_id"] == "Response ID"  # no BOM glued to the first header


def test_decimal_commas(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_decimal_comma_csv(tmp_path))
    assert r.status == "loaded"
    got = dict(rows(ws, "SELECT raw_value, value FROM feedback WHERE metric = 'csat'"))
    assert got == {"4,5": 4.5, "3,0": 3.0, "5": 5.0, "1,5": 1.5, "2,25": 2.25, "4": 4.0}


def test_line_breaks_inside_quotes(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_multiline_csv(tmp_path))
    assert r.status == "loaded" and r.respondents == len(M.MULTILINE_COMMENTS)
    got = [x[0] for x in rows(ws, "SELECT comment FROM feedback ORDER BY source_row")]
    assert got == M.MULTILINE_COMMENTS


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def test_rejected_rows_are_reported_with_excel_row_numbers(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_validation_xlsx(tmp_path))
    assert r.status == "loaded" and r.header_rows == 1
    reasons = {e["row"]: (e["column"], e["reason"]) for e in r.errors}
    assert set(reasons) == {6, 8, 11, 12, 13, 14}
    assert reasons[6] == ("NPS", "11 in 'NPS' is outside the 0-10 scale.")
    assert reasons[8][0] == "Date" and "not a date" in reasons[8][1]
    assert reasons[11][0] == "NPS" and "'soon'" in reasons[11][1]
    for row in (12, 13, 14):
        assert reasons[row] == (None, "This looks like a total row, not a response.")
    assert r.rows_rejected == 6
    assert any("empty row" in w and "row 9" in w for w in r.warnings)
    loaded = [x[0] for x in rows(ws, "SELECT response_id FROM feedback ORDER BY source_row")]
    assert loaded == ["V1", "V3", "V5"] and r.respondents == 3


def test_rejected_rows_are_all_counted_when_too_many_to_list(ws: Workspace, tmp_path: Path) -> None:
    n_bad = load.MAX_REPORTED_ERRORS + 200
    values = [11] * n_bad + [9] * 50
    r = run(ws, M.write_scale_survey(tmp_path, "NPS (0-10)", values))
    assert r.status == "loaded"
    assert r.rows_rejected == n_bad
    assert len(r.errors) == load.MAX_REPORTED_ERRORS
    assert one(ws, "SELECT rows_rejected FROM imports") == n_bad
    assert one(ws, "SELECT count(*) FROM feedback") == 50


def test_file_where_no_row_is_valid_is_rejected(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_scale_survey(tmp_path, "NPS (0-10)", [11, 12, 15, 20, 11]))
    assert r.status == "rejected"
    assert "none of its 5 rows" in r.message and "row 2" in r.message
    assert snapshot(ws)["feedback"] == [] and snapshot(ws)["imports"] == []


# --------------------------------------------------------------------------------------
# All or nothing, idempotency, undo
# --------------------------------------------------------------------------------------


def test_failure_part_way_leaves_the_workspace_as_it_was(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(ws, M.write_survey_xlsx(tmp_path, "before.xlsx")).status == "loaded"
    before, version = snapshot(ws), ws.data_version()
    original = write._insert_feedback
    calls: list[str] = []

    def fail_on_second_sheet(cur: Any, import_id: str, s: Any, *args: Any) -> Any:
        calls.append(s.plan.sheet)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return original(cur, import_id, s, *args)

    monkeypatch.setattr(write, "_insert_feedback", fail_on_second_sheet)
    path = M.write_many_sheets(tmp_path, "two.xlsx", second_data=True)
    r = run(ws, path)
    assert calls == ["Responses", "Responses 2024"]  # the first sheet was written, then it failed
    assert r.status == "rejected"
    assert "Nothing was changed" in r.message and "disk full" in r.message
    assert "Traceback" not in r.message and 'File "' not in r.message
    assert snapshot(ws) == before and ws.data_version() == version


def test_same_file_twice_is_a_duplicate(ws: Workspace, tmp_path: Path) -> None:
    path = M.write_survey_xlsx(tmp_path)
    first = run(ws, path)
    state = snapshot(ws)
    again = run(ws, path)
    assert again.status == "duplicate" and again.import_id == first.import_id
    assert "already imported" in again.message
    assert snapshot(ws) == state


def test_overlapping_response_ids_are_skipped_and_counted(ws: Workspace, tmp_path: Path) -> None:
    run(ws, M.write_survey_xlsx(tmp_path, "a.xlsx", M.survey_rows(10, start=1)))  # R0001-R0010
    r = run(ws, M.write_survey_xlsx(tmp_path, "b.xlsx", M.survey_rows(10, start=6)))  # R0006-15
    assert r.status == "loaded"
    assert r.rows_duplicate == 5 and r.respondents == 5
    assert one(ws, "SELECT count(DISTINCT response_id) FROM feedback") == 15
    assert one(ws, "SELECT count(*) FROM feedback WHERE import_id = ?", [r.import_id]) == 5

    # Undo the second, import it again: the same five are new again.
    assert "removed" in undo_import(ws, r.import_id)
    assert one(ws, "SELECT count(*) FROM feedback") == 10
    again = run(ws, M.write_survey_xlsx(tmp_path, "b.xlsx", M.survey_rows(10, start=6)))
    assert again.status == "loaded" and again.respondents == 5 and again.rows_duplicate == 5


def test_same_ids_from_another_survey_layout_are_not_duplicates(
    ws: Workspace, tmp_path: Path
) -> None:
    run(ws, M.write_scale_survey(tmp_path, "NPS", [9, 8, 7], name="nps.csv"))
    r = run(ws, M.write_scale_survey(tmp_path, "CSAT", [5, 4, 3], name="csat.csv"))
    assert r.status == "loaded" and r.rows_duplicate == 0 and r.respondents == 3
    assert one(ws, "SELECT count(*) FROM feedback") == 6


def test_file_of_only_known_responses_is_a_duplicate(ws: Workspace, tmp_path: Path) -> None:
    data = M.survey_rows(6)
    run(ws, M.write_survey_xlsx(tmp_path, "a.xlsx", data))
    r = run(ws, M.write_survey_xlsx(tmp_path, "b.xlsx", list(reversed(data))))
    assert r.status == "duplicate" and r.rows_duplicate == 6 and r.rows_loaded == 0
    assert one(ws, "SELECT count(*) FROM feedback") == 6


def test_undo_twice_fails_with_a_sentence(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_survey_xlsx(tmp_path))
    undo_import(ws, r.import_id)
    with pytest.raises(ImportRejected, match="already undone"):
        undo_import(ws, r.import_id)
    with pytest.raises(ImportRejected, match="no import with id nope"):
        undo_import(ws, "nope")


# --------------------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (B.write_pdf, "PDF"),
        (B.write_truncated_xlsx, "damaged or incomplete"),
        (B.write_corrupt_xlsx, "damaged or incomplete"),
        (B.write_encrypted_xlsx, "password"),
        (B.write_empty_workbook, "every sheet in it is empty"),
        (lambda folder: B.write_bytes(folder, "empty.csv", b""), "empty"),
        (lambda folder: B.write_text(folder, "header_only.csv", "id,nps\n"), "no"),
    ],
    ids=["pdf", "truncated", "corrupt", "password", "empty-workbook", "empty-csv", "header-only"],
)
def test_bad_files_are_rejected_and_change_nothing(
    ws: Workspace, tmp_path: Path, make: Any, words: str
) -> None:
    run(ws, M.write_survey_xlsx(tmp_path, "good.xlsx"))
    before, version = snapshot(ws), ws.data_version()
    path = make(tmp_path)
    r = run(ws, path)
    assert r.status == "rejected"
    assert words in r.message and path.name in r.message
    assert "Traceback" not in r.message and "Error" not in r.message
    assert snapshot(ws) == before and ws.data_version() == version


# --------------------------------------------------------------------------------------
# Themes and comments
# --------------------------------------------------------------------------------------


def test_comments_are_stored_and_tagged_with_the_codebook(ws: Workspace, tmp_path: Path) -> None:
    comments = ["Waited too long in the queue", "Call me on 0901 234 567 please", "Hidden fee!"]
    rows_ = [
        ["Response ID", "CSAT", "Comment"],
        *[[f"C{i}", "3", c] for i, c in enumerate(comments)],
    ]
    r = run(ws, B.write_text(tmp_path, "c.csv", B.csv_text(rows_)))
    assert r.status == "loaded"
    got = rows(ws, "SELECT comment, themes, theme_source FROM feedback ORDER BY source_row")
    assert [g[0] for g in got] == comments  # stored as written; masking is for display
    assert all(g[2] == "codebook" for g in got)
    assert "convenience" in got[0][1]
    assert "trust" in got[2][1]


def test_theme_column_wins_over_the_codebook(ws: Workspace, tmp_path: Path) -> None:
    data = [
        ["Response ID", "CSAT", "Comment", "Theme"],
        ["T1", "2", "Waited too long in the queue", "Trust; Respect"],
        ["T2", "4", "Waited too long in the queue", ""],
        ["T3", "4", "", ""],
    ]
    r = run(ws, B.write_text(tmp_path, "t.csv", B.csv_text(data)))
    assert r.mapping.get("theme") == "Theme"
    got = {x[0]: x[1:] for x in rows(ws, "SELECT response_id, themes, theme_source FROM feedback")}
    assert got["T1"] == (["respect", "trust"], "export")
    assert got["T2"][1] == "codebook" and "convenience" in got["T2"][0]
    assert got["T3"] == ([], None)


def test_codebook_of_the_workspace_is_used(ws: Workspace, tmp_path: Path) -> None:
    from cxdash.themes import add_keyword

    add_keyword(ws, "identity", "gold card")
    data = [["Response ID", "CSAT", "Comment"], ["G1", "5", "My gold card was accepted"]]
    run(ws, B.write_text(tmp_path, "g.csv", B.csv_text(data)))
    assert one(ws, "SELECT themes FROM feedback") == ["identity"]
    assert prepare(B.write_text(tmp_path, "g2.csv", B.csv_text(data))).sheets[0].responses[
        "themes"
    ].tolist() == [[]]  # without a workspace: the default codebook


# --------------------------------------------------------------------------------------
# Touchpoint maps
# --------------------------------------------------------------------------------------


def _sample_map_rows() -> tuple[list[str], list[tuple[Any, ...]], dict[str, str]]:
    """The sample map's header, rows and each target cell's number format (read independently)."""
    wb = openpyxl.load_workbook(SAMPLE_MAP)
    sheet = wb["Touchpoint map"]
    values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    header = list(values[0])
    t = header.index("Promise target")
    formats = {
        row[header.index("Touchpoint")].value: row[t].number_format
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("Touchpoint")].value
    }
    wb.close()
    return header, [v for v in values[1:] if any(c is not None for c in v)], formats


def test_touchpoint_map_from_the_sample(ws: Workspace) -> None:
    header, data, formats = _sample_map_rows()
    col = {h: i for i, h in enumerate(header)}
    r = run(ws, SAMPLE_MAP)
    assert r.status == "loaded" and r.kind == "touchpoints", r.message
    assert r.rows_loaded == len(data) == 36
    got = {
        x[0]: x[1:]
        for x in rows(
            ws,
            "SELECT touchpoint, stage, stage_order, provider, importance, target, target_unit,"
            " target_metric FROM touchpoints",
        )
    }
    assert set(got) == {row[col["Touchpoint"]] for row in data}
    stages = rows(ws, "SELECT stage, min(stage_order) FROM touchpoints GROUP BY 1 ORDER BY 2")
    expected_stages = list(dict.fromkeys(row[col["Journey stage"]] for row in data))
    assert [s for s, _ in stages] == expected_stages
    assert [o for _, o in stages] == list(range(1, len(expected_stages) + 1))
    assert {g[2] for g in got.values()} == set(load.PROVIDERS)
    for row in data:
        tp, metric, target = (
            row[col["Touchpoint"]],
            row[col["Target metric"]],
            row[col["Promise target"]],
        )
        _, _, _, importance, value, unit, got_metric = got[tp]
        assert importance == row[col["Importance"]]  # a blank importance stays NULL
        if target is None:
            assert value is None and unit is None
        elif metric == "NPS":
            assert (value, unit, got_metric) == (target, "nps", "nps")
        elif "%" in formats[tp]:
            assert (value, unit) == (pytest.approx(target * 100), "share")
        else:
            assert (value, unit) == (target, "mean")
    assert any(row[col["Importance"]] is None for row in data)
    promise = rows(ws, "SELECT kind, name FROM promise ORDER BY position")
    assert promise[0][0] == "statement"
    assert [k for k, _ in promise[1:]] == ["reason_to_believe"] * 3
    assert "3 reasons to believe" in r.message


def test_feedback_before_the_map_gets_the_map_stages(ws: Workspace, tmp_path: Path) -> None:
    header, data, _ = _sample_map_rows()
    col = {h: i for i, h in enumerate(header)}
    stage_of = {row[col["Touchpoint"]]: row[col["Journey stage"]] for row in data}
    picked = list(stage_of)[:3]
    feedback = [
        ["Response ID", "Touchpoint", "CSAT"],
        *[[f"F{i}", tp.upper(), str(1 + i % 5)] for i, tp in enumerate(picked * 2)],
    ]
    r = run(ws, B.write_text(tmp_path, "f.csv", B.csv_text(feedback)))
    assert r.status == "loaded"
    assert one(ws, "SELECT count(*) FROM feedback WHERE stage IS NOT NULL") == 0
    run(ws, SAMPLE_MAP)
    got = rows(ws, "SELECT DISTINCT touchpoint, stage FROM feedback ORDER BY 1")
    assert got == sorted((tp, stage_of[tp]) for tp in picked)  # the map's spelling and stage


def test_feedback_after_the_map_gets_the_map_stages(ws: Workspace, tmp_path: Path) -> None:
    add_touchpoints(ws, [{"touchpoint": "Website", "stage": "Discover", "channel": "Web"}])
    data = [["Response ID", "Touchpoint", "CSAT"], ["A1", "website", "4"]]
    run(ws, B.write_text(tmp_path, "a.csv", B.csv_text(data)))
    assert rows(ws, "SELECT touchpoint, stage, channel FROM feedback") == [
        ("Website", "Discover", "Web")
    ]


def test_undo_of_a_map_restores_the_previous_map_and_promise(ws: Workspace, tmp_path: Path) -> None:
    first = run(ws, SAMPLE_MAP)
    before = (rows(ws, "SELECT * FROM touchpoints ORDER BY 1"), rows(ws, "SELECT * FROM promise"))
    second = run(ws, M.write_small_map(tmp_path, "small.xlsx", [("Buy", "Shop"), ("Use", "App")]))
    assert second.status == "loaded"
    assert one(ws, "SELECT count(*) FROM touchpoints") == 2
    with pytest.raises(ImportRejected, match="undo that one first"):
        undo_import(ws, first.import_id)
    assert "restored" in undo_import(ws, second.import_id)
    after = (rows(ws, "SELECT * FROM touchpoints ORDER BY 1"), rows(ws, "SELECT * FROM promise"))
    assert after == before


def test_touchpoint_map_with_vietnamese_headers(ws: Workspace, tmp_path: Path) -> None:
    r = run(ws, M.write_vietnamese_map(tmp_path))
    assert r.status == "loaded" and r.kind == "touchpoints", r.message
    got = rows(
        ws, "SELECT touchpoint, stage, stage_order, owner, importance, target FROM touchpoints"
    )
    expected = {
        (
            row[1],
            row[0],
            ["Tìm hiểu", "Mua hàng", "Hậu mãi"].index(row[0]) + 1,
            row[3],
            row[4],
            row[5],
        )
        for row in M.VI_MAP_ROWS
    }
    assert set(got) == expected
