"""Tests for cxdash.ingest.values: numbers, text scores, scales and dates."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxdash.ingest.values import (
    LabelScores,
    Scale,
    detect_scale,
    infer_decimal,
    label_scores,
    looks_like_dates,
    normalise,
    out_of_range,
    parse_dates,
    reverse_values,
    to_number,
)

NAN = float("nan")


def col(*values: object) -> pd.Series:
    """A raw column as the readers deliver it: object dtype."""
    return pd.Series(list(values), dtype=object)


def floats(series: pd.Series) -> list[float]:
    return [None if np.isnan(v) else v for v in series.tolist()]


def stamps(result: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else v.isoformat(sep=" ") for v in result]


@cache
def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def real_column(path: Path, name: str, skip: int = 0) -> pd.Series:
    """One column of a real CSV file, read with the csv module, as an object Series."""
    header, rows = _csv_rows(path)
    i = header.index(name)
    return pd.Series([r[i] for r in rows[skip:] if len(r) > i], dtype=object, name=name)


# --------------------------------------------------------------------------------------------
# to_number
# --------------------------------------------------------------------------------------------


def test_plain_numbers_and_numeric_text() -> None:
    got = to_number(col(None, "", " 4 ", 4, 4.5, "7.25", "-3", "+2", np.int64(6), NAN))
    assert floats(got) == [None, None, 4.0, 4.0, 4.5, 7.25, -3.0, 2.0, 6.0, None]
    assert got.dtype == "float64"


def test_booleans_dates_and_times_are_not_numbers() -> None:
    got = to_number(col(True, False, dt.datetime(2021, 1, 1), dt.date(2021, 1, 1), dt.time(5)))
    assert got.isna().all()
    assert to_number(pd.Series([True, False])).isna().all()


def test_keeps_index_and_name() -> None:
    got = to_number(pd.Series(["1", "2"], index=[10, 20], name="NPS", dtype=object))
    assert got.index.tolist() == [10, 20]
    assert got.name == "NPS"


def test_numeric_dtype_input() -> None:
    assert floats(to_number(pd.Series([1, 2, 3]))) == [1.0, 2.0, 3.0]
    assert floats(to_number(pd.Series([1.5, None]))) == [1.5, None]


def test_decimal_comma_inferred_for_the_column() -> None:
    assert floats(to_number(col("4,5", "3,25", "5", "1.234,5"))) == [4.5, 3.25, 5.0, 1234.5]
    assert infer_decimal(pd.Series(["4,5", "3"])) == ","


def test_thousands_commas_win_over_decimal_commas() -> None:
    assert floats(to_number(col("1,234", "2,500"))) == [1234.0, 2500.0]
    # "1,234" looks like thousands, so the column is not comma-decimal and "4,5" is no number.
    assert floats(to_number(col("4,5", "1,234"))) == [None, 1234.0]
    assert infer_decimal(pd.Series(["1,234", "4,5"])) == "."


def test_explicit_decimal_argument() -> None:
    assert floats(to_number(col("1,234"), decimal=",")) == [1.234]
    assert floats(to_number(col("1,234"), decimal=".")) == [1234.0]
    with pytest.raises(ValueError):
        to_number(col("1"), decimal=";")


def test_thousands_separators() -> None:
    got = to_number(col("1 234", "12,345.67", "1.234.567", "1\u00a0000", "12,34,5"))
    assert floats(got) == [1234.0, 12345.67, 1234567.0, 1000.0, None]


def test_percentages() -> None:
    assert floats(to_number(col("80%", "12.5 %", "100%"))) == [80.0, 12.5, 100.0]


def test_leading_text_scores() -> None:
    got = to_number(
        col(
            "10 - Extremely likely",
            "0 – Not at all likely",
            "5 (Very satisfied)",
            "9 = likely",
            "4 stars",
            "1 star",
            "3. Neutral",
            "5 - Rất hài lòng",
            "8分",
        )
    )
    assert floats(got) == [10.0, 0.0, 5.0, 9.0, 4.0, 1.0, 3.0, 5.0, 8.0]


def test_star_glyphs_are_counted() -> None:
    assert floats(to_number(col("★★★★", "★", "★★★☆☆", "⭐⭐⭐"))) == [4.0, 1.0, 3.0, 3.0]


def test_out_of_scores() -> None:
    assert floats(to_number(col("4/5", "9 / 10", "3.5/5", "4 out of 5", "6/5"))) == [
        4.0,
        9.0,
        3.5,
        4.0,
        None,
    ]


def test_dates_times_and_sentences_are_not_scores() -> None:
    got = to_number(
        col(
            "2023-11-19",
            "19/11/2023",
            "19.11.2023",
            "4/5/2023",
            "22-Apr-15",
            "23-Nov",
            "3:53:50 PM",
            "2 hours late",
            "1 - 5",
            "5\nfive",
            "abc",
        )
    )
    assert got.isna().all()


# --------------------------------------------------------------------------------------------
# label_scores
# --------------------------------------------------------------------------------------------


def test_binary_outcome_satisfied_vs_neutral_or_dissatisfied() -> None:
    labels = label_scores(col("satisfied", "neutral or dissatisfied", "satisfied", None))
    assert labels is not None
    assert labels.kind == "binary"
    assert dict(labels.mapping) == {"satisfied": 1.0, "neutral or dissatisfied": 0.0}
    assert labels.scale == (0.0, 1.0)
    assert labels.unrecognised == ()


def test_yes_no_forms_ignore_case_spaces_and_trailing_punctuation() -> None:
    labels = label_scores(col("Yes.", " no ", "Y", "n", "TRUE", "false!", "Recommended"))
    assert labels is not None and labels.kind == "binary"
    assert dict(labels.mapping) == {
        "Yes.": 1.0,
        " no ": 0.0,
        "Y": 1.0,
        "n": 0.0,
        "TRUE": 1.0,
        "false!": 0.0,
        "Recommended": 1.0,
    }


def test_python_booleans_and_not_recommended() -> None:
    assert dict(label_scores(col(True, False)).mapping) == {"True": 1.0, "False": 0.0}
    labels = label_scores(col("recommended", "not recommended"))
    assert dict(labels.mapping) == {"recommended": 1.0, "not recommended": 0.0}


def test_numeric_columns_are_not_labels() -> None:
    assert label_scores(col("1", "0", "1")) is None
    assert label_scores(col(1, 0, 1)) is None
    assert label_scores(col(None, "")) is None


def test_free_text_is_not_a_label_column() -> None:
    comments = col("Great flight", "yes", "The seat was broken", "Lost my bag", "Nice crew")
    assert label_scores(comments) is None


def test_unrecognised_answers_are_reported() -> None:
    labels = label_scores(col("Yes", "No", "Yes", "N/A", "N/A", "maybe"))
    assert labels is not None
    assert labels.unrecognised == ("N/A", "maybe")
    assert labels.unrecognised_rows == 3
    assert floats(labels.apply(col("yes", "N/A", None))) == [1.0, None, None]


def test_five_point_satisfaction() -> None:
    answers = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
    labels = label_scores(col(*answers))
    assert labels.kind == "satisfaction"
    assert [labels.mapping[a] for a in answers] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert labels.scale == (1.0, 5.0)


def test_five_point_with_somewhat_levels_stays_five_point() -> None:
    answers = [
        "Extremely dissatisfied",
        "Somewhat dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Somewhat satisfied",
        "Extremely satisfied",
    ]
    labels = label_scores(col(*answers))
    assert [labels.mapping[a] for a in answers] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert labels.scale == (1.0, 5.0)


def test_agreement_five_and_seven_points() -> None:
    five = [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    labels = label_scores(col(*five))
    assert labels.kind == "agreement" and labels.scale == (1.0, 5.0)
    assert [labels.mapping[a] for a in five] == [1.0, 2.0, 3.0, 4.0, 5.0]
    seven = [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ]
    labels = label_scores(col(*seven))
    assert labels.kind == "agreement" and labels.scale == (1.0, 7.0)
    assert [labels.mapping[a] for a in seven] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_effort() -> None:
    answers = ["Very difficult", "Difficult", "Neither easy nor difficult", "Easy", "Very easy"]
    labels = label_scores(col(*answers))
    assert labels.kind == "effort"
    assert [labels.mapping[a] for a in answers] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_sentiment() -> None:
    labels = label_scores(col("negative", "neutral", "positive", "Negative"))
    assert labels.kind == "sentiment" and labels.scale == (1.0, 3.0)
    assert dict(labels.mapping) == {
        "negative": 1.0,
        "neutral": 2.0,
        "positive": 3.0,
        "Negative": 1.0,
    }


def test_vietnamese_with_and_without_diacritics() -> None:
    answers = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
    plain = ["rat khong hai long", "khong hai long", "binh thuong", "hai long", "rat hai long"]
    labels = label_scores(col(*answers, *plain))
    assert labels.kind == "satisfaction" and labels.scale == (1.0, 5.0)
    assert [labels.mapping[a] for a in answers] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert [labels.mapping[a] for a in plain] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert dict(label_scores(col("Có", "Không", "co")).mapping) == {
        "Có": 1.0,
        "Không": 0.0,
        "co": 1.0,
    }


def test_chinese_simplified_and_traditional() -> None:
    simplified = ["非常不满意", "不满意", "一般", "满意", "非常满意"]
    traditional = ["非常不滿意", "不滿意", "一般", "滿意", "非常滿意"]
    labels = label_scores(col(*simplified, *traditional))
    assert labels.kind == "satisfaction"
    assert [labels.mapping[a] for a in simplified] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert [labels.mapping[a] for a in traditional] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert dict(label_scores(col("是", "否")).mapping) == {"是": 1.0, "否": 0.0}


def test_label_scale_for_normalise() -> None:
    labels = label_scores(col("yes", "no"))
    assert isinstance(labels, LabelScores)
    scale = labels.to_scale()
    assert (scale.min, scale.max, scale.na_code) == (0.0, 1.0, None)
    assert floats(normalise(labels.apply(col("no", "yes")), scale)) == [0.0, 100.0]


# --------------------------------------------------------------------------------------------
# detect_scale
# --------------------------------------------------------------------------------------------


def nums(*values: float) -> pd.Series:
    return pd.Series(values, dtype="float64")


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("Likelihood (0-10)", (5, 7), (0.0, 10.0)),
        ("Satisfaction 1-5", (2, 3), (1.0, 5.0)),
        ("On a scale of 1 to 7, how easy was it?", (2, 3), (1.0, 7.0)),
        ("Overall /10", (1, 9), (1.0, 10.0)),
        ("Overall /10", (0, 9), (0.0, 10.0)),
        ("Rating out of 5", (3, 4), (1.0, 5.0)),
        ("Mức độ hài lòng (thang điểm 1-5)", (2, 3), (1.0, 5.0)),
        ("满意度（1-5分）", (2, 3), (1.0, 5.0)),
        ("Effort: 1 = very difficult, 7 = very easy", (2, 3), (1.0, 7.0)),
    ],
)
def test_header_hints(
    header: str, values: tuple[float, ...], expected: tuple[float, float]
) -> None:
    scale = detect_scale(nums(*values), header=header)
    assert (scale.min, scale.max) == expected
    assert scale.na_code is None
    assert "header says" in scale.reason


def test_nps_is_zero_to_ten() -> None:
    assert (
        detect_scale(nums(3, 9), metric="nps").min,
        detect_scale(nums(3, 9), metric="nps").max,
    ) == (
        0.0,
        10.0,
    )
    scale = detect_scale(nums(0, 10, 4), header="How likely are you to recommend us?")
    assert (scale.min, scale.max) == (0.0, 10.0)
    assert scale.reason == (
        "Values run from 0 to 10 and the header says 'How likely are you to recommend'."
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [((1, 5), (1.0, 5.0)), ((1, 7), (1.0, 7.0)), ((1, 10), (1.0, 10.0)), ((0, 10), (0.0, 10.0))],
)
def test_csat_is_one_to_five_unless_values_say_otherwise(
    values: tuple[float, ...], expected: tuple[float, float]
) -> None:
    scale = detect_scale(nums(*values), metric="csat")
    assert (scale.min, scale.max) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [((1, 5), (1.0, 5.0)), ((1, 7), (1.0, 7.0)), ((1, 4), (1.0, 7.0)), ((2, 6), (1.0, 7.0))],
)
def test_ces_is_one_to_seven_or_one_to_five(
    values: tuple[float, ...], expected: tuple[float, float]
) -> None:
    scale = detect_scale(nums(*values), metric="ces")
    assert (scale.min, scale.max) == expected


def test_touchpoint_rating_zero_means_not_applicable() -> None:
    scale = detect_scale(nums(0, 1, 3, 5), metric="rating")
    assert (scale.min, scale.max, scale.na_code) == (1.0, 5.0, 0.0)
    assert "not applicable" in scale.reason
    # Not whole numbers, not a touchpoint rating, or no zeros: no N/A code.
    assert detect_scale(nums(0, 2.5, 5), metric="rating").na_code is None
    assert detect_scale(nums(0, 3, 5)).na_code is None
    assert (detect_scale(nums(0, 3, 5)).min, detect_scale(nums(0, 3, 5)).max) == (0.0, 5.0)
    assert detect_scale(nums(1, 3, 5), metric="rating").na_code is None


def test_inferred_scales() -> None:
    for values, expected in [
        ((0, 1, 1), (0.0, 1.0)),
        ((1, 4), (1.0, 5.0)),
        ((1, 6), (1.0, 7.0)),
        ((1, 9), (1.0, 10.0)),
        ((0, 8), (0.0, 10.0)),
        ((0, 85), (0.0, 100.0)),
    ]:
        scale = detect_scale(nums(*values), metric="overall")
        assert (scale.min, scale.max) == expected, values


def test_out_of_range_values_are_reported_not_clipped() -> None:
    scale = detect_scale(nums(0, 10, 11), metric="nps")
    assert (scale.min, scale.max) == (0.0, 10.0)
    assert scale.reason.endswith("1 value falls outside it.")
    assert out_of_range(nums(0, 10, 11), scale).tolist() == [False, False, True]
    assert floats(normalise(nums(11), scale)) == [110.0]


def test_empty_column_uses_the_usual_scale() -> None:
    scale = detect_scale(nums(), metric="ces")
    assert (scale.min, scale.max) == (1.0, 7.0)
    assert scale.reason == "There are no values, and CES is usually asked on 1-7."


def test_detect_scale_accepts_raw_text() -> None:
    scale = detect_scale(col("1", "10", "5 - ok", None), metric="overall")
    assert (scale.min, scale.max) == (1.0, 10.0)


# --------------------------------------------------------------------------------------------
# normalise / reverse_values
# --------------------------------------------------------------------------------------------


def test_normalise_to_zero_hundred() -> None:
    assert floats(normalise(nums(1, 3, 5, NAN), Scale(1, 5, None, ""))) == [0.0, 50.0, 100.0, None]
    assert floats(normalise(nums(0, 5, 10), Scale(0, 10, None, ""))) == [0.0, 50.0, 100.0]


def test_normalise_na_code_gives_nan() -> None:
    assert floats(normalise(nums(0, 1, 5), Scale(1, 5, 0, ""))) == [None, 0.0, 100.0]


def test_reverse_wording() -> None:
    scale = Scale(1, 7, None, "")
    values = nums(1, 2, 7)
    assert floats(normalise(values, scale, reverse=True)) == pytest.approx([100.0, 500 / 6, 0.0])
    assert floats(reverse_values(values, scale)) == [7.0, 6.0, 1.0]
    pd.testing.assert_series_equal(
        normalise(reverse_values(values, scale), scale), normalise(values, scale, reverse=True)
    )


def test_reverse_keeps_na_code() -> None:
    scale = Scale(1, 5, 0, "")
    assert floats(reverse_values(nums(0, 1, 4), scale)) == [0.0, 5.0, 2.0]
    assert floats(normalise(nums(0, 1), scale, reverse=True)) == [None, 100.0]


def test_normalise_rejects_an_empty_range() -> None:
    with pytest.raises(ValueError):
        normalise(nums(1), Scale(3, 3, None, ""))


# --------------------------------------------------------------------------------------------
# parse_dates
# --------------------------------------------------------------------------------------------


def test_native_datetime_and_date_cells() -> None:
    got = parse_dates(col(dt.datetime(2023, 1, 2, 3, 4), dt.date(2023, 5, 6), None))
    assert stamps(got.values) == ["2023-01-02 03:04:00", "2023-05-06 00:00:00", None]
    assert got.order == "native"
    assert got.failed.tolist() == [False, False, False]
    assert got.values.dtype == "datetime64[ns]"


def test_time_zone_aware_cells_keep_their_clock_time() -> None:
    got = parse_dates(
        col(
            pd.Timestamp("2023-01-01 10:00", tz="Asia/Ho_Chi_Minh"),
            pd.Timestamp("2023-01-01 11:00", tz="UTC"),
        )
    )
    assert stamps(got.values) == ["2023-01-01 10:00:00", "2023-01-01 11:00:00"]


def test_time_only_values_are_not_dates() -> None:
    got = parse_dates(col(dt.time(5, 6), "3:53:50 PM", "10:00"))
    assert got.values.isna().all()
    assert got.failed.tolist() == [True, True, True]
    assert got.order == "none"


def test_excel_serial_numbers_when_the_column_is_mostly_serials() -> None:
    got = parse_dates(col(45249, 45249.5, 44927.0, None))
    assert stamps(got.values) == [
        "2023-11-19 00:00:00",
        "2023-11-19 12:00:00",
        "2023-01-01 00:00:00",
        None,
    ]
    assert got.order == "excel-serial"
    # Small numbers (ratings) are never serials; a few serials among text are not enough.
    assert parse_dates(col(1, 2, 3)).values.isna().all()
    assert parse_dates(col(45249, "a", "b", "c")).values.isna().all()
    # Serial numbers written as text (CSV) are not read as dates.
    assert parse_dates(col("45249", "45250")).values.isna().all()


def test_iso_text() -> None:
    got = parse_dates(
        col(
            "2023-11-19",
            "2023-11-19 08:28:09",
            "2023-11-19T08:28:09Z",
            "2023-11-19T08:28:09.123+07:00",
            "2023-11-19 08:28",
            "",
        )
    )
    assert stamps(got.values) == ["2023-11-19 00:00:00"] + ["2023-11-19 08:28:09"] * 3 + [
        "2023-11-19 08:28:00",
        None,
    ]
    assert got.order == "iso"
    assert got.failed.tolist() == [False] * 6


def test_day_first_proven_by_data() -> None:
    got = parse_dates(col("01/09/2021", "25/12/2021", "07.11.2021"))
    assert stamps(got.values) == [
        "2021-09-01 00:00:00",
        "2021-12-25 00:00:00",
        "2021-11-07 00:00:00",
    ]
    assert (got.order, got.ambiguous) == ("dmy", False)
    assert got.note == "Dates read as day/month/year (25/12/2021 proves it)."


def test_month_first_proven_by_data() -> None:
    got = parse_dates(col("3/1/2024", "2/21/2024"))
    assert stamps(got.values) == ["2024-03-01 00:00:00", "2024-02-21 00:00:00"]
    assert (got.order, got.ambiguous) == ("mdy", False)
    assert "2/21/2024 proves it" in got.note


def test_ambiguous_dates_default_to_day_first_and_say_so() -> None:
    got = parse_dates(col("01/02/2021", "03/04/2021"))
    assert stamps(got.values) == ["2021-02-01 00:00:00", "2021-04-03 00:00:00"]
    assert (got.order, got.ambiguous) == ("dmy", True)
    assert "fits both day/month and month/day" in got.note
    preferred = parse_dates(col("01/02/2021", "03/04/2021"), prefer="mdy")
    assert stamps(preferred.values) == ["2021-01-02 00:00:00", "2021-03-04 00:00:00"]
    assert (preferred.order, preferred.ambiguous) == ("mdy", True)


def test_conflicting_orders_leave_the_minority_unread() -> None:
    got = parse_dates(col("13/01/2021", "14/02/2021", "01/13/2021", "05/05/2021"))
    assert stamps(got.values) == [
        "2021-01-13 00:00:00",
        "2021-02-14 00:00:00",
        None,
        "2021-05-05 00:00:00",
    ]
    assert got.failed.tolist() == [False, False, True, False]
    assert "01/13/2021" in got.note


def test_two_digit_years() -> None:
    got = parse_dates(col("22-04-15", "04-08-15"))  # DD-MM-YY as in the Comcast file
    assert stamps(got.values) == ["2015-04-22 00:00:00", "2015-08-04 00:00:00"]
    assert got.order == "dmy"
    got = parse_dates(col("2/24/15 11:35", "2/24/15 9:05 PM"))  # M/D/YY H:MM (Twitter)
    assert stamps(got.values) == ["2015-02-24 11:35:00", "2015-02-24 21:05:00"]
    assert got.order == "mdy"
    got = parse_dates(col("99-12-01", "15-04-12"))  # YY-MM-DD proven by 99
    assert stamps(got.values) == ["1999-12-01 00:00:00", "2015-04-12 00:00:00"]
    assert got.order == "ymd"


def test_invalid_calendar_dates_fail() -> None:
    got = parse_dates(col("31/02/2021", "30/01/2021"))
    assert stamps(got.values) == [None, "2021-01-30 00:00:00"]
    assert got.failed.tolist() == [True, False]
    assert "31/02/2021" in got.note


def test_text_months() -> None:
    got = parse_dates(
        col(
            "19th November 2023",
            "26th November 2017",
            "1st May 2015",
            "November 2017",
            "22-Apr-15",
            "Nov 19, 2023",
            "Sun, 19 Nov 2023 10:00 pm",
        )
    )
    assert stamps(got.values) == [
        "2023-11-19 00:00:00",
        "2017-11-26 00:00:00",
        "2015-05-01 00:00:00",
        "2017-11-01 00:00:00",
        "2015-04-22 00:00:00",
        "2023-11-19 00:00:00",
        "2023-11-19 22:00:00",
    ]
    assert got.order == "text-month"
    assert "dated the 1st of the month" in got.note


def test_year_month_abbreviation_is_two_digit_year_then_month() -> None:
    got = parse_dates(col("23-Nov", "23-Dec", "15-Aug"))
    assert stamps(got.values) == [
        "2023-11-01 00:00:00",
        "2023-12-01 00:00:00",
        "2015-08-01 00:00:00",
    ]
    assert "23-Nov are read as two-digit year and month (November 2023)" in got.note


def test_vietnamese_and_chinese_dates() -> None:
    got = parse_dates(col("19/11/2023", "ngày 19 tháng 11 năm 2023"))
    assert stamps(got.values) == ["2023-11-19 00:00:00", "2023-11-19 00:00:00"]
    assert got.order == "dmy"
    got = parse_dates(col("2023年11月19日", "2023年11月19日 08:28", "2023年11月"))
    assert stamps(got.values) == [
        "2023-11-19 00:00:00",
        "2023-11-19 08:28:00",
        "2023-11-01 00:00:00",
    ]
    assert got.order == "ymd"


def test_unparseable_and_empty_cells() -> None:
    got = parse_dates(col("2023-11-19", "not a date", "", "   ", None, True))
    assert got.failed.tolist() == [False, True, False, False, False, True]
    assert "2 values could not be read as a date, for example 'not a date'." in got.note
    assert parse_dates(col(None, "")).note == "The column is empty."


def test_looks_like_dates() -> None:
    assert looks_like_dates(col("2023-11-19", "abc", "", None)) == 0.5
    assert looks_like_dates(col("4", "5", "10")) == 0.0
    assert looks_like_dates(col("19th November 2023", "1st May 2015")) == 1.0
    assert looks_like_dates(col(None)) == 0.0


# --------------------------------------------------------------------------------------------
# Real exports
# --------------------------------------------------------------------------------------------


def test_real_comcast_dates_are_day_month_two_digit_year(real_data: Path) -> None:
    dates = real_column(real_data / "comcast_telecom_complaints.csv", "Date")
    got = parse_dates(dates)
    assert got.order == "dmy"
    assert not got.failed.any() and got.values.notna().all()
    assert got.values.iloc[0] == pd.Timestamp("2015-04-22")  # "22-04-15"
    # The same dates written as "22-Apr-15" in the next column agree.
    words = parse_dates(
        real_column(real_data / "comcast_telecom_complaints.csv", "Date_month_year")
    )
    assert words.order == "text-month"
    assert (words.values == got.values).all()


def test_real_nps_survey_dates_decided_from_data(real_data: Path) -> None:
    got = parse_dates(real_column(real_data / "nps_timeseries_SYNTHETIC_faker.csv", "Survey date"))
    assert (got.order, got.ambiguous) == ("dmy", False)
    assert not got.failed.any()
    assert got.values.min().year == got.values.max().year == 2021


def test_real_skytrax_review_dates(real_data: Path) -> None:
    ba = parse_dates(real_column(real_data / "skytrax_british_airways_reviews.csv", "Datetime"))
    assert ba.order == "text-month" and not ba.failed.any()
    assert ba.values.iloc[0] == pd.Timestamp("2023-11-19")  # "19th November 2023"
    flown = parse_dates(real_column(real_data / "skytrax_british_airways_reviews.csv", "DateFlown"))
    assert flown.values.iloc[0] == pd.Timestamp("2023-11-01")  # "23-Nov"
    assert not flown.failed.any()  # blanks are empty, not failures


def test_real_skytrax_no_text_dates_month_first(real_data: Path) -> None:
    path = real_data / "skytrax_airlines_reviews_noText.csv"
    got = parse_dates(real_column(path, "Review Date"))
    assert (got.order, got.ambiguous) == ("mdy", False)
    assert not got.failed.any()
    assert got.values.iloc[0] == pd.Timestamp("2024-03-01")  # "3/1/2024"
    flown = parse_dates(real_column(path, "Month Flown"))
    assert flown.values.iloc[0] == pd.Timestamp("2023-12-01")  # "23-Dec"


def test_real_twitter_created_month_first_with_time(real_data: Path) -> None:
    got = parse_dates(real_column(real_data / "twitter_us_airline_sentiment.csv", "tweet_created"))
    assert (got.order, got.ambiguous) == ("mdy", False)
    assert not got.failed.any()
    assert got.values.iloc[0] == pd.Timestamp("2015-02-24 11:35")  # "2/24/15 11:35"


def test_real_qualtrics_start_date_iso(real_data: Path) -> None:
    # Skip the two extra Qualtrics header rows (labels and ImportId JSON).
    got = parse_dates(
        real_column(real_data / "qualtrics_sample_qualtRics.csv", "StartDate", skip=2)
    )
    assert got.order == "iso"
    assert stamps(got.values) == ["2017-07-18 08:28:09"]


def test_real_kaggle_touchpoint_ratings_zero_is_not_applicable(real_data: Path) -> None:
    path = real_data / "airline_kaggle_test.csv"
    header, _ = _csv_rows(path)
    touchpoints = header[header.index("Inflight wifi service") : header.index("Cleanliness") + 1]
    assert len(touchpoints) == 14
    with_zeros = 0
    for name in touchpoints:
        values = to_number(real_column(path, name))
        assert values.notna().all(), name
        scale = detect_scale(values, metric="rating", header=name)
        assert (scale.min, scale.max) == (1.0, 5.0), name
        has_zero = bool((values == 0).any())
        assert scale.na_code == (0.0 if has_zero else None), name
        with_zeros += has_zero
    assert with_zeros >= 6  # wifi, online booking, check-in ... carry 0 = not applicable
    wifi = to_number(real_column(path, "Inflight wifi service"))
    scores = normalise(wifi, detect_scale(wifi, metric="rating"))
    assert scores.isna().sum() == (wifi == 0).sum()
    assert scores.min() == 0.0 and scores.max() == 100.0


def test_real_kaggle_satisfaction_labels_are_binary(real_data: Path) -> None:
    column = real_column(real_data / "airline_kaggle_test.csv", "satisfaction")
    labels = label_scores(column)
    assert labels is not None and labels.kind == "binary"
    assert dict(labels.mapping) == {"satisfied": 1.0, "neutral or dissatisfied": 0.0}
    scores = labels.apply(column)
    assert scores.notna().all()
    assert scores.sum() == (column == "satisfied").sum()


def test_real_skytrax_recommended_and_overall(real_data: Path) -> None:
    path = real_data / "skytrax_british_airways_reviews.csv"
    labels = label_scores(real_column(path, "Recommended"))
    assert labels is not None and labels.kind == "binary"
    assert dict(labels.mapping) == {"no": 0.0, "yes": 1.0}
    overall = to_number(real_column(path, "OverallRating"))
    scale = detect_scale(overall, metric="overall", header="OverallRating")
    assert (scale.min, scale.max, scale.na_code) == (1.0, 10.0, None)
    assert out_of_range(overall, scale).sum() == 0


def test_real_twitter_sentiment_labels(real_data: Path) -> None:
    labels = label_scores(
        real_column(real_data / "twitter_us_airline_sentiment.csv", "airline_sentiment")
    )
    assert labels is not None
    assert (labels.kind, labels.scale) == ("sentiment", (1.0, 3.0))
