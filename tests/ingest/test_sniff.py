"""Tests for cxdash.ingest.sniff: file type by content, encodings, delimiters, raw cells."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cxdash.errors import ImportRejected
from cxdash.ingest.sniff import read_file, sniff_delimiter
from tests.ingest import badfiles as bf

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def cells(path_or_bytes: Path | bytes, file_name: str | None = None) -> list[list[object]]:
    """All cells of the only sheet, as lists."""
    wb = read_file(path_or_bytes, file_name)
    assert len(wb.sheets) == 1
    return wb.sheets[0].data.values.tolist()


def assert_raw_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(range(frame.shape[1]))
    assert all(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes)
    assert list(frame.index) == list(range(len(frame)))


# --------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------


def test_xlsx_keeps_blank_rows_so_row_numbers_match_excel(tmp_path: Path) -> None:
    path = bf.write_xlsx(
        tmp_path,
        "survey.xlsx",
        {"Responses": []},
        cells={"Responses": {"B3": "id", "C3": "comment", "B5": 7, "C5": "slow checkout"}},
    )
    wb = read_file(path)
    sheet = wb.sheet("Responses")
    assert_raw_frame(sheet.data)
    assert sheet.first_row == 1
    # B5 is the 5th row and 2nd column the user sees in Excel.
    row = 5 - sheet.first_row
    assert sheet.data.iloc[row, 1] == 7
    assert sheet.data.iloc[row, 2] == "slow checkout"
    assert sheet.data.iloc[2, 1] == "id"
    # Blank rows 1, 2 and 4 and the blank column A are kept as None.
    assert sheet.data.iloc[[0, 1, 3]].isna().all().all()
    assert sheet.data[0].isna().all()
    assert wb.file_type == "xlsx"
    assert wb.encoding is None and wb.delimiter is None


def test_xlsx_cell_types_and_empty_cells_are_none(tmp_path: Path) -> None:
    when = dt.datetime(2024, 3, 5, 14, 30)
    path = bf.write_xlsx(
        tmp_path,
        "types.xlsx",
        {
            "Data": [
                ["text", "number", "flag", "when", "time"],
                ["a", 4.5, True, when, dt.time(9, 15)],
            ]
        },
        cells={"Data": {"B3": 8}},
    )
    rows = cells(path)
    assert rows[0] == ["text", "number", "flag", "when", "time"]
    assert rows[1] == ["a", 4.5, True, when, dt.time(9, 15)]
    # Blank cells are None (calamine gives ""), never the empty string.
    assert rows[2][0] is None and rows[2][1] == 8 and rows[2][2:] == [None, None, None]


def test_xlsx_drops_trailing_empty_rows_and_columns_only(tmp_path: Path) -> None:
    path = bf.write_xlsx(tmp_path, "t.xlsx", {"Data": [["a", None, "c"], [None, None, None], [1]]})
    frame = read_file(path).sheets[0].data
    assert frame.shape == (3, 3)  # the blank middle row and column stay
    assert frame.iloc[1].isna().all() and frame[1].isna().all()


def test_xlsx_keeps_every_sheet_in_workbook_order_including_hidden_and_empty(
    tmp_path: Path,
) -> None:
    path = bf.write_xlsx(
        tmp_path,
        "multi.xlsx",
        {
            "Cover": [["Customer survey 2024"]],
            "Secret": [["id"], [1]],
            "Empty": [],
            "Data": [["id"], [2]],
        },
        hidden=["Secret"],
    )
    wb = read_file(path)
    assert [s.name for s in wb.sheets] == ["Cover", "Secret", "Empty", "Data"]
    assert wb.sheet("Secret").data.iloc[1, 0] == 1
    assert wb.sheet("Empty").data.shape == (0, 0)


def test_chart_sheets_are_kept_as_empty_sheets(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in (["stage", "csat"], ["Purchase", 4], ["Delivery", 3]):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3))
    wb.create_chartsheet("Chart").add_chart(chart)
    wb.save(tmp_path / "chart.xlsx")
    raw = read_file(tmp_path / "chart.xlsx")
    assert [s.name for s in raw.sheets] == ["Data", "Chart"]
    assert raw.sheet("Chart").data.empty
    assert raw.sheet("Data").data.shape == (3, 2)


def test_xlsm_is_read_as_a_workbook(tmp_path: Path) -> None:
    wb = read_file(bf.write_xlsm(tmp_path))
    assert wb.file_type == "xlsx"
    assert wb.sheets[0].data.values.tolist() == [["id", "nps"], [1, 9], [2, 6]]


def test_legacy_xls_is_read_with_hidden_sheets_and_blank_rows(tmp_path: Path) -> None:
    path = bf.write_xls(
        tmp_path,
        "old.xls",
        {
            "Data": [
                ["id", "comment", "ok"],
                [1, "Café", True],
                [None, None, None],
                [2.5, "顾客满意度", False],
            ],
            "Notes": [["x"]],
        },
        hidden=["Notes"],
    )
    wb = read_file(path)
    assert wb.file_type == "xls"
    assert [s.name for s in wb.sheets] == ["Data", "Notes"]
    assert wb.sheets[0].data.values.tolist() == [
        ["id", "comment", "ok"],
        [1, "Café", True],
        [None, None, None],
        [2.5, "顾客满意度", False],
    ]


def test_workbook_with_a_csv_name_is_read_by_content(tmp_path: Path) -> None:
    xlsx = bf.write_xlsx(tmp_path, "real.xlsx", {"Data": [["id"], [1]]})
    wb = read_file(xlsx.read_bytes(), "export.csv")
    assert wb.file_type == "xlsx"
    assert wb.sheets[0].data.values.tolist() == [["id"], [1]]
    assert any("really an Excel workbook" in w for w in wb.warnings)


def test_sha256_and_names_for_paths_and_bytes(tmp_path: Path) -> None:
    path = bf.write_text(tmp_path, "a.csv", "id,nps\n1,9\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    from_path = read_file(path)
    from_bytes = read_file(path.read_bytes(), "upload.csv")
    assert from_path.sha256 == from_bytes.sha256 == digest
    assert from_path.file_name == "a.csv"
    assert from_bytes.file_name == "upload.csv"
    assert read_file(str(path), "shown.csv").file_name == "shown.csv"


# --------------------------------------------------------------------------------------
# Rejections
# --------------------------------------------------------------------------------------


def test_pdf_named_xlsx_is_rejected_in_plain_words(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as err:
        read_file(bf.write_pdf(tmp_path, "report.xlsx"))
    assert str(err.value) == (
        "report.xlsx is not a spreadsheet: it looks like a PDF document. "
        "Export the data from your survey tool as .xlsx or .csv."
    )


def test_password_protected_workbook_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as err:
        read_file(bf.write_encrypted_xlsx(tmp_path, "locked.xlsx"))
    message = str(err.value)
    assert message.startswith("locked.xlsx is protected with a password")
    assert "File > Info > Protect Workbook" in message


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: bf.write_png(d, "chart.csv"), "it looks like a PNG image"),
        (lambda d: bf.write_zip(d, "export.xlsx"), "it looks like a ZIP archive"),
        (lambda d: bf.write_docx(d, "notes.docx"), "it looks like a Word document"),
        (lambda d: bf.write_word97_doc(d, "letter.xls"), "it looks like a Word document"),
        (lambda d: bf.write_truncated_xlsx(d, "cut.xlsx"), "is damaged or incomplete"),
        (lambda d: bf.write_corrupt_xlsx(d, "corrupt.xlsx"), "is damaged or incomplete"),
        (
            lambda d: bf.write_zip(
                d, "sheet.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}
            ),
            "is damaged or incomplete",
        ),
        (lambda d: bf.write_bytes(d, "empty.csv", b""), "is empty (0 bytes)"),
        (lambda d: bf.write_empty_workbook(d, "blank.xlsx"), "every sheet in it is empty"),
        (lambda d: bf.write_text(d, "blank.csv", "\n\n  \n"), "contains only blank lines"),
        (
            lambda d: bf.write_text(d, "data.json", '[{"id": 1, "nps": 9}]'),
            "it looks like JSON data",
        ),
        (lambda d: bf.write_text(d, "data.txt", '{"rows": [1, 2]}'), "it looks like JSON data"),
        (lambda d: bf.write_html_table(d, "export.xls"), "is a web page"),
        (lambda d: bf.write_spreadsheet_2003_xml(d, "legacy.xls"), "Excel 2003 XML"),
        (lambda d: bf.write_text(d, "feed.csv", '<?xml version="1.0"?><rows/>'), "an XML document"),
        (lambda d: bf.write_binary_garbage(d, "data.bin"), "is not a spreadsheet"),
        (
            lambda d: bf.write_binary_garbage(d, "data.xlsx"),
            "is damaged or is not a real .xlsx workbook",
        ),
        (
            lambda d: bf.write_text(d, "memo.docx", "Dear team,\nplease find the results.\n"),
            "not a table",
        ),
        (lambda d: d / "missing.csv", "could not be found"),
    ],
)
def test_unreadable_files_are_rejected_with_a_sentence_naming_the_file(
    tmp_path: Path, make, expected: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(ImportRejected) as err:
        read_file(path)
    message = str(err.value)
    assert message.startswith(path.name)
    assert expected in message
    assert message.endswith(".")


def test_no_library_exception_escapes_for_workbooks_cut_anywhere(tmp_path: Path) -> None:
    full = bf.write_xlsx(
        tmp_path, "full.xlsx", {"Data": [["id", "comment"]] + [[i, "y" * 30] for i in range(200)]}
    )
    content = full.read_bytes()
    for cut in range(1, len(content), max(1, len(content) // 40)):
        with pytest.raises(ImportRejected):
            read_file(content[:cut], "partial.xlsx")
    xls = bf.write_xls(tmp_path, "full.xls", {"Data": [["id"], [1]]}).read_bytes()
    for cut in (10, 600, 1600, 3000):
        with pytest.raises(ImportRejected):
            read_file(xls[:cut], "partial.xls")


# --------------------------------------------------------------------------------------
# Text encodings
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "bom", "expected_encoding"),
    [
        ("id,comment\n1,Café crème\n", "utf-8", False, "utf-8"),
        ("id,comment\n1,Café crème\n", "utf-8", True, "utf-8-sig"),
        ("编号,顾客满意度,评论\n1,5,服务很好\n", "gb18030", False, "gb18030"),
        ("編號,顧客滿意度,評論\n1,5,服務很好\n", "big5", False, "big5"),
        ("id;comment\n1;Café crème\n2;Très bon service\n", "cp1252", False, "cp1252"),
        ("id,comment\n1,Dịch vụ rất tốt\n", "utf-8", False, "utf-8"),
    ],
)
def test_encodings_are_detected(
    tmp_path: Path, text: str, encoding: str, bom: bool, expected_encoding: str
) -> None:
    wb = read_file(bf.write_text(tmp_path, "f.csv", text, encoding, bom))
    assert wb.encoding == expected_encoding
    rows = wb.sheets[0].data.values.tolist()
    expected_rows = [line.split(wb.delimiter) for line in text.splitlines()]
    assert rows == expected_rows
    assert not rows[0][0].startswith("\ufeff")


@pytest.mark.parametrize(
    ("word", "encoding"),
    [("顾客满意度", "gb18030"), ("顧客滿意度", "big5"), ("Café crème", "cp1252")],
)
def test_a_single_legacy_word_decodes(tmp_path: Path, word: str, encoding: str) -> None:
    wb = read_file(bf.write_text(tmp_path, "w.csv", word + "\n", encoding))
    assert wb.encoding == encoding
    assert wb.sheets[0].data.iloc[0, 0] == word
    assert any("not saved as UTF-8" in w for w in wb.warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_with_bom_tab_separated(tmp_path: Path, encoding: str) -> None:
    rows = [["id", "comment"], ["1", "顧客 said: great, thanks"], ["2", "Café"]]
    text = bf.csv_text(rows, "\t", "\r\n")
    wb = read_file(bf.write_text(tmp_path, "unicode.txt", text, encoding, bom=True))
    assert wb.encoding == encoding
    assert wb.delimiter == "\t"
    assert wb.sheets[0].data.values.tolist() == rows


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    wb = read_file(bf.write_text(tmp_path, "u.txt", "id\tnps\r\n1\t9\r\n", "utf-16-le"))
    assert wb.encoding == "utf-16-le"
    assert wb.sheets[0].data.values.tolist() == [["id", "nps"], ["1", "9"]]


def test_excel_unicode_text_helper_round_trips(tmp_path: Path) -> None:
    rows = [["stage", "touchpoint"], ["Purchase", "Checkout"]]
    wb = read_file(bf.write_unicode_text(tmp_path, "export.txt", rows))
    assert (wb.encoding, wb.delimiter) == ("utf-16-le", "\t")
    assert wb.sheets[0].data.values.tolist() == rows


def test_bad_bytes_after_a_bom_are_replaced_with_a_warning() -> None:
    wb = read_file(b"\xef\xbb\xbfid,comment\n1,caf\xe9\n", "mixed.csv")
    assert wb.encoding == "utf-8-sig"
    assert wb.sheets[0].data.iloc[1, 1] == "caf\ufffd"
    assert any("replaced" in w for w in wb.warnings)


def test_utf8_cut_inside_a_character_keeps_the_rest(tmp_path: Path) -> None:
    content = "id,comment\n1,ok\n2,顾客".encode()[:-1]
    wb = read_file(content, "cut.csv")
    assert wb.encoding == "utf-8"
    assert wb.sheets[0].data.iloc[1].tolist() == ["1", "ok"]
    assert wb.sheets[0].data.iloc[2, 1] == "顾"


# --------------------------------------------------------------------------------------
# Delimiters and CSV structure
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["id", "stage", "comment"],
        ["1", "Purchase", "fast, friendly; great"],
        ["2", "Delivery", "late"],
    ]
    wb = read_file(bf.write_text(tmp_path, "d.csv", bf.csv_text(rows, delimiter)))
    assert wb.delimiter == delimiter
    assert wb.sheets[0].data.values.tolist() == rows


def test_semicolon_file_with_decimal_commas_keeps_them_as_text(tmp_path: Path) -> None:
    text = "id;score;comment\n1;4,5;bon\n2;3,0;moyen\n3;;\n"
    wb = read_file(bf.write_text(tmp_path, "fr.csv", text))
    assert wb.delimiter == ";"
    assert wb.sheets[0].data.values.tolist() == [
        ["id", "score", "comment"],
        ["1", "4,5", "bon"],
        ["2", "3,0", "moyen"],
        ["3", None, None],
    ]


def test_delimiters_inside_quotes_are_ignored_when_sniffing() -> None:
    text = 'id;comment\n1;"a, b, c, d"\n2;"e, f, g"\n3;"h, i, j, k, l"\n'
    assert sniff_delimiter(text) == ";"


def test_single_column_text_has_no_delimiter_but_reads() -> None:
    assert sniff_delimiter("comment\ngood\nbad, slow\nfine\n") is None
    wb = read_file(b"comment\ngood\nbad, slow\nfine\n", "comments.csv")
    assert wb.sheets[0].data.shape[1] >= 1
    assert wb.sheets[0].data.iloc[1, 0] == "good"


def test_tsv_extension_breaks_a_tie_towards_tab() -> None:
    text = "a\tb,c\n1\t2,3\n"
    assert sniff_delimiter(text, ".tsv") == "\t"


def test_excel_sep_line_sets_delimiter_and_first_row(tmp_path: Path) -> None:
    wb = read_file(bf.write_text(tmp_path, "s.csv", "sep=;\nid;nps\n1;9\n"))
    sheet = wb.sheets[0]
    assert wb.delimiter == ";"
    assert sheet.first_row == 2
    assert sheet.data.values.tolist() == [["id", "nps"], ["1", "9"]]


def test_line_breaks_inside_quotes_and_crlf(tmp_path: Path) -> None:
    rows = [["id", "comment"], ["1", "first line\r\nsecond line"], ["2", "plain"]]
    wb = read_file(bf.write_text(tmp_path, "m.csv", bf.csv_text(rows, ",", "\r\n")))
    sheet = wb.sheets[0]
    assert sheet.data.values.tolist() == rows
    # Row numbers count records (as Excel shows the file): "plain" is row 3, line 4.
    assert sheet.data.iloc[3 - sheet.first_row, 1] == "plain"
    assert wb.warnings == []


def test_blank_lines_are_kept_so_rows_match_the_editor(tmp_path: Path) -> None:
    text = "\n\nid,nps\n1,9\n\n2,7\n\n\n"
    sheet = read_file(bf.write_text(tmp_path, "b.csv", text)).sheets[0]
    lines = text.splitlines()
    for i, row in enumerate(sheet.data.values.tolist()):
        line = lines[sheet.first_row + i - 1]
        assert row == ([None, None] if not line else line.split(","))
    assert len(sheet.data) == 6  # trailing blank lines dropped


def test_ragged_rows_keep_every_cell(tmp_path: Path) -> None:
    text = "id,nps\n1,9\n2,7,extra,more\n3\n"
    rows = cells(bf.write_text(tmp_path, "r.csv", text))
    assert rows == [
        ["id", "nps", None, None],
        ["1", "9", None, None],
        ["2", "7", "extra", "more"],
        ["3", None, None, None],
    ]


def test_trailing_delimiters_do_not_add_empty_columns(tmp_path: Path) -> None:
    rows = cells(bf.write_text(tmp_path, "t.csv", "id,nps,\n1,9,\n"))
    assert rows == [["id", "nps"], ["1", "9"]]


def test_cut_off_last_line_is_kept_with_a_warning(tmp_path: Path) -> None:
    wb = read_file(bf.write_cut_off_csv(tmp_path, rows=20))
    data = wb.sheets[0].data
    assert data.iloc[-1].tolist() == ["21", "Deliv", None, None]
    assert len(data) == 22
    cut = [w for w in wb.warnings if w.startswith("The last line looks cut off")]
    assert len(cut) == 1 and "on line 22 " in cut[0]


def test_unclosed_quote_at_the_end_is_kept_with_a_warning() -> None:
    wb = read_file(b'id,comment\n1,"fine"\n2,"the flight\nwas del', "q.csv")
    assert wb.sheets[0].data.iloc[-1].tolist() == ["2", "the flight\nwas del"]
    cut = [w for w in wb.warnings if w.startswith("The last line looks cut off")]
    assert len(cut) == 1 and "on line 3 " in cut[0]


def test_complete_file_without_final_line_break_has_no_cut_off_warning() -> None:
    wb = read_file(b'id,comment\n1,"fine"\n2,"multi\nline",', "ok.csv")
    assert not any("cut off" in w for w in wb.warnings)
    wb = read_file(b"id,comment\n1,fine\n2,good", "ok.csv")
    assert not any("cut off" in w for w in wb.warnings)


def test_csv_content_named_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    wb = read_file(bf.write_text(tmp_path, "survey.xlsx", "id,nps\n1,9\n"))
    assert wb.file_type == "csv"
    assert wb.sheets[0].data.values.tolist() == [["id", "nps"], ["1", "9"]]
    assert any("really a delimited text" in w for w in wb.warnings)


def test_a_stray_nul_byte_does_not_make_a_csv_binary() -> None:
    content = b"id,comment\n" + b"".join(b"%d,fine\n" % i for i in range(200)) + b"7,bad\x00byte\n"
    data = read_file(content, "nul.csv").sheets[0].data
    assert len(data) == 202
    assert data.iloc[201, 0] == "7"
    assert data.iloc[201, 1] == "bad\x00byte"  # kept as read


def test_text_starting_with_angle_bracket_is_still_csv() -> None:
    wb = read_file(b"<18 years,18-30\n12,40\n", "ages.csv")
    assert wb.sheets[0].data.values.tolist() == [["<18 years", "18-30"], ["12", "40"]]


def test_csv_sheet_is_named_after_the_file(tmp_path: Path) -> None:
    wb = read_file(b"id\n1\n", "Q3 responses.csv")
    assert [s.name for s in wb.sheets] == ["Q3 responses"]
    assert_raw_frame(wb.sheets[0].data)


@pytest.mark.parametrize("ragged", [False, True])
def test_large_csv_row_numbers_stay_right(tmp_path: Path, ragged: bool) -> None:
    n = 30_000
    lines = ["id,stage,nps"] + [f"{i},Purchase,{i % 11}" for i in range(1, n + 1)]
    lines[15_000] = ""  # a blank line in the middle (line 15,001)
    if ragged:
        lines[20_000] += ",unexpected,extra"  # forces the forgiving parser
    path = bf.write_text(tmp_path, "big.csv", "\r\n".join(lines) + "\r\n")
    sheet = read_file(path).sheets[0]
    assert len(sheet.data) == n + 1
    for line_no in (1, 2, 14_999, 15_001, 15_002, 20_001, n + 1):
        row = sheet.data.iloc[line_no - sheet.first_row]
        expected = lines[line_no - 1].split(",")
        assert [v for v in row.tolist() if v is not None] == [v for v in expected if v]


# --------------------------------------------------------------------------------------
# Real exports
# --------------------------------------------------------------------------------------

REAL_TEXT_FILES = {
    # file: (delimiter, encoding, records including header, columns)
    "airline_kaggle_test.csv": (",", "utf-8", 25_977, 25),
    "cfpb_consumer_complaints_sample2019.csv": (",", "utf-8", 269, 18),
    "comcast_telecom_complaints.csv": (",", "utf-8", 2_225, 11),
    "invistico_airline_subset.csv": (",", "utf-8", 37_958, 23),
    "nps_timeseries_SYNTHETIC_faker.csv": (",", "utf-8", 5_001, 7),
    "qualtrics_sample_legacy_qualtRics.csv": (",", "utf-8-sig", 3, None),
    "qualtrics_sample_qualtRics.csv": (",", "utf-8", 4, None),
    "restaurant_reviews_yelp_uci.tsv": ("\t", "utf-8", 1_001, 2),
    "skytrax_airline_reviews_multi.csv": (",", "utf-8", 4_047, 22),
    "skytrax_airlines_reviews_noText.csv": (",", "utf-8", 8_101, 15),
    "skytrax_british_airways_reviews.csv": (",", "utf-8", 3_702, 20),
    "tripadvisor_hotel_reviews_first2000.csv": (",", "utf-8", 2_001, 2),
    "twitter_us_airline_sentiment.csv": (",", "utf-8", 14_641, 20),
    "womens_clothing_ecommerce_reviews.csv": (",", "utf-8", 23_487, 11),
}


def test_every_real_file_reads(real_data: Path) -> None:
    files = sorted(p for p in real_data.iterdir() if p.name != "README.md")
    assert {p.name for p in files} >= set(REAL_TEXT_FILES)
    for path in files:
        wb = read_file(path)
        assert wb.sheets, path.name
        for sheet in wb.sheets:
            assert_raw_frame(sheet.data)
            assert not (sheet.data == "").any().any(), path.name


@pytest.mark.parametrize("name", sorted(REAL_TEXT_FILES))
def test_real_text_files(real_data: Path, name: str) -> None:
    delimiter, encoding, records, columns = REAL_TEXT_FILES[name]
    wb = read_file(real_data / name)
    assert (wb.file_type, wb.delimiter, wb.encoding) == ("csv", delimiter, encoding)
    assert len(wb.sheets[0].data) == records
    if columns is not None:
        assert wb.sheets[0].data.shape[1] == columns


def test_real_qualtrics_legacy_bom_is_not_in_the_first_cell(real_data: Path) -> None:
    data = read_file(real_data / "qualtrics_sample_legacy_qualtRics.csv").sheets[0].data
    assert data.iloc[0, 0] == "V1"


def test_real_cut_off_file_gets_the_warning(real_data: Path) -> None:
    wb = read_file(real_data / "invistico_airline_subset.csv")
    assert any(w.startswith("The last line looks cut off") for w in wb.warnings)
    last = wb.sheets[0].data.iloc[-1]
    assert last.notna().sum() < wb.sheets[0].data.shape[1]
    # Complete files do not get it, even without a final line break.
    for name in ("twitter_us_airline_sentiment.csv", "cfpb_consumer_complaints_sample2019.csv"):
        assert not any("cut off" in w for w in read_file(real_data / name).warnings)


def test_real_cfpb_keeps_line_breaks_inside_narratives(real_data: Path) -> None:
    data = read_file(real_data / "cfpb_consumer_complaints_sample2019.csv").sheets[0].data
    assert data.iloc[0, 0] == "Date received"
    narratives = data.iloc[1:, 5].dropna()
    assert narratives.str.contains("\n").any()


def test_real_maven_workbook_sheets(real_data: Path) -> None:
    wb = read_file(real_data / "airline_passenger_satisfaction_maven.xlsx")
    names = [s.name for s in wb.sheets]
    assert len(names) == 11
    assert names[0] == "DASHBOARD" and names[9] == "airline_passenger_satisfaction"
    data = wb.sheet("airline_passenger_satisfaction").data
    assert data.shape == (10_874, 24)
    assert data.iloc[0, 0] == "ID"


def test_real_bank_workbook_sheets(real_data: Path) -> None:
    wb = read_file(real_data / "bank_digital_journey_survey_SYNTHETIC_ArtemisZisimou.xlsx")
    assert [s.name for s in wb.sheets] == [
        "Journey Assesment",
        "t-NPS",
        "Abandonment",
        "Digital OnBoarding",
        "Online Registration",
        "App Stores",
    ]
    assert all(len(s.data) > 1 for s in wb.sheets)


def test_real_kaggle_csv_keeps_the_empty_first_header_cell(real_data: Path) -> None:
    data = read_file(real_data / "airline_kaggle_test.csv").sheets[0].data
    assert data.iloc[0, 0] is None and data.iloc[0, 1] == "id"
