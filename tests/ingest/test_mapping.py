"""Sheet classification and column mapping, on hand-made sheets and on real exports."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import python_calamine

from cxdash.ingest.mapping import display_touchpoint, plan_sheet, plan_workbook, promise_entries
from cxdash.ingest.model import RawSheet, SheetPlan

# --- helpers -------------------------------------------------------------------------------


def sheet(rows: list[list[object]], name: str = "Sheet1") -> RawSheet:
    width = max(len(r) for r in rows)
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    return RawSheet(name, pd.DataFrame(padded, dtype=object))


@cache
def _read_csv(path: Path, delimiter: str) -> RawSheet:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [
            [c if c != "" else None for c in row] for row in csv.reader(handle, delimiter=delimiter)
        ]
    return sheet(rows, path.name)


def csv_sheet(path: Path) -> RawSheet:
    return _read_csv(path, "\t" if path.suffix == ".tsv" else ",")


@cache
def xlsx_sheets(path: Path) -> tuple[RawSheet, ...]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        data = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
        out.append(RawSheet(name, data))
    return tuple(out)


def roles(plan: SheetPlan) -> dict[str, str]:
    return {c.source: c.role for c in plan.columns}


def ratings(plan: SheetPlan) -> dict[str, str]:
    return {c.source: c.touchpoint or "" for c in plan.by_role("touchpoint_rating")}


def survey(header: list[str], make_row, n: int = 40) -> RawSheet:  # type: ignore[no-untyped-def]
    return sheet([header, *[make_row(i) for i in range(n)]])


# --- hand-made sheets: languages --------------------------------------------------------------


def _long_row(i: int) -> list[object]:
    return [
        f"R{i}",
        f"2024-05-{i % 28 + 1:02d}",
        ["Cửa hàng", "Website", "Tổng đài"][i % 3],
        ["Online", "Offline"][i % 2],
        i % 11,
        i % 5 + 1,
        i % 7 + 1,
        f"Nhân viên rất nhiệt tình, lần thứ {i} tôi quay lại cửa hàng này",
    ]


VI_EXPECTED = ["response_id", "timestamp", "touchpoint", "channel", "nps", "csat", "ces", "comment"]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("CSAT (1-5)", "csat"),
        ("CES (1-7)", "ces"),
        ("CES score", "ces"),
        ("Customer effort (1-7)", "ces"),
        ("NPS (0-10)", "nps"),
    ],
)
def test_metric_headers_with_a_scale_in_brackets(header: str, role: str) -> None:
    top = {"csat": 5, "ces": 7, "nps": 10}[role]
    plan = plan_sheet(survey(["Response ID", header], lambda i: [f"R{i}", i % top + 1]))
    assert roles(plan)[header] == role


def test_vietnamese_headers_with_diacritics() -> None:
    header = [
        "Mã phản hồi",
        "Ngày",
        "Điểm chạm",
        "Kênh",
        "Bạn có sẵn sàng giới thiệu ABC cho bạn bè không?",
        "Mức độ hài lòng",
        "Mức độ dễ dàng",
        "Bình luận",
    ]
    plan = plan_sheet(survey(header, _long_row))
    assert plan.kind == "feedback"
    assert [c.role for c in plan.columns] == VI_EXPECTED
    assert plan.layout == "long"


def test_vietnamese_headers_typed_without_diacritics() -> None:
    header = [
        "Ma phan hoi",
        "NGAY",
        "diem cham",
        "Kenh",
        "San sang gioi thieu",
        "Muc do hai long",
        "de dang",
        "Y kien",
    ]
    plan = plan_sheet(survey(header, _long_row))
    assert [c.role for c in plan.columns] == VI_EXPECTED


@pytest.mark.parametrize(
    "header",
    [
        [
            "回答编号",
            "日期",
            "接触点",
            "渠道",
            "您向朋友推荐我们的可能性有多大？",
            "满意度",
            "费力程度",
            "评论",
        ],
        [
            "回答編號",
            "日期",
            "接觸點",
            "通路",
            "您向朋友推薦我們的可能性有多大？",
            "滿意度",
            "費力程度",
            "評論",
        ],
    ],
    ids=["simplified", "traditional"],
)
def test_chinese_headers(header: list[str]) -> None:
    plan = plan_sheet(survey(header, _long_row))
    assert [c.role for c in plan.columns] == VI_EXPECTED
    assert plan.by_role("nps")[0].reason.startswith("phrase")


def test_english_question_texts_map_to_metrics() -> None:
    header = [
        "Response ID",
        "How likely are you to recommend Acme to a friend or colleague?",
        "Overall, how satisfied were you with your visit?",
        "Acme made it easy to handle my request",
        "Please tell us why",
    ]
    plan = plan_sheet(
        survey(
            header,
            lambda i: [i, i % 11, i % 5 + 1, i % 7 + 1, f"Because reason number {i} matters to me"],
        )
    )
    assert [c.role for c in plan.columns] == ["response_id", "nps", "csat", "ces", "comment"]


# --- hand-made sheets: layouts and roles -------------------------------------------------------


def test_wide_layout_with_segments_extras_and_ignored_columns() -> None:
    header = [
        "",
        "Passenger",
        "Age",
        "Class",
        "Seat comfort",
        "Food&Beverages",
        "WifiRating",
        "Delay (min)",
        "Survey",
        "Overall satisfaction",
    ]

    def row(i: int) -> list[object]:
        return [
            i,
            f"Person {i}",
            20 + i,
            ["Eco", "Business"][i % 2],
            i % 5 + 1,
            (i + 2) % 5 + 1,
            (i + 1) % 6,
            i * 7,
            "2024",
            ["satisfied", "dissatisfied"][i % 2],
        ]

    plan = plan_sheet(survey(header, row))
    got = roles(plan)
    assert got["Column 1"] == "ignore"  # saved row index
    assert got["Passenger"] == "extra"
    assert got["Age"] == "extra"
    assert got["Class"] == "segment"
    assert got["Delay (min)"] == "extra"
    assert got["Survey"] == "ignore"  # the same value in every row
    assert got["Overall satisfaction"] == "overall"
    assert ratings(plan) == {
        "Seat comfort": "Seat comfort",
        "Food&Beverages": "Food & beverages",
        "WifiRating": "Wifi",
    }
    assert plan.layout == "wide"
    assert "3 columns" in plan.by_role("touchpoint_rating")[0].reason


def test_surveymonkey_matrix_question_becomes_wide_ratings() -> None:
    rows = [
        [
            "Respondent ID",
            "How satisfied were you with each part of your stay?",
            None,
            None,
            "Region",
        ],
        [None, "Check-in", "Breakfast", "Room cleanliness", "Response"],
        *[
            [1000 + i, i % 5 + 1, (i + 1) % 5 + 1, (i + 3) % 5 + 1, ["North", "South"][i % 2]]
            for i in range(30)
        ],
    ]
    plan = plan_sheet(sheet(rows))
    assert plan.header_rows == 2
    assert sorted(ratings(plan).values()) == ["Breakfast", "Check-in", "Room cleanliness"]
    assert plan.layout == "wide"
    assert roles(plan)["Region"] == "segment"


def test_single_rating_is_overall_without_touchpoint_and_rating_with_one() -> None:
    def row(i: int) -> list[object]:
        return [
            ["App Store", "Google Play"][i % 2],
            i % 5 + 1,
            f"Review text number {i} about the app",
        ]

    with_touchpoint = plan_sheet(survey(["Touchpoint", "Stars", "Review"], row))
    assert roles(with_touchpoint)["Stars"] == "rating"
    alone = plan_sheet(survey(["Store", "Rating", "Review"], row))
    assert roles(alone)["Rating"] == "overall"


def test_duplicate_field_keeps_best_column_and_warns() -> None:
    def row(i: int) -> list[object]:
        return [i, i % 10 + 1, ["yes", "no"][i % 2]]

    plan = plan_sheet(survey(["ID", "Overall Rating", "Recommended"], row))
    assert roles(plan) == {"ID": "response_id", "Overall Rating": "overall", "Recommended": "extra"}
    assert any("'Recommended'" in w and "'Overall Rating'" in w for w in plan.warnings)


def test_id_column_with_repeats_is_not_a_response_id() -> None:
    plan = plan_sheet(survey(["Product id", "Rating"], lambda i: [i % 4, i % 5 + 1]))
    assert roles(plan)["Product id"] != "response_id"


def test_free_text_without_a_comment_synonym_becomes_comment() -> None:
    plan = plan_sheet(
        survey(
            ["Score", "Tell us more"],
            lambda i: [i % 5 + 1, f"Something long enough to be a comment, number {i}"],
        )
    )
    assert roles(plan)["Tell us more"] == "comment"
    assert "free text" in plan.first("comment").reason  # type: ignore[union-attr]


# --- overrides ---------------------------------------------------------------------------------


def _override_sheet() -> RawSheet:
    return survey(
        ["ID", "Satisfaction", "Q7", "Wait time score"],
        lambda i: [i, i % 5 + 1, (i * 3) % 5 + 1, ["low", "high"][i % 2]],
    )


def test_override_sets_role_and_touchpoint_and_demotes_the_previous_column() -> None:
    plan = plan_sheet(
        _override_sheet(),
        overrides={
            "Q7": "csat",
            "Satisfaction": "touchpoint_rating:Front desk",
            "wait time score": "segment",
        },
    )
    got = {c.source: (c.role, c.touchpoint, c.reason) for c in plan.columns}
    assert got["Q7"] == ("csat", None, "set by you")
    assert got["Satisfaction"] == ("touchpoint_rating", "Front desk", "set by you")
    assert got["Wait time score"][0] == "segment"


def test_override_conflict_demotes_detected_column() -> None:
    plan = plan_sheet(_override_sheet(), overrides={"Q7": "overall"})
    assert roles(plan)["Q7"] == "overall"
    assert roles(plan)["Satisfaction"] == "extra"
    assert any("you chose 'Q7'" in w for w in plan.warnings)


def test_override_for_missing_column_or_unknown_role_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"no column named 'Nope'.*'ID', 'Satisfaction'"):
        plan_sheet(_override_sheet(), overrides={"Nope": "csat"})
    with pytest.raises(ValueError, match="not a column role"):
        plan_sheet(_override_sheet(), overrides={"Q7": "happiness"})
    with pytest.raises(ValueError, match="one column only"):
        plan_sheet(_override_sheet(), overrides={"Q7": "csat", "ID": "csat"})


# --- touchpoint map, promise, unknown --------------------------------------------------------


def test_touchpoint_map_sheet() -> None:
    rows = [
        [
            "Journey stage",
            "Stage order",
            "Touchpoint",
            "Channel",
            "Owner",
            "Importance",
            "Reason to believe",
            "Target",
        ],
        ["Learn", 1, "Website", "Web", "Marketing", 0.2, "Safety", 4.2],
        ["Buy", 2, "Showroom", "Store", "Sales", 0.5, "Sporty performance", 4.5],
        ["Use", 3, "Service visit", "Store", "After-sales", 0.3, "Safety", 4.0],
    ]
    plan = plan_sheet(sheet(rows, "Touchpoint map"))
    assert plan.kind == "touchpoints"
    assert [c.role for c in plan.columns] == [
        "stage",
        "stage_order",
        "touchpoint",
        "channel",
        "owner",
        "importance",
        "pillar",
        "target",
    ]


def test_touchpoint_map_in_vietnamese_and_chinese() -> None:
    vi = [
        ["Giai đoạn", "Điểm chạm", "Phụ trách", "Mức độ quan trọng", "Mục tiêu"],
        ["Mua", "Cửa hàng", "Bán hàng", 0.5, 4.5],
        ["Dùng", "Bảo hành", "Dịch vụ", 0.5, 4.0],
    ]
    zh = [
        ["阶段", "接觸點", "負責人", "重要性", "目標"],
        ["购买", "门店", "销售部", 0.5, 4.5],
        ["使用", "售后", "服务部", 0.5, 4.0],
    ]
    for rows in (vi, zh):
        plan = plan_sheet(sheet(rows))
        assert plan.kind == "touchpoints"
        assert [c.role for c in plan.columns] == [
            "stage",
            "touchpoint",
            "owner",
            "importance",
            "target",
        ]


def test_promise_table_and_its_entries() -> None:
    rows = [
        ["Brand promise", "Reason to believe", "Description"],
        ["The smart choice for everyday drivers", "Sporty performance", "Agile handling"],
        ["The smart choice for everyday drivers", "Safety", "Five-star crash tests"],
    ]
    raw = sheet(rows, "Promise")
    plan = plan_sheet(raw)
    assert (plan.kind, plan.layout) == ("promise", "long")
    assert promise_entries(raw, plan) == [
        {"kind": "statement", "name": "The smart choice for everyday drivers", "description": None},
        {
            "kind": "reason_to_believe",
            "name": "Sporty performance",
            "description": "Agile handling",
        },
        {"kind": "reason_to_believe", "name": "Safety", "description": "Five-star crash tests"},
    ]


def test_promise_as_label_value_pairs() -> None:
    rows = [
        [None, None],
        ["Lời hứa thương hiệu", "Lựa chọn thông minh cho người lái xe hằng ngày"],
        ["Lý do để tin", "Vận hành thể thao"],
        ["Mô tả", "Linh hoạt"],
        ["Reason to believe", "An toàn"],
    ]
    raw = sheet(rows, "Promise")
    plan = plan_sheet(raw)
    assert (plan.kind, plan.layout, plan.header_rows, plan.header_row) == ("promise", "wide", 0, 1)
    assert promise_entries(raw, plan) == [
        {
            "kind": "statement",
            "name": "Lựa chọn thông minh cho người lái xe hằng ngày",
            "description": None,
        },
        {"kind": "reason_to_believe", "name": "Vận hành thể thao", "description": "Linh hoạt"},
        {"kind": "reason_to_believe", "name": "An toàn", "description": None},
    ]


def test_pivot_table_is_unknown() -> None:
    rows = [
        ["Row Labels", "Average of Seat comfort", "Average of Food", "Count of ID"],
        ["Business", 3.8, 3.4, 120],
        ["Eco", 3.1, 3.0, 300],
        ["Grand Total", 3.3, 3.1, 420],
    ]
    plan = plan_sheet(sheet(rows, "Pivot"))
    assert plan.kind == "unknown"
    assert "pivot table" in plan.warnings[0]


def test_forced_kind_is_respected_and_bad_kind_rejected() -> None:
    raw = survey(["Touchpoint", "Owner"], lambda i: [f"T{i}", "Sales"], n=5)
    assert plan_sheet(raw, kind="feedback").kind == "feedback"
    with pytest.raises(ValueError, match="not known"):
        plan_sheet(raw, kind="survey")


def test_plan_workbook_orders_best_first_and_sheet_picks_one() -> None:
    feedback = survey(
        ["ID", "NPS", "Comment"], lambda i: [i, i % 11, f"comment number {i} is long enough"]
    )
    feedback.name = "Responses"
    notes = sheet([["Notes"], ["Exported by the CX team"]], "Notes")
    plans = plan_workbook([notes, feedback])
    assert [p.sheet for p in plans] == ["Responses", "Notes"]
    assert [p.kind for p in plans] == ["feedback", "unknown"]
    assert [p.sheet for p in plan_workbook([notes, feedback], sheet="Notes")] == ["Notes"]
    with pytest.raises(
        ValueError, match=r"no sheet named 'Data'; the file has 'Notes', 'Responses'"
    ):
        plan_workbook([notes, feedback], sheet="Data")


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("SeatComfortRating", "Seat comfort"),
        ("Food&Beverages", "Food & beverages"),
        ("Wifi&Connectivity", "Wifi & connectivity"),
        ("ValueForMoney", "Value for money"),
        ("Inflight wifi service", "Inflight wifi service"),
        ("Checkin service", "Checkin service"),
        ("Seat comfort score", "Seat comfort"),
        ("Rating", "Rating"),
        ("How satisfied were you? / Check-in", "Check-in"),
    ],
)
def test_display_touchpoint(label: str, name: str) -> None:
    assert display_touchpoint(label) == name


# --- real exports ------------------------------------------------------------------------------

KAGGLE_TOUCHPOINTS = [
    "Inflight wifi service",
    "Departure/Arrival time convenient",
    "Ease of Online booking",
    "Gate location",
    "Food and drink",
    "Online boarding",
    "Seat comfort",
    "Inflight entertainment",
    "On-board service",
    "Leg room service",
    "Baggage handling",
    "Checkin service",
    "Inflight service",
    "Cleanliness",
]


def test_airline_kaggle(real_data: Path) -> None:
    plan = plan_sheet(csv_sheet(real_data / "airline_kaggle_test.csv"))
    got = roles(plan)
    assert (plan.kind, plan.layout) == ("feedback", "wide")
    assert list(ratings(plan).values()) == KAGGLE_TOUCHPOINTS
    assert got["satisfaction"] == "overall"
    assert got["id"] == "response_id"
    assert plan.columns[0].role == "ignore" and plan.columns[0].source == "Column 1"
    for name in ("Gender", "Customer Type", "Type of Travel", "Class"):
        assert got[name] == "segment", name
    for name in (
        "Age",
        "Flight Distance",
        "Departure Delay in Minutes",
        "Arrival Delay in Minutes",
    ):
        assert got[name] == "extra", name


def test_invistico(real_data: Path) -> None:
    plan = plan_sheet(csv_sheet(real_data / "invistico_airline_subset.csv"))
    assert plan.layout == "wide"
    assert len(ratings(plan)) == 14
    assert "Online support" in ratings(plan)
    assert roles(plan)["satisfaction"] == "overall"
    # this subset holds loyal personal travellers only: one value in every row
    assert roles(plan)["Customer Type"] == "ignore"


def test_maven_workbook_only_the_data_sheet_is_feedback(real_data: Path) -> None:
    plans = plan_workbook(
        list(xlsx_sheets(real_data / "airline_passenger_satisfaction_maven.xlsx"))
    )
    assert len(plans) == 11
    known = [p for p in plans if p.kind != "unknown"]
    assert [p.sheet for p in known] == ["airline_passenger_satisfaction"]
    data = known[0]
    assert data.layout == "wide"
    assert len(ratings(data)) == 14
    assert "In-flight Wifi Service" in ratings(data)
    assert roles(data)["Satisfaction"] == "overall"
    assert roles(data)["ID"] == "response_id"
    assert roles(data)["Departure Delay"] == "extra"
    assert roles(data)["Encoded Satisfaction"] == "extra"
    unknown = {p.sheet: p for p in plans if p.kind == "unknown"}
    assert "pivot table" in unknown["Sheet4"].warnings[0]
    assert "Mapping table " in unknown


def test_bank_journeys(real_data: Path) -> None:
    plans = {
        p.sheet: p
        for p in plan_workbook(
            list(
                xlsx_sheets(real_data / "bank_digital_journey_survey_SYNTHETIC_ArtemisZisimou.xlsx")
            )
        )
    }
    for name in (
        "Journey Assesment",
        "t-NPS",
        "Digital OnBoarding",
        "Online Registration",
        "App Stores",
    ):
        plan = plans[name]
        assert plan.kind == "feedback", name
        got = roles(plan)
        assert (got["Date"], got["Channel"], got["Trigger Point"], got["Open text"]) == (
            "timestamp",
            "channel",
            "touchpoint",
            "comment",
        )
    assert roles(plans["Journey Assesment"])["CES"] == "ces"
    assert roles(plans["Journey Assesment"])["CSAT"] == "csat"
    assert roles(plans["t-NPS"])["NPS"] == "nps"
    assert roles(plans["App Stores"])["Star"] == "rating"  # stars per store (the touchpoint)
    abandonment = plans["Abandonment"]
    assert abandonment.kind == "unknown"
    assert "no score column" in abandonment.warnings[0]


def test_skytrax_british_airways(real_data: Path) -> None:
    plan = plan_sheet(csv_sheet(real_data / "skytrax_british_airways_reviews.csv"))
    got = roles(plan)
    assert plan.layout == "wide"
    assert list(ratings(plan).values()) == [
        "Seat comfort",
        "Cabin staff service",
        "Ground service",
        "Value for money",
        "Food & beverages",
        "Inflight entertainment",
        "Wifi & connectivity",
    ]
    expected = {
        "OverallRating": "overall",
        "ReviewBody": "comment",
        "Datetime": "timestamp",
        "ReviewID": "response_id",
        "TypeOfTraveller": "segment",
        "SeatType": "segment",
        "Name": "extra",
        "Recommended": "extra",
    }
    assert {k: got[k] for k in expected} == expected
    assert any("'Recommended'" in w for w in plan.warnings)


def test_skytrax_multi_and_no_text(real_data: Path) -> None:
    multi = plan_sheet(csv_sheet(real_data / "skytrax_airline_reviews_multi.csv"))
    assert len(ratings(multi)) == 7 and ratings(multi)["SeatComfortRating"] == "Seat comfort"
    assert (roles(multi)["OverallScore"], roles(multi)["Review"], roles(multi)["unique_id"]) == (
        "overall",
        "comment",
        "response_id",
    )
    no_text = plan_sheet(csv_sheet(real_data / "skytrax_airlines_reviews_noText.csv"))
    assert list(ratings(no_text)) == [
        "Seat Comfort",
        "Staff Service",
        "Food & Beverages",
        "Inflight Entertainment",
        "Value For Money",
    ]
    assert (roles(no_text)["Overall Rating"], roles(no_text)["Review Date"]) == (
        "overall",
        "timestamp",
    )


def test_review_files(real_data: Path) -> None:
    clothing = roles(plan_sheet(csv_sheet(real_data / "womens_clothing_ecommerce_reviews.csv")))
    assert (clothing["Rating"], clothing["Review Text"], clothing["Recommended IND"]) == (
        "overall",
        "comment",
        "extra",
    )
    assert [clothing[k] for k in ("Division Name", "Department Name", "Class Name")] == [
        "segment"
    ] * 3
    assert clothing["Positive Feedback Count"] == "extra"
    assert clothing["Clothing ID"] == "extra"
    assert roles(plan_sheet(csv_sheet(real_data / "tripadvisor_hotel_reviews_first2000.csv"))) == {
        "Review": "comment",
        "Rating": "overall",
    }
    assert roles(plan_sheet(csv_sheet(real_data / "restaurant_reviews_yelp_uci.tsv"))) == {
        "Review": "comment",
        "Liked": "overall",
    }


def test_twitter(real_data: Path) -> None:
    got = roles(plan_sheet(csv_sheet(real_data / "twitter_us_airline_sentiment.csv")))
    expected = {
        "airline_sentiment": "overall",
        "text": "comment",
        "tweet_created": "timestamp",
        "airline": "segment",
        "negativereason": "segment",
        "tweet_id": "response_id",
        "name": "extra",
        "airline_sentiment:confidence": "extra",
    }
    assert {k: got[k] for k in expected} == expected


def test_complaint_logs_are_feedback_without_scores(real_data: Path) -> None:
    comcast = plan_sheet(csv_sheet(real_data / "comcast_telecom_complaints.csv"))
    assert comcast.kind == "feedback"
    got = roles(comcast)
    expected = {
        "Ticket #": "response_id",
        "Customer Complaint": "comment",
        "Date": "timestamp",
        "Received Via": "channel",
        "Status": "segment",
        "State": "segment",
        "Zip code": "extra",
    }
    assert {k: got[k] for k in expected} == expected
    assert any("no score column" in w for w in comcast.warnings)
    cfpb = plan_sheet(csv_sheet(real_data / "cfpb_consumer_complaints_sample2019.csv"))
    got = roles(cfpb)
    expected = {
        "Complaint ID": "response_id",
        "Consumer complaint narrative": "comment",
        "Submitted via": "channel",
        "Date received": "timestamp",
        "Product": "segment",
        "Issue": "segment",
        "Date sent to company": "extra",
    }
    assert {k: got[k] for k in expected} == expected


def test_nps_timeseries(real_data: Path) -> None:
    got = roles(plan_sheet(csv_sheet(real_data / "nps_timeseries_SYNTHETIC_faker.csv")))
    assert got == {
        "ID": "response_id",
        "Market": "segment",
        "Survey date": "timestamp",
        "Customer Name": "extra",
        "Month": "extra",
        "Quarter": "extra",
        "NPS": "nps",
    }


def test_qualtrics_export_mapping(real_data: Path) -> None:
    plan = plan_sheet(csv_sheet(real_data / "qualtrics_sample_qualtRics.csv"), kind="feedback")
    got = roles(plan)
    assert plan.data_start == 3
    assert (got["RecordedDate"], got["ResponseId"], got["UserLanguage"]) == (
        "timestamp",
        "response_id",
        "language",
    )
    assert got["RecipientEmail"] == "ignore"  # empty
