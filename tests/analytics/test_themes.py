"""Experience-theme codebook, tagging, and theme analytics on hand-computed fixtures."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from cxdash.codebook import DEFAULT_CODEBOOK, THEMES, default_keywords
from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.themes import (
    add_keyword,
    compile_codebook,
    load_codebook,
    matched_keywords,
    remove_keyword,
    reset_codebook,
    retag,
    strip_diacritics,
    tag_comments,
    theme_matrix,
    theme_table,
    verbatims,
)
from tests.helpers import add_feedback

CB = compile_codebook()


def tags(*texts: str | None) -> list[list[str]]:
    return tag_comments(pd.Series(list(texts), dtype=object), CB).tolist()


# -- the default codebook ---------------------------------------------------------


def test_default_codebook_has_ten_themes_in_three_languages():
    assert set(DEFAULT_CODEBOOK) == set(THEMES) and len(THEMES) == 10
    for theme, by_lang in DEFAULT_CODEBOOK.items():
        assert set(by_lang) == {"en", "vi", "zh"}, theme
        assert 25 <= sum(len(k) for k in by_lang.values()) <= 40, theme


def test_every_default_keyword_matches_itself_with_and_without_diacritics():
    rows = default_keywords()
    texts = [kw.replace("*", "") for _, kw, _ in rows]
    got = tag_comments(pd.Series(texts), CB)
    misses = [(t, kw) for (t, kw, _), g in zip(rows, got, strict=True) if t not in g]
    assert misses == []
    vi = [(t, strip_diacritics(kw.replace("*", ""))) for t, kw, lang in rows if lang == "vi"]
    got = tag_comments(pd.Series([text for _, text in vi]), CB)
    assert [(t, x) for (t, x), g in zip(vi, got, strict=True) if t not in g] == []


# -- tagging ------------------------------------------------------------------------


def test_english_whole_words_and_stems():
    assert tags(
        "We waited an hour in the queue, staff were rude",
        "Breakfast was great and the waiter was lovely",
        "Quickly sorted, very helpful",
        "Hidden fees everywhere!",
        "I cancelled online in two minutes",
        "There was a self service kiosk",
    ) == [
        ["convenience", "respect"],
        [],  # no "fast" in breakfast, no "wait" in waiter
        ["benefit", "convenience"],
        ["trust"],
        ["autonomy"],
        ["autonomy"],
    ]


def test_vietnamese_with_and_without_diacritics():
    assert tags(
        "Nhân viên thô lỗ, chờ lâu quá",
        "nhan vien tho lo, cho lau qua",
        "Có phí ẩn trong hóa đơn",
        "co phi an trong hoa don",
        "Con chó lâu lắm rồi",  # "chó lâu" is not "chờ lâu"
        "Lịch sử giao dịch",  # history, not politeness
        "Xếp hạng khách sạn",  # a ranking, not a queue
        "Được cộng điểm thưởng, ĐÁNG TIN CẬY",
    ) == [
        ["convenience", "respect"],
        ["convenience", "respect"],
        ["trust"],
        ["trust"],
        [],
        [],
        [],
        ["identity", "trust"],
    ]


def test_chinese_simplified_and_traditional():
    assert tags(
        "服务态度很差，等了很久",
        "服務態度很差，等了很久",
        "帳單裡有隱藏費用",
        "自助餐很好吃",  # a buffet is not self-service
        "VIP会员积分",
    ) == [
        ["convenience", "respect"],
        ["convenience", "respect"],
        ["trust"],
        [],
        ["identity"],
    ]


def test_missing_and_duplicate_comments_keep_index():
    s = pd.Series(["rude", None, "rude", "", "fast"], index=[5, 6, 7, 8, 9], dtype=object)
    out = tag_comments(s, CB)
    assert list(out.index) == [5, 6, 7, 8, 9]
    assert out.tolist() == [["respect"], [], ["respect"], [], ["convenience"]]
    out[5].append("x")  # lists are independent objects
    assert out[7] == ["respect"]


def test_custom_codebook_as_dataframe():
    cb = pd.DataFrame({"theme": ["trust", "trust"], "keyword": ["refund*", "退款"]})
    out = tag_comments(pd.Series(["Refunded quickly", "退款很慢", "no"]), cb).tolist()
    assert out == [["trust"], ["trust"], []]


def test_matched_keywords_spans_index_the_original_text():
    text = "Nhân viên THÔ LỖ, we WAITED; 服務態度很差"
    spans = matched_keywords(text, CB)
    found = [(text[s:e], theme, kw) for s, e, theme, kw in spans]
    assert found == [
        ("THÔ LỖ", "respect", "thô lỗ"),
        ("WAITED", "convenience", "waited"),
        ("態度很差", "respect", "态度很差"),
    ]
    bare = "nhan vien tho lo"
    assert [(bare[s:e], t) for s, e, t, _ in matched_keywords(bare, CB)] == [("tho lo", "respect")]


def test_matched_keywords_agree_with_tagging():
    texts = [
        "We waited an hour in the queue, staff were rude",
        "co phi an trong hoa don, nhan vien tho lo",
        "帳單裡有隱藏費用，態度很差",
        "Loyalty points and VIP lounge, very helpful explanation",
        "Có phí ẩn, không ai nhớ tôi",
        "nothing to see here",
    ]
    tagged = tag_comments(pd.Series(texts), CB)
    for text, expected in zip(texts, tagged, strict=True):
        assert sorted({t for _, _, t, _ in matched_keywords(text, CB)}) == expected


# -- the codebook in the workspace ---------------------------------------------------


def test_codebook_table_is_seeded_and_editable(ws):
    book = load_codebook(ws)
    assert len(book) == len(default_keywords()) and book["is_default"].all()
    assert add_keyword(ws, "Trust", "refund", "en") is True
    assert add_keyword(ws, "trust", "REFUND", "en") is False  # already there
    book = load_codebook(ws)
    added = book[~book["is_default"]]
    assert added[["theme", "keyword", "language"]].values.tolist() == [["trust", "refund", "en"]]
    assert remove_keyword(ws, "trust", "Refund") is True
    assert remove_keyword(ws, "trust", "refund") is False
    assert remove_keyword(ws, "convenience", "queue*") is True
    assert "queue*" not in set(load_codebook(ws)["keyword"])
    reset_codebook(ws)
    assert len(load_codebook(ws)) == len(default_keywords())


def test_bad_theme_or_keyword_is_refused_in_plain_words(ws):
    with pytest.raises(CxdashError, match="ten experience themes"):
        add_keyword(ws, "happiness", "smile", "en")
    with pytest.raises(CxdashError, match="cannot be empty"):
        add_keyword(ws, "trust", "  ", "en")


# -- analytics fixture ------------------------------------------------------------------


def _fixture(ws) -> None:
    """Eight responses; the expected figures in the tests below are worked out by hand."""
    d = datetime
    rows = [
        # r1: NPS 3 (detractor), "rude" + "waited"
        dict(response_id="r1", metric="nps", value=3, ts=d(2025, 6, 1), stage="Travel",
             comment="staff were rude and we waited"),
        # r2: NPS 9, "fast" + "friendly"
        dict(response_id="r2", metric="nps", value=9, ts=d(2025, 6, 10), stage="Travel",
             comment="fast and friendly"),
        # r3: CSAT 2 (negative), trust; carries a phone number
        dict(response_id="r3", metric="csat", value=2, ts=d(2025, 1, 15), stage="Booking",
             comment="hidden fee, call me on 0912 345 678"),
        # r4: wide response: CSAT 5 overall + two touchpoint ratings; trust + respect
        dict(response_id="r4", metric="csat", value=5, ts=d(2025, 2, 1),
             comment="hidden fee but polite"),
        dict(response_id="r4", metric="rating", value=1, ts=d(2025, 2, 1), stage="Airport",
             touchpoint="Check-in", comment="hidden fee but polite"),
        dict(response_id="r4", metric="rating", value=4, ts=d(2025, 2, 1), stage="Airport",
             touchpoint="Lounge", comment="hidden fee but polite"),
        # r5: only a touchpoint rating of 2 (score 25: negative), convenience
        dict(response_id="r5", metric="rating", value=2, ts=d(2025, 6, 20), stage="Airport",
             touchpoint="Gate", comment="waited"),
        # r6: NPS 10, no comment
        dict(response_id="r6", metric="nps", value=10, ts=d(2025, 6, 5), stage="Travel"),
        # r7: the export says trust; NPS 6 (detractor)
        dict(response_id="r7", metric="nps", value=6, ts=d(2025, 3, 1), stage="Booking",
             comment="100% not what I paid for", themes=["trust"], theme_source="export"),
        # r8: NPS 8, "rude"
        dict(response_id="r8", metric="nps", value=8, ts=d(2025, 6, 15), stage="Travel",
             comment="rude"),
    ]  # fmt: skip
    add_feedback(ws, rows)


def test_retag_tags_comments_and_leaves_export_themes(ws):
    _fixture(ws)
    assert retag(ws) == 8  # rows with a comment: r1 r2 r3 r4 (3 rows) r5 r8; not r7
    got = dict(
        ws.fetchall(
            "SELECT response_id, list_sort(list_distinct(flatten(list(themes)))) FROM feedback "
            "GROUP BY response_id"
        )
    )
    assert got == {
        "r1": ["convenience", "respect"],
        "r2": ["convenience", "respect"],
        "r3": ["trust"],
        "r4": ["respect", "trust"],
        "r5": ["convenience"],
        "r6": [],
        "r7": ["trust"],
        "r8": ["respect"],
    }
    sources = dict(
        ws.fetchall("SELECT response_id, any_value(theme_source) FROM feedback GROUP BY 1")
    )
    assert sources["r7"] == "export" and sources["r1"] == "codebook" and sources["r6"] is None
    assert retag(ws) == 0  # nothing changed
    add_keyword(ws, "knowledge", "paid for", "en")  # would hit r7, but the export wins
    remove_keyword(ws, "respect", "friendly")
    assert retag(ws) == 1  # only r2 changes
    assert ws.fetchall("SELECT themes FROM feedback WHERE response_id = 'r2'")[0][0] == [
        "convenience"
    ]
    assert ws.fetchall("SELECT themes FROM feedback WHERE response_id = 'r7'")[0][0] == ["trust"]


def test_theme_table_by_hand(ws):
    _fixture(ws)
    retag(ws)
    df = theme_table(ws, Filters()).set_index("theme")
    assert df.attrs["responses"] == 8
    assert df["mentions"].to_dict() == {"respect": 4, "convenience": 3, "trust": 3}
    assert list(df.index) == ["respect", "convenience", "trust"]
    assert df.loc["respect", "share"] == pytest.approx(4 / 8)
    # negative: r1 (NPS 3) yes, r2 (9) no, r4 (CSAT 5 wins over its ratings) no, r8 (8) no
    assert df.loc["respect", "negative_share"] == pytest.approx(1 / 4)
    assert df.loc["respect", "mean_score"] == pytest.approx((30 + 90 + 100 + 80) / 4)
    # convenience: r1 yes, r2 no, r5 (rating 2 of 5 = score 25) yes
    assert df.loc["convenience", "negative_share"] == pytest.approx(2 / 3)
    assert df.loc["convenience", "mean_score"] == pytest.approx((30 + 90 + 25) / 3)
    # trust: r3 (CSAT 2) yes, r4 no, r7 (NPS 6) yes
    assert df.loc["trust", "negative_share"] == pytest.approx(2 / 3)
    assert df.loc["trust", "mean_score"] == pytest.approx((25 + 100 + 60) / 3)
    # newest 2025-06-20: last 3 months r1 r2 r5 r6 r8 (5), previous r3 r4 r7 (3)
    assert df.loc["convenience", "trend"] == pytest.approx(3 / 5 - 0 / 3)
    assert df.loc["respect", "trend"] == pytest.approx(3 / 5 - 1 / 3)
    assert df.loc["trust", "trend"] == pytest.approx(0 / 5 - 3 / 3)
    assert df["low_n"].all()  # all below min_n = 30
    travel = theme_table(ws, Filters(stages=("Travel",))).set_index("theme")
    assert travel.attrs["responses"] == 4
    assert travel["mentions"].to_dict() == {"respect": 3, "convenience": 2}


def test_theme_matrix_by_stage_and_touchpoint(ws):
    _fixture(ws)
    retag(ws)
    st = theme_matrix(ws, Filters(), by="stage").set_index(["theme", "stage"])
    # Travel units r1 r2 r6 r8; Airport units r4 (ratings 0 and 75 -> 37.5) and r5 (25);
    # Booking units r3 and r7.
    assert st.loc[("respect", "Travel"), "mentions"] == 3
    assert st.loc[("respect", "Travel"), "share"] == pytest.approx(3 / 4)
    assert st.loc[("respect", "Travel"), "negative_share"] == pytest.approx(1 / 3)
    assert st.loc[("respect", "Travel"), "mean_score"] == pytest.approx((30 + 90 + 80) / 3)
    assert st.loc[("convenience", "Airport"), "negative_share"] == pytest.approx(1.0)
    assert st.loc[("trust", "Airport"), "mean_score"] == pytest.approx(37.5)
    assert st.loc[("trust", "Airport"), "negative_share"] == pytest.approx(0.0)
    assert st.loc[("trust", "Booking"), "mentions"] == 2
    assert st.loc[("trust", "Booking"), "negative_share"] == pytest.approx(1.0)
    assert len(st) == 6
    tp = theme_matrix(ws, Filters(), by="touchpoint").set_index(["theme", "touchpoint"])
    assert tp["mentions"].to_dict() == {
        ("convenience", "Gate"): 1,
        ("respect", "Check-in"): 1,
        ("respect", "Lounge"): 1,
        ("trust", "Check-in"): 1,
        ("trust", "Lounge"): 1,
    }
    assert tp.loc[("trust", "Check-in"), "mean_score"] == pytest.approx(0.0)
    assert tp.loc[("trust", "Check-in"), "negative_share"] == pytest.approx(1.0)
    assert tp.loc[("trust", "Lounge"), "negative_share"] == pytest.approx(0.0)
    with pytest.raises(ValueError):
        theme_matrix(ws, Filters(), by="channel; DROP TABLE feedback")


def test_verbatims_one_row_per_response_newest_first(ws):
    _fixture(ws)
    retag(ws)
    page, total = verbatims(ws, Filters())
    assert total == 7  # r6 has no comment
    assert page["comment"].tolist()[:2] == ["waited", "rude"]
    assert list(page.columns) == [
        "ts", "touchpoint", "stage", "channel", "score", "language", "themes", "comment", "marks"
    ]  # fmt: skip
    r4 = page[page["comment"] == "hidden fee but polite"].iloc[0]
    assert pd.isna(r4["touchpoint"])  # spans Check-in and Lounge
    assert r4["score"] == pytest.approx(100.0)
    assert r4["themes"] == ["respect", "trust"]
    assert page.iloc[0]["touchpoint"] == "Gate"
    r3 = page[page["comment"].str.startswith("hidden fee,")].iloc[0]
    assert r3["comment"] == "hidden fee, call me on [phone]"
    assert [(r3["comment"][s:e], t) for s, e, t, _ in r3["marks"]] == [("hidden fee", "trust")]


def test_verbatims_filters_search_and_paging(ws):
    _fixture(ws)
    retag(ws)
    assert verbatims(ws, Filters(), theme="respect")[1] == 4
    assert verbatims(ws, Filters(), stage="Airport")[1] == 2
    assert verbatims(ws, Filters(), touchpoint="Lounge")[1] == 1
    assert verbatims(ws, Filters(), search="HIDDEN")[1] == 2
    assert verbatims(ws, Filters(), search="100%")[1] == 1
    assert verbatims(ws, Filters(), search="%")[1] == 1  # literal, not a wildcard
    assert verbatims(ws, Filters(), search="_")[1] == 0
    assert verbatims(ws, Filters(), search="'; DROP TABLE feedback; --")[1] == 0
    first, total = verbatims(ws, Filters(), limit=2)
    second, _ = verbatims(ws, Filters(), limit=2, offset=2)
    assert total == 7 and len(first) == len(second) == 2
    assert first["comment"].tolist() == ["waited", "rude"]
    assert second["comment"].tolist() == ["fast and friendly", "staff were rude and we waited"]
    empty, total = verbatims(ws, Filters(), offset=50)
    assert empty.empty and total == 7
    travel, total = verbatims(ws, Filters(stages=("Travel",)))
    assert total == 3 and set(travel["comment"]) == {
        "rude",
        "fast and friendly",
        "staff were rude and we waited",
    }


def test_theme_table_reads_themes_from_every_row_of_a_filtered_response(ws):
    # A long export: the comment sits on the response's overall row (no stage), the
    # ratings on stage rows. Filtered to the stage, the response keeps its comment's theme.
    d = datetime(2025, 5, 1)
    add_feedback(
        ws,
        [
            dict(response_id="a", metric="overall", value=2, ts=d, comment="rude",
                 themes=["respect"], theme_source="export"),
            dict(response_id="a", metric="rating", value=4, ts=d, stage="Travel",
                 touchpoint="Gate"),
            dict(response_id="b", metric="rating", value=5, ts=d, stage="Travel",
                 touchpoint="Gate"),
            dict(response_id="c", metric="overall", value=1, ts=d, comment="rude",
                 themes=["respect"], theme_source="export"),
        ],
    )  # fmt: skip
    travel = theme_table(ws, Filters(stages=("Travel",)))
    assert travel.attrs["responses"] == 2  # a and b; c has no Travel row
    assert travel.set_index("theme")["mentions"].to_dict() == {"respect": 1}
    # a's best score in the selection is its Travel rating (75), not its overall answer.
    assert travel.set_index("theme").loc["respect", "mean_score"] == pytest.approx(75.0)
    assert theme_table(ws, Filters()).set_index("theme").loc["respect", "mentions"] == 2


def test_theme_table_counts_responses_when_nothing_is_mentioned(ws):
    add_feedback(ws, [dict(response_id=f"r{i}", metric="csat", value=4) for i in range(3)])
    table = theme_table(ws, Filters())
    assert table.empty and table.attrs["responses"] == 3
    assert list(table.columns) == [
        "theme", "mentions", "share", "negative_share", "mean_score", "trend", "low_n"
    ]  # fmt: skip
    nothing = theme_table(ws, Filters(stages=("Nowhere",)))
    assert nothing.empty and nothing.attrs["responses"] == 0
