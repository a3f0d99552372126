"""Tests of the seeded sample-data generator and of the committed sample workbooks."""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from cxdash import sample
from cxdash.domain import PROVIDERS
from cxdash.workspace import Workspace

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
SMALL_RESPONSES = 1500
WIDE_HEADER_ROW = 3  # 0-based: two title rows and a blank row above the header


def _rows(path: Path, sheet: str) -> list[list[Any]]:
    return (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )


def _frame(path: Path, sheet: str, header_row: int = 0) -> pd.DataFrame:
    rows = _rows(path, sheet)
    frame = pd.DataFrame(rows[header_row + 1 :], columns=rows[header_row], dtype=object)
    return frame.replace("", None)


def _numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce")


def _normalise(value: Any) -> Any:
    """One cell as calamine reads it and as the generator holds it, made comparable."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, date | datetime):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return value


def _normalised_rows(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    return [tuple(_normalise(v) for v in row) for row in rows]


def _all_cells(folder: Path) -> dict[tuple[str, str], list[list[Any]]]:
    out = {}
    for name in sample.SAMPLE_FILES:
        book = CalamineWorkbook.from_path(str(folder / name))
        for sheet in book.sheet_names:
            out[(name, sheet)] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return out


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample_small")
    assert sample.main([str(folder), "--responses", str(SMALL_RESPONSES)]) == 0
    return folder


@pytest.fixture(scope="module")
def tp_map() -> pd.DataFrame:
    return _frame(SAMPLE_DATA / sample.MAP_FILE, "Touchpoint map")


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    frame = _frame(SAMPLE_DATA / sample.LONG_FILE, "Feedback")
    for column in (
        "CSAT (1-5)",
        "Effort: the company made it easy (1-7)",
        "Likelihood to recommend (0-10)",
    ):
        frame[column] = _numbers(frame[column])
    frame["Date"] = pd.to_datetime(frame["Date"])
    return frame


@pytest.fixture(scope="module")
def wide() -> pd.DataFrame:
    return _frame(SAMPLE_DATA / sample.WIDE_FILE, "Responses", WIDE_HEADER_ROW)


# -- the generator ------------------------------------------------------------------------
def test_same_seed_gives_identical_files_and_another_seed_does_not(
    small_run: Path, tmp_path: Path
) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    assert sample.main([str(again), "--responses", str(SMALL_RESPONSES)]) == 0
    assert sample.main([str(other), "--responses", str(SMALL_RESPONSES), "--seed", "99"]) == 0
    first = _all_cells(small_run)
    assert _all_cells(again) == first
    for name in sample.SAMPLE_FILES:  # fixed zip and document timestamps: byte-identical too
        assert (again / name).read_bytes() == (small_run / name).read_bytes()
    assert (again / "README.md").read_text(encoding="utf-8") == (small_run / "README.md").read_text(
        encoding="utf-8"
    )
    other_cells = _all_cells(other)
    assert other_cells[(sample.LONG_FILE, "Feedback")] != first[(sample.LONG_FILE, "Feedback")]
    assert (
        other_cells[(sample.MAP_FILE, "Touchpoint map")]
        == first[(sample.MAP_FILE, "Touchpoint map")]
    )


def test_small_run_scales_row_counts_and_keeps_the_layout(small_run: Path) -> None:
    n_wide = round(SMALL_RESPONSES * sample.WIDE_SHARE)
    wide_rows = _rows(small_run / sample.WIDE_FILE, "Responses")
    long_rows = _rows(small_run / sample.LONG_FILE, "Feedback")
    assert len(wide_rows) == WIDE_HEADER_ROW + 1 + n_wide
    assert len(long_rows) == 1 + SMALL_RESPONSES - n_wide
    assert wide_rows[WIDE_HEADER_ROW] == list(sample.WIDE_HEADER)
    assert long_rows[0] == list(sample.LONG_HEADER)


def test_too_few_responses_is_refused_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sample.main([str(tmp_path / "x"), "--responses", "10"]) == 2
    assert "at least 100 responses" in capsys.readouterr().out
    assert not (tmp_path / "x").exists()


def test_every_template_carries_a_signal_word_of_its_theme() -> None:
    assert set(sample.THEME_SIGNALS) == set(sample.THEMES) == set(sample.COMMENT_TEMPLATES)
    for theme, by_sentiment in sample.COMMENT_TEMPLATES.items():
        signals = sample.THEME_SIGNALS[theme]
        assert set(signals) == {"en", "vi", "zh"}
        for templates in by_sentiment.values():
            for en, vi, hans, hant in templates:
                assert any(w.lower() in en.lower() for w in signals["en"]), (theme, en)
                assert any(w.lower() in vi.lower() for w in signals["vi"]), (theme, vi)
                bare = sample.strip_vietnamese_diacritics(vi).lower()
                assert any(w.lower() in bare for w in signals["vi"]), (theme, bare)
                assert any(w in hans for w in signals["zh"]), (theme, hans)
                assert any(w in hant for w in signals["zh"]), (theme, hant)


def test_templates_carry_no_signal_word_of_another_theme() -> None:
    for theme, by_sentiment in sample.COMMENT_TEMPLATES.items():
        for templates in by_sentiment.values():
            for en, vi, hans, hant in templates:
                texts = {
                    "en": en.lower(),
                    "vi": f"{vi.lower()} | {sample.strip_vietnamese_diacritics(vi).lower()}",
                    "zh": f"{hans} | {hant}",
                }
                for other in set(sample.THEMES) - {theme}:
                    for lang, text in texts.items():
                        hits = [w for w in sample.THEME_SIGNALS[other][lang] if w.lower() in text]
                        assert not hits, (theme, other, hits, text)


def test_vietnamese_without_diacritics_is_plain_ascii() -> None:
    assert sample.strip_vietnamese_diacritics("Nhân viên thô lỗ, chờ lâu, đáng tin cậy") == (
        "Nhan vien tho lo, cho lau, dang tin cay"
    )


# -- synthetic canonical rows ---------------------------------------------------------------
def test_synthetic_frame_matches_the_workspace_feedback_table(ws: Workspace) -> None:
    frame = sample.synthetic_feedback_frame(3001, seed=3)
    table_columns = [r[0] for r in ws.fetchall("DESCRIBE feedback")]
    assert list(frame.columns) == list(sample.FEEDBACK_FRAME_COLUMNS) == table_columns
    assert len(frame) == 3001
    with ws.transaction() as cur:
        cur.register("synthetic", frame)
        cur.execute("INSERT INTO feedback SELECT * FROM synthetic")
    rows = ws.fetchall(
        "SELECT metric, count(*), min(score), max(score), min(value), max(value) FROM feedback GROUP BY metric"
    )
    by_metric = {r[0]: r[1:] for r in rows}
    assert set(by_metric) == {"csat", "ces", "nps"}
    assert sum(v[0] for v in by_metric.values()) == 3001
    assert all(0.0 <= v[1] <= v[2] <= 100.0 for v in by_metric.values())
    assert by_metric["csat"][3:] == (1.0, 5.0) and by_metric["nps"][4] <= 10.0
    segment = ws.fetchall("SELECT segments['Region'] FROM feedback LIMIT 1")[0][0]
    assert segment in sample.REGIONS
    tagged = ws.fetchall(
        "SELECT count(*) FROM feedback WHERE comment IS NOT NULL AND len(themes) = 1 AND theme_source = 'codebook'"
    )[0][0]
    assert tagged == ws.fetchall("SELECT count(comment) FROM feedback")[0][0] > 0
    touchpoints = {r[0] for r in ws.fetchall("SELECT DISTINCT touchpoint FROM feedback")}
    assert touchpoints <= set(sample.TOUCHPOINT_NAMES)


def test_synthetic_frame_is_seeded_and_offers_segment_lists() -> None:
    a = sample.synthetic_feedback_frame(600, seed=11, segments_as="lists")
    b = sample.synthetic_feedback_frame(600, seed=11, segments_as="lists")
    pd.testing.assert_frame_equal(a, b)
    assert "segments" not in a.columns
    assert a["segment_keys"].iloc[0] == ["Customer type", "Region", "Plan"]
    assert a["segment_values"].iloc[0][1] in sample.REGIONS


# -- the committed workbooks ----------------------------------------------------------------
def test_committed_files_match_the_generator(tp_map: pd.DataFrame) -> None:
    """Cells of the committed workbooks equal the default-seed, full-size generation (in memory)."""
    feedback = sample.generate_feedback()
    expected_long = [
        list(sample.LONG_HEADER),
        *feedback.transactional.astype(object).values.tolist(),
    ]
    assert _normalised_rows(_rows(SAMPLE_DATA / sample.LONG_FILE, "Feedback")) == _normalised_rows(
        expected_long
    )
    wide_rows = _rows(SAMPLE_DATA / sample.WIDE_FILE, "Responses")[WIDE_HEADER_ROW:]
    expected_wide = [
        list(sample.WIDE_HEADER),
        *feedback.journey_survey.astype(object).values.tolist(),
    ]
    assert _normalised_rows(wide_rows) == _normalised_rows(expected_wide)
    expected_map = sample.touchpoint_map_frame().astype(object).values.tolist()
    assert _normalised_rows(tp_map.values.tolist()) == _normalised_rows(expected_map)


def test_readme_records_the_cell_checksums_of_the_committed_files() -> None:
    readme = (SAMPLE_DATA / "README.md").read_text(encoding="utf-8")
    for name in sample.SAMPLE_FILES:
        assert f"| `{name}` | `{sample.cell_checksum(SAMPLE_DATA / name)}` |" in readme
    for name in (
        *sample.PLANTED_WEAK_TOUCHPOINTS,
        *sample.PLANTED_MOMENTS_OF_TRUTH,
        *sample.SMALL_N_TOUCHPOINTS,
    ):
        assert name in readme
    assert "make sample" in readme


def test_committed_files_are_small() -> None:
    total = sum((SAMPLE_DATA / name).stat().st_size for name in sample.SAMPLE_FILES)
    assert total < 3 * 1024 * 1024


def test_touchpoint_map_has_stages_providers_and_owners(tp_map: pd.DataFrame) -> None:
    assert len(tp_map) >= 30
    orders = tp_map["Stage order"].astype(int).tolist()
    assert orders == sorted(orders)
    stage_of_order = tp_map.groupby("Stage order")["Journey stage"].nunique()
    assert (stage_of_order == 1).all() and len(stage_of_order) >= 6
    assert tp_map["Touchpoint"].is_unique
    assert set(tp_map["Experience provider"]) == set(PROVIDERS)
    assert tp_map["Owner"].notna().all() and tp_map["Owner"].nunique() >= 5
    importance = _numbers(tp_map["Importance"])
    assert importance.isna().sum() >= 2
    assert importance.dropna().between(1, 5).all()
    assert set(tp_map["Target metric"]) == {"CSAT", "CES", "NPS"}
    assert tp_map["Promise target"].isna().sum() >= 2


def test_promise_targets_use_real_number_formats() -> None:
    book = openpyxl.load_workbook(SAMPLE_DATA / sample.MAP_FILE)
    sheet = book["Touchpoint map"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    header = [c.value for c in sheet[1]]
    metric_col, target_col = header.index("Target metric"), header.index("Promise target")
    formats: dict[str, set[str]] = {}
    for row in sheet.iter_rows(min_row=2):
        target = row[target_col]
        if target.value is None:
            continue
        assert isinstance(target.value, int | float)
        kind = "share" if target.number_format == "0%" else "number"
        formats.setdefault(f"{row[metric_col].value} {kind}", set()).add(target.number_format)
        if kind == "share":
            assert 0 < target.value <= 1
    assert {"CSAT share", "CSAT number", "CES share", "NPS number"} <= set(formats)


def test_brand_promise_sheet_lists_the_reasons_to_believe(tp_map: pd.DataFrame) -> None:
    promise = _frame(SAMPLE_DATA / sample.MAP_FILE, "Brand promise")
    assert list(promise.columns) == list(sample.PROMISE_HEADER)
    assert promise["Type"].tolist() == ["Brand promise"] + ["Reason to believe"] * 3
    assert set(tp_map["Reason to believe"]) == set(promise["Name"].iloc[1:])


def test_planted_touchpoints_are_important_map_touchpoints(tp_map: pd.DataFrame) -> None:
    importance = dict(zip(tp_map["Touchpoint"], _numbers(tp_map["Importance"]), strict=True))
    assert len(sample.PLANTED_WEAK_TOUCHPOINTS) == 3
    for name in (*sample.PLANTED_WEAK_TOUCHPOINTS, *sample.PLANTED_MOMENTS_OF_TRUTH):
        assert importance[name] >= 4
    assert sample.PLANTED_WORSENING_THEME in sample.THEMES


def _figure(metric: str, target: float, values: pd.Series) -> tuple[float, float]:
    """A touchpoint's figure in its target's unit and its 95% half-width (normal approximation)."""
    v = values.dropna().to_numpy(dtype=float)
    n = v.size
    if metric == "NPS":
        p, d = (v >= 9).mean(), (v <= 6).mean()
        return (p - d) * 100, 196 * math.sqrt((p + d - (p - d) ** 2) / n)
    if target > 1:  # a mean on the 1-5 scale
        return v.mean(), 1.96 * v.std(ddof=1) / math.sqrt(n)
    share = (v >= (5 if metric == "CES" else 4)).mean()
    return share, 1.96 * math.sqrt(share * (1 - share) / n)


def test_only_the_planted_touchpoints_fall_clearly_short(
    tp_map: pd.DataFrame, long: pd.DataFrame
) -> None:
    columns = {"CSAT": "CSAT (1-5)", "CES": "Effort: the company made it easy (1-7)"}
    columns["NPS"] = "Likelihood to recommend (0-10)"
    clearly_below = set()
    for row in tp_map.itertuples(index=False):
        target = row[tp_map.columns.get_loc("Promise target")]
        metric = row[tp_map.columns.get_loc("Target metric")]
        name = row[tp_map.columns.get_loc("Touchpoint")]
        values = long.loc[long["Touchpoint"] == name, columns[metric]]
        if target is None or values.notna().sum() < 100:
            continue
        figure, half = _figure(metric, float(target), values)
        if figure + half < float(target):
            clearly_below.add(name)
    assert clearly_below == set(sample.PLANTED_WEAK_TOUCHPOINTS)
    counts = long["Touchpoint"].value_counts()
    assert all(counts[name] > 300 for name in sample.PLANTED_WEAK_TOUCHPOINTS)


def test_small_n_touchpoints_have_fewer_than_30_responses(long: pd.DataFrame) -> None:
    counts = long["Touchpoint"].value_counts()
    for name in sample.SMALL_N_TOUCHPOINTS:
        assert 0 < counts[name] < 30
    assert (counts >= 30).sum() == len(sample.TOUCHPOINTS) - len(sample.SMALL_N_TOUCHPOINTS)


def test_worsening_theme_declines_significantly(long: pd.DataFrame) -> None:
    words = [
        w.lower()
        for ws in sample.THEME_SIGNALS[sample.PLANTED_WORSENING_THEME].values()
        for w in ws
    ]
    text = long["Comment"].fillna("").str.lower()
    mentions = text.map(lambda t: any(w in t for w in words)).astype(bool)
    recent = long["Date"] >= pd.Timestamp("2026-05-01")
    previous = (long["Date"] >= pd.Timestamp("2025-11-01")) & ~recent
    top2 = long["CSAT (1-5)"] >= 4
    n1, n2 = int((previous & mentions).sum()), int((recent & mentions).sum())
    p1, p2 = top2[previous & mentions].mean(), top2[recent & mentions].mean()
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert z < -1.96
    assert n2 > 1.5 * n1  # mentions rise sharply
    assert mentions[recent & (text != "")].mean() > mentions[previous & (text != "")].mean() + 0.05


def test_moments_of_truth_are_the_strongest_drivers_of_nps(wide: pd.DataFrame) -> None:
    ltr = _numbers(wide[sample.NPS_QUESTION])
    correlations = {}
    for name in sample.WIDE_TOUCHPOINTS:
        rating = _numbers(wide[name])
        rated = rating.notna()
        correlations[name] = np.corrcoef(rating[rated], ltr[rated])[0, 1]
    strongest = sorted(correlations, key=correlations.get, reverse=True)[
        : len(sample.PLANTED_MOMENTS_OF_TRUTH)
    ]
    assert set(strongest) == set(sample.PLANTED_MOMENTS_OF_TRUTH)


def test_wide_survey_layout(wide: pd.DataFrame, tp_map: pd.DataFrame) -> None:
    path = SAMPLE_DATA / sample.WIDE_FILE
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Summary", "Responses"]
    summary = _rows(path, "Summary")
    assert summary[0] == ["Row Labels", "Average of NPS"] and summary[-1][0] == "Grand Total"
    top = _rows(path, "Responses")[:WIDE_HEADER_ROW]
    assert top[0][0].startswith("Lumen Share relationship survey") and "SurveyTool" in top[1][0]
    assert all(v == "" for v in top[2])
    columns = list(wide.columns)
    ratings = columns[columns.index("Overall satisfaction (1-5)") + 1 : columns.index("Comment")]
    assert 12 <= len(ratings) <= 16
    assert set(ratings) <= set(tp_map["Touchpoint"])
    assert set(sample.PLANTED_MOMENTS_OF_TRUTH) <= set(ratings)
    rated = wide[ratings].notna().sum(axis=1)
    assert rated.between(5, 10).all()
    values = pd.concat([_numbers(wide[c]) for c in ratings]).dropna()
    assert set(values.unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert _numbers(wide[sample.NPS_QUESTION]).between(0, 10).all()
    assert set(wide["Plan"]) == set(sample.PLANS)


def test_headers_are_frozen_in_the_survey_files() -> None:
    for name, top_left in ((sample.WIDE_FILE, "A5"), (sample.LONG_FILE, "A2")):
        with zipfile.ZipFile(SAMPLE_DATA / name) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            with archive.open(sheets[-1]) as handle:
                head = handle.read(2000).decode("utf-8")
        assert re.search(rf'<pane [^>]*topLeftCell="{top_left}"[^>]*state="frozen"', head), name


def test_transactional_rows_follow_the_map(long: pd.DataFrame, tp_map: pd.DataFrame) -> None:
    assert list(long.columns) == list(sample.LONG_HEADER)
    known = tp_map.set_index("Touchpoint")
    assert set(long["Touchpoint"]) == set(known.index)
    assert (
        long["Journey stage"].to_numpy()
        == known.loc[long["Touchpoint"], "Journey stage"].to_numpy()
    ).all()
    assert (long["Channel"].to_numpy() == known.loc[long["Touchpoint"], "Channel"].to_numpy()).all()
    assert long["CSAT (1-5)"].dropna().between(1, 5).all()
    assert long["Effort: the company made it easy (1-7)"].dropna().between(1, 7).all()
    assert set(long["Customer type"]) == set(sample.CUSTOMER_TYPES)
    assert set(long["Region"]) == set(sample.REGIONS)


def test_feedback_spans_eighteen_months_in_real_date_cells(long: pd.DataFrame) -> None:
    raw_long = _rows(SAMPLE_DATA / sample.LONG_FILE, "Feedback")[1:]
    raw_wide = _rows(SAMPLE_DATA / sample.WIDE_FILE, "Responses")[WIDE_HEADER_ROW + 1 :]
    assert all(isinstance(r[2], date) for r in raw_long)
    assert all(isinstance(r[2], datetime) for r in raw_wide)
    stamps = [r[2] for r in raw_wide] + [
        datetime.combine(r[2], datetime.min.time()) for r in raw_long
    ]
    first, last = min(stamps), max(stamps)
    assert first >= datetime(2025, 5, 1) and last < datetime(2026, 11, 1)
    assert (last - first).days >= 540
    months = long["Date"].dt.to_period("M").value_counts()
    assert len(months) == 18 and months.min() > 200


def test_comments_are_multilingual_with_some_personal_data(
    long: pd.DataFrame, wide: pd.DataFrame
) -> None:
    both = pd.concat([long[["Language", "Comment"]], wide[["Language", "Comment"]]])
    assert set(both["Language"]) == {"en", "vi", "zh"}
    assert 0.5 <= long["Comment"].notna().mean() <= 0.62
    comments = both.dropna(subset=["Comment"])
    shares = comments["Language"].value_counts(normalize=True)
    assert 0.5 < shares["en"] < 0.7 and 0.18 < shares["vi"] < 0.32 and 0.1 < shares["zh"] < 0.2
    vi = comments.loc[comments["Language"] == "vi", "Comment"]
    bare = vi.map(lambda t: unicodedata.normalize("NFD", t) == t and "đ" not in t)
    assert 0.35 < bare.mean() < 0.65
    zh = comments.loc[comments["Language"] == "zh", "Comment"]
    assert zh.str.contains("们|费|说|让|没").any() and zh.str.contains("們|費|說|讓|沒").any()
    pii = comments["Comment"].str.contains(r"@example\.|\d{3}[ -]\d{3}", regex=True).mean()
    assert 0.01 < pii < 0.06
