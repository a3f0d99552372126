"""Acceptance: every real export in the shared real-data folder imports sensibly.

Each file is imported into a fresh workspace and the result is checked against
numbers recounted here from the file itself (csv module or python-calamine),
never against the importer's own output. The last test imports every file into
one workspace.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import python_calamine

from cxdash.ingest.load import ImportOptions, ImportResult, import_file
from cxdash.workspace import Workspace

QUALTRICS_COMMENT = "Q2 / This is a free text question."


# --- reading the files independently ----------------------------------------------------


def records(path: Path, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """Header and data records as the csv module reads them (quoted line breaks kept)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        return header, [r for r in reader if any(c.strip() for c in r)]


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(sheet).to_python()
    return [r for r in rows if any(c not in ("", None) for c in r)]


def number(cell: Any) -> float | None:
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


def count_scores(rows: list[list[Any]], col: int, lo: float, hi: float) -> int:
    """Cells of a column holding a score within lo..hi (0 = not applicable is outside 1..5)."""
    return sum(
        1 for r in rows if col < len(r) and (v := number(r[col])) is not None and lo <= v <= hi
    )


def count_filled(rows: list[list[Any]], col: int) -> int:
    return sum(1 for r in rows if col < len(r) and str(r[col]).strip() != "")


# --- importing ------------------------------------------------------------------------


def imported(ws: Workspace, path: Path, **options: Any) -> ImportResult:
    return import_file(ws, path, path.name, ImportOptions(**options))


def db(ws: Workspace, sql: str) -> Any:
    return ws.fetchall(sql)[0][0]


def metric_counts(ws: Workspace) -> dict[str, int]:
    return dict(ws.fetchall("SELECT metric, count(*) FROM feedback GROUP BY 1"))


def assert_plain_load(r: ImportResult, path: Path, n: int, layout: str = "long") -> None:
    assert r.status == "loaded", r.message
    assert r.sheet == path.stem and r.layout == layout and r.header_rows == 1
    assert r.rows_read == n and r.respondents == n and r.rows_rejected == 0
    assert r.rows_duplicate == 0


# --- wide airline surveys -------------------------------------------------------------


def test_airline_kaggle(real_data: Path, ws: Workspace) -> None:
    path = real_data / "airline_kaggle_test.csv"
    header, rows = records(path)
    first, last = header.index("Flight Distance") + 1, header.index("Departure Delay in Minutes")
    touchpoints = header[first:last]
    assert len(touchpoints) == 14
    r = imported(ws, path)
    assert_plain_load(r, path, len(rows), layout="wide")
    assert set(r.mapping["touchpoint_ratings"].values()) == set(touchpoints)
    assert r.mapping["overall"] == "satisfaction" and r.mapping["response_id"] == "id"
    ratings = sum(count_scores(rows, j, 1, 5) for j in range(first, last))
    overall = count_filled(rows, header.index("satisfaction"))
    assert r.rows_loaded == ratings + overall
    assert metric_counts(ws) == {"rating": ratings, "overall": overall}
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(rows)
    assert db(ws, "SELECT bool_and(id_given) FROM feedback")


def test_maven_workbook_picks_the_data_sheet(real_data: Path, ws: Workspace) -> None:
    path = real_data / "airline_passenger_satisfaction_maven.xlsx"
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert len(book.sheet_names) == 11
    rows = sheet_rows(path, "airline_passenger_satisfaction")
    header, data = rows[0], rows[1:]
    first, last = header.index("Departure Delay") + 1, header.index("Satisfaction")
    r = imported(ws, path)
    assert r.status == "loaded", r.message
    assert r.sheet == "airline_passenger_satisfaction" and r.layout == "wide"
    note = next(w for w in r.warnings if w.startswith("Read sheet"))
    assert "'airline_passenger_satisfaction' (1 of the 11 sheets)" in note
    assert "'DASHBOARD'" in note
    assert set(r.mapping["touchpoint_ratings"].values()) == set(header[first:last])
    assert r.mapping["overall"] == "Satisfaction" and r.mapping["response_id"] == "ID"
    assert r.respondents == r.rows_read == len(data) and r.rows_rejected == 0
    ratings = sum(count_scores(data, j, 1, 5) for j in range(first, last))
    assert metric_counts(ws) == {"rating": ratings, "overall": len(data)}
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(data)


def test_invistico_cut_off_last_row(real_data: Path, ws: Workspace) -> None:
    path = real_data / "invistico_airline_subset.csv"
    header, rows = records(path)
    complete = [r for r in rows if len(r) == len(header)]
    assert len(rows) - len(complete) == 1  # the last record stops part-way
    r = imported(ws, path)
    assert r.status == "loaded" and r.layout == "wide"
    assert r.rows_read == len(rows) and r.respondents == len(complete)
    assert r.rows_rejected == 1
    (error,) = r.errors
    assert error["row"] == len(rows) + 1 and "cut off" in error["reason"]
    assert r.mapping["overall"] == "satisfaction" and len(r.mapping["touchpoint_ratings"]) == 14
    first, last = header.index("Flight Distance") + 1, header.index("Departure Delay in Minutes")
    ratings = sum(count_scores(complete, j, 1, 5) for j in range(first, last))
    assert metric_counts(ws) == {"rating": ratings, "overall": len(complete)}
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(complete)


