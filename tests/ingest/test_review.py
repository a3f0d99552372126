"""What the Data page shows before an import (``cxdash.ingest.review``), on generated files."""

from __future__ import annotations

from pathlib import Path

from cxdash.ingest import review
from cxdash.ingest.load import prepare
from tests.ingest import messy as M


def test_header_position_in_the_row_numbers_the_user_sees(tmp_path: Path) -> None:
    path = M.write_title_rows(tmp_path, n=12)
    prepared = prepare(path)
    header = review.header_position(prepared)
    assert header is not None and header.sheet == prepared.sheets[0].plan.sheet
    raw = prepared.workbook.sheet(header.sheet)
    plan = prepared.sheets[0].plan
    assert header.first_row == raw.first_row + plan.header_row > 1  # below the title rows
    assert header.rows == plan.header_rows == 1
    assert header.last_row == raw.first_row + len(raw.data)


def test_header_position_is_none_when_several_sheets_load(tmp_path: Path) -> None:
    prepared = prepare(M.write_many_sheets(tmp_path, second_data=True))
    assert len(prepared.sheets) > 1
    assert review.header_position(prepared) is None


def test_the_ces_direction_is_asked_only_with_an_effort_question(tmp_path: Path) -> None:
    ces = prepare(M.write_scale_survey(tmp_path, "CES (1-7)", [1, 4, 7, 2], name="ces.csv"))
    csat = prepare(M.write_scale_survey(tmp_path, "CSAT", [1, 4, 5, 2], name="csat.csv"))
    assert review.asks_ces_direction(ces) and not review.asks_ces_direction(csat)


def test_rejected_sentence_counts_the_rejected_rows(tmp_path: Path) -> None:
    prepared = prepare(
        M.write_scale_survey(tmp_path, "CSAT (1-5)", [1, 9, 5, 4, 12, 3, 2, 5, 4, "x"])
    )
    bad = review.problems(prepared)
    rows = bad["row"].nunique()
    assert rows == 3  # 9 and 12 outside 1-5, "x" not a score
    assert (
        review.rejected_sentence(bad) == f"{rows:,} row(s) will be rejected; the other rows load."
    )
