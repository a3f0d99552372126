"""Themes: what customers talk about, where, how it trends, and their own words."""

import streamlit as st

from cxdash import charts, ui
from cxdash.codebook import THEMES
from cxdash.themes import (
    add_keyword,
    load_codebook,
    remove_keyword,
    retag,
    theme_matrix,
    theme_table,
    verbatims,
)
from cxdash.trends import compare_periods, comparison_periods, series

PAGE_SIZE = 10
filters = ui.setup_page()
ui.page_header(
    "Experience themes",
    "Comments are tagged with the ten experience themes. Click a theme to see where it comes up and read the comments.",
)

table = ui.query(theme_table, filters)
if table.empty:
    ui.empty_state("No comments with an experience theme match these filters.")
else:
    event = ui.render_chart(charts.theme_bars(table), key="themes", selection="theme")
    clicked = ui.selected_value(event, "theme", "theme")
    if clicked and clicked != ui.page_param("th"):
        ui.set_page_param("th", clicked)
    st.caption(
        f"Mentions = responses whose comment carries the theme, out of {table.attrs.get('responses', 0):,} responses under these filters."
    )

theme = st.selectbox(
    "Theme",
    list(THEMES),
    index=list(THEMES).index(ui.page_param("th")) if ui.page_param("th") in THEMES else None,
    format_func=str.capitalize,
    placeholder="All themes",
    key=f"th_pick_{ui.page_param('th')}",
)
if theme != ui.page_param("th"):
    ui.set_page_param("th", theme)
    st.rerun()

stage = touchpoint = None
if theme:
    st.header(theme.capitalize())
    where_stage, where_tp = st.columns(2, gap="large")
    for col, by in ((where_stage, "stage"), (where_tp, "touchpoint")):
        with col:
            st.subheader(f"Where: by {by}")
            m = ui.query(theme_matrix, filters, by=by)
            m = m[m["theme"] == theme].nlargest(15, "mentions")
            order = ui.options()["stages"] if by == "stage" else None
            event = ui.render_chart(
                charts.theme_breakdown_bars(m, by, order), key=f"tm_{by}", selection="cell"
            )
            picked = ui.selected_value(event, "cell", by)
            stage, touchpoint = (picked, touchpoint) if by == "stage" else (stage, picked)
    st.caption("Click a bar to read those comments below.")
    metric = st.segmented_control(
        "Trend of", ["csat", "nps", "ces"], default="csat", format_func=str.upper, key="th_metric"
    )
    only = filters.with_(themes=(theme,))
    ui.render_chart(
        charts.trend_chart(
            ui.query(series, only, metric=metric or "csat", grain="month"),
            value_title=(metric or "csat").upper(),
        ),
        key="th_trend",
    )
    periods = ui.query(comparison_periods, filters)
    if periods:
        st.info(
            ui.query(
                compare_periods,
                filters,
                metric=metric or "csat",
                period_a=periods[0],
                period_b=periods[1],
                theme=theme,
            )["message"]
        )

st.subheader("Comments")
scope = (
    " · ".join(x for x in (theme and theme.capitalize(), stage, touchpoint) if x) or "all comments"
)
search = st.text_input("Search the comments", placeholder="a word or phrase", key="verbatim_search")
total = ui.query(
    verbatims,
    filters,
    theme=theme,
    stage=stage,
    touchpoint=touchpoint,
    search=search or None,
    limit=1,
)[1]
pages = max(1, -(-total // PAGE_SIZE))
st.caption(f"{total:,} comments ({scope}), newest first. Emails and phone numbers are masked.")
page_no = (
    st.pagination(pages, key=f"vpage_{theme}_{stage}_{touchpoint}_{search}") if pages > 1 else 1
)
rows, _ = ui.query(
    verbatims,
    filters,
    theme=theme,
    stage=stage,
    touchpoint=touchpoint,
    search=search or None,
    limit=PAGE_SIZE,
    offset=(page_no - 1) * PAGE_SIZE,
)
for _, v in rows.iterrows():
    ui.verbatim(v)

with st.expander("Codebook: the keywords behind each theme"):
    ws = ui.workspace()
    book = load_codebook(ws)
    pick = st.selectbox(
        "Theme to edit",
        list(THEMES),
        index=list(THEMES).index(theme) if theme else 0,
        format_func=str.capitalize,
    )
    st.dataframe(
        book[book["theme"] == pick][["keyword", "language", "is_default"]],
        hide_index=True,
        width="stretch",
        height=220,
    )
    with st.form("add_keyword", clear_on_submit=True):
        kw = st.text_input(
            "Add a keyword (any language; Vietnamese matches with or without accents)"
        )
        lang = st.selectbox("Language", ["en", "vi", "zh"])
        if st.form_submit_button("Add and re-tag comments") and kw.strip():
            added = add_keyword(ws, pick, kw.strip(), lang)
            changed = retag(ws) if added else 0
            st.success(
                f"Added '{kw.strip()}' to {pick}; {changed:,} rows re-tagged."
                if added
                else f"'{kw.strip()}' is already in {pick}."
            )
    drop = st.selectbox(
        "Remove a keyword", [None, *book[book["theme"] == pick]["keyword"]], key="drop_kw"
    )
    if drop and st.button(f"Remove '{drop}' and re-tag"):
        remove_keyword(ws, pick, drop)
        retag(ws)
        st.rerun()
ui.directional_note(filters.min_n)