# --- reviews with touchpoint ratings ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "overall", "touchpoints", "response_id", "comment"),
    [
        (
            "skytrax_british_airways_reviews.csv",
            "OverallRating",
            [
                "SeatComfort",
                "CabinStaffService",
                "GroundService",
                "ValueForMoney",
                "Food&Beverages",
                "InflightEntertainment",
                "Wifi&Connectivity",
            ],
            "ReviewID",
            "ReviewBody",
        ),
        (
            "skytrax_airline_reviews_multi.csv",
            "OverallScore",
            [
                "EntertainmentRating",
                "FoodRating",
                "GroundServiceRating",
                "SeatComfortRating",
                "ServiceRating",
                "ValueRating",
                "WifiRating",
            ],
            "unique_id",
            "Review",
        ),
        (
            "skytrax_airlines_reviews_noText.csv",
            "Overall Rating",
            [
                "Seat Comfort",
                "Staff Service",
                "Food & Beverages",
                "Inflight Entertainment",
                "Value For Money",
            ],
            None,
            None,
        ),
    ],
)
def test_skytrax_reviews(
    real_data: Path,
    ws: Workspace,
    name: str,
    overall: str,
    touchpoints: list[str],
    response_id: str | None,
    comment: str | None,
) -> None:
    path = real_data / name
    header, rows = records(path)
    r = imported(ws, path)
    assert_plain_load(r, path, len(rows), layout="wide")
    assert r.mapping["overall"] == overall
    assert sorted(r.mapping["touchpoint_ratings"].values()) == sorted(touchpoints)
    assert r.mapping.get("response_id") == response_id and r.mapping.get("comment") == comment
    ratings = sum(count_scores(rows, header.index(t), 1, 5) for t in touchpoints)
    overall_n = count_scores(rows, header.index(overall), 1, 10)
    counts = metric_counts(ws)
    assert counts["rating"] == ratings and counts["overall"] == overall_n
    unscored = sum(
        1
        for row in rows
        if number(row[header.index(overall)]) is None
        and all(count_scores([row], header.index(t), 1, 5) == 0 for t in touchpoints)
    )
    assert counts.get("comment", 0) == unscored
    assert r.rows_loaded == ratings + overall_n + unscored
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(rows)


# --- reviews and complaints -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "delimiter", "mapping"),
    [
        (
            "tripadvisor_hotel_reviews_first2000.csv",
            ",",
            {"overall": "Rating", "comment": "Review"},
        ),
        ("restaurant_reviews_yelp_uci.tsv", "\t", {"overall": "Liked", "comment": "Review"}),
        (
            "womens_clothing_ecommerce_reviews.csv",
            ",",
            {"overall": "Rating", "comment": "Review Text"},
        ),
        ("nps_timeseries_SYNTHETIC_faker.csv", ",", {"nps": "NPS", "response_id": "ID"}),
    ],
)
def test_one_score_per_row(
    real_data: Path, ws: Workspace, name: str, delimiter: str, mapping: dict[str, str]
) -> None:
    path = real_data / name
    header, rows = records(path, delimiter)
    r = imported(ws, path)
    assert_plain_load(r, path, len(rows))
    assert {k: r.mapping.get(k) for k in mapping} == mapping
    metric = "nps" if "nps" in mapping else "overall"
    scored = count_filled(rows, header.index(mapping[metric]))
    assert r.rows_loaded == len(rows)
    assert metric_counts(ws) == {
        metric: scored,
        **({"comment": len(rows) - scored} if scored < len(rows) else {}),
    }
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(rows)
    if "comment" in mapping:
        texts = count_filled(rows, header.index(mapping["comment"]))
        assert db(ws, "SELECT count(comment) FROM feedback") == texts


def test_twitter_ids_mangled_by_excel_are_replaced_by_row_numbers(
    real_data: Path, ws: Workspace
) -> None:
    path = real_data / "twitter_us_airline_sentiment.csv"
    header, rows = records(path)
    ids = [r[header.index("tweet_id")] for r in rows]
    assert len(set(ids)) < len(ids)  # "5.70306E+17" repeats
    r = imported(ws, path)
    assert_plain_load(r, path, len(rows))
    assert r.mapping["overall"] == "airline_sentiment" and r.mapping["comment"] == "text"
    assert any("'tweet_id' cannot identify responses" in w for w in r.warnings)
    assert db(ws, "SELECT count(DISTINCT response_id) FROM feedback") == len(rows)
    assert not db(ws, "SELECT bool_or(id_given) FROM feedback")
    assert metric_counts(ws) == {"overall": len(rows)}


@pytest.mark.parametrize(
    ("name", "response_id", "channel", "comment"),
    [
        ("comcast_telecom_complaints.csv", "Ticket #", "Received Via", "Customer Complaint"),
        (
            "cfpb_consumer_complaints_sample2019.csv",
            "Complaint ID",
            "Submitted via",
            "Consumer complaint narrative",
        ),
    ],
)
def test_complaint_logs_load_as_comments_without_scores(
    real_data: Path, ws: Workspace, name: str, response_id: str, channel: str, comment: str
) -> None:
    path = real_data / name
    header, rows = records(path)
    r = imported(ws, path)
    assert_plain_load(r, path, len(rows))
    assert r.mapping["response_id"] == response_id and r.mapping["channel"] == channel
    assert r.mapping["comment"] == comment
    assert any("no score column" in w for w in r.warnings)
    assert metric_counts(ws) == {"comment": len(rows)}
    assert db(ws, "SELECT count(comment) FROM feedback") == count_filled(
        rows, header.index(comment)
    )
    channels = {row[header.index(channel)] for row in rows}
    assert {c for (c,) in ws.fetchall("SELECT DISTINCT channel FROM feedback")} == channels


# --- Qualtrics: one response under several header rows ----------------------------------------


@pytest.mark.parametrize(
    ("name", "header_rows"),
    [("qualtrics_sample_qualtRics.csv", 3), ("qualtrics_sample_legacy_qualtRics.csv", 2)],
)
def test_qualtrics_samples(real_data: Path, ws: Workspace, name: str, header_rows: int) -> None:
    path = real_data / name
    rejected = imported(ws, path)
    assert rejected.status == "rejected"
    assert "no score column" in rejected.message and "comment column" in rejected.message

    r = imported(ws, path, overrides={QUALTRICS_COMMENT: "comment"})
    assert r.status == "loaded", r.message
    assert r.header_rows == header_rows
    assert r.rows_read == 1 and r.respondents == 1 and r.rows_loaded == 1
    assert r.mapping["comment"] == QUALTRICS_COMMENT
    got = ws.fetchall("SELECT response_id, comment, source_row FROM feedback")
    assert got == [("R_2YPOQ602ER1jkf1", "Hello World!", header_rows + 1)]


# --- the bank's journey workbook ------------------------------------------------------------


def test_bank_workbook_loads_feedback_sheets_and_skips_abandonment(
    real_data: Path, ws: Workspace
) -> None:
    path = real_data / "bank_digital_journey_survey_SYNTHETIC_ArtemisZisimou.xlsx"
    scored = {
        "t-NPS": ["NPS"],
        "Journey Assesment": ["CES", "CSAT"],
        "Digital OnBoarding": ["CES", "CSAT"],
        "Online Registration": ["CES", "CSAT"],
        "App Stores": ["Star"],
    }
    data = {sheet: sheet_rows(path, sheet) for sheet in scored}
    r = imported(ws, path)
    assert r.status == "loaded", r.message
    assert sorted(r.sheets) == sorted(scored)
    note = next(w for w in r.warnings if w.startswith("Read sheet"))
    assert "The sheet 'Abandonment' has no score column" in note
    assert r.respondents == sum(len(rows) - 1 for rows in data.values())
    ratings = sum(
        count_filled(rows[1:], rows[0].index(col))
        for sheet, rows in data.items()
        for col in scored[sheet]
    )
    assert r.rows_loaded == ratings
    per_sheet = dict(
        ws.fetchall("SELECT sheet, count(DISTINCT response_id) FROM feedback GROUP BY 1")
    )
    assert per_sheet == {sheet: len(rows) - 1 for sheet, rows in data.items()}
    assert db(ws, "SELECT count(*) FROM feedback WHERE sheet = 'Abandonment'") == 0


# --- all of them in one workspace -----------------------------------------------------------


def _all_files(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".tsv", ".xlsx"))


def test_every_file_into_one_workspace(real_data: Path, ws: Workspace) -> None:
    results = {}
    for path in _all_files(real_data):
        options = {"overrides": {QUALTRICS_COMMENT: "comment"}} if "qualtrics" in path.name else {}
        results[path.name] = imported(ws, path, **options)
    assert {n: r.status for n, r in results.items() if r.status != "loaded"} == {}
    assert all(r.rows_duplicate == 0 for r in results.values())
    per_import = dict(
        ws.fetchall("SELECT import_id, count(DISTINCT response_id) FROM feedback GROUP BY 1")
    )
    assert per_import == {r.import_id: r.respondents for r in results.values()}
    assert db(ws, "SELECT count(*) FROM feedback") == sum(r.rows_loaded for r in results.values())
    listed = ws.fetchall("SELECT file_name, mapping FROM imports WHERE undone_at IS NULL")
    assert {name for name, _ in listed} == set(results)
    assert all(json.loads(m) == results[name].mapping for name, m in listed)
