"""Touchpoints: every touchpoint against the promise, importance vs performance, and one touchpoint in detail."""

import streamlit as st

from cxdash import charts, ui
from cxdash.actions import add_action
from cxdash.errors import CxdashError
from cxdash.promise import scorecard
from cxdash.themes import theme_table, verbatims
from cxdash.trends import series

filters = ui.setup_page()
ui.page_header(
    "Touchpoints",
    "Score with its 95% interval against the promise target, most urgent first. "
    "Click a touchpoint in either chart to open it.",
)

card = ui.query(scorecard, filters)
rated = card[card["n"] > 0]
if rated.empty:
    ui.empty_state()
    st.stop()

event = ui.render_chart(
    charts.gap_chart(rated, selected=ui.page_param("tp")), key="gap", selection="touchpoint"
)
clicked = ui.selected_value(event, "touchpoint", "touchpoint")
splits = card.attrs.get("ipa_splits", {})
event = ui.render_chart(charts.ipa_chart(rated, splits), key="ipa", selection="touchpoint")
clicked = ui.selected_value(event, "touchpoint", "touchpoint") or clicked
ranked = rated[rated["rank"].notna()].sort_values("rank").head(5)
st.caption(
    "#: priority rank — "
    + " · ".join(
        f"#{int(r)} {n}" for r, n in zip(ranked["rank"], ranked["touchpoint"], strict=True)
    )
)
if splits:
    st.caption(
        f"Split at the promise target (gap 0) and at the mean importance ({splits['importance']:.2f}). "
        f"Importance is stated in the touchpoint map; {card.attrs.get('importance_method', 'derived')} fill in where it gives none."
    )
if clicked and clicked != ui.page_param("tp"):
    ui.set_page_param("tp", clicked)

names = list(rated["touchpoint"])
current = ui.page_param("tp")
choice = st.selectbox(
    "Touchpoint detail",
    names,
    index=names.index(current) if current in names else None,
    placeholder="Choose a touchpoint, or click one in a chart",
    key=f"tp_pick_{current}",
)
if choice != current:
    ui.set_page_param("tp", choice)
    st.rerun()
if not choice:
    ui.directional_note(filters.min_n)
    st.stop()

# -- detail of one touchpoint --------------------------------------------------------------------
t = rated.set_index("touchpoint").loc[choice]
unit = t["target_unit"]
st.header(choice)
st.markdown(
    f"{ui.status_badge(t['status'])} &nbsp; **Owner:** {t['owner'] or 'not set'} · **Stage:** {t['stage'] or '–'} · "
    f"**Channel:** {t['channel'] or '–'} · **Reason to believe:** {t['pillar'] or '–'}",
    unsafe_allow_html=True,
)
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    f"Score ({t['metric'].upper()})",
    ui.fmt_value(t["score"], unit),
    help="In the unit of the promise target.",
)
c2.metric(
    "Promise target" + (" (default)" if t["target_is_default"] else ""),
    ui.fmt_value(t["target"], unit),
)
c3.metric("Gap", ui.fmt_gap(t["gap"], unit))
c4.metric("Responses", f"{int(t['n']):,}" + (" (directional)" if t["directional"] else ""))
st.caption(
    f"95% interval: {ui.fmt_value(t['ci_low'], unit)} to {ui.fmt_value(t['ci_high'], unit)}."
)

only = filters.with_(touchpoints=(choice,))
st.subheader("Trend")
# By touchpoint, so the line is the touchpoint's own target, in the scorecard's unit.
trend = ui.query(series, only, metric=t["metric"], by="touchpoint", grain="month", unit=unit).drop(
    columns="group"
)
ui.render_chart(charts.trend_chart(trend, value_title=t["metric"].upper()), key="tp_trend")
st.subheader("What customers talk about")
ui.render_chart(charts.theme_mix_chart(ui.query(theme_table, only)), key="tp_themes")

with st.expander("Capture an action for this touchpoint"), st.form("action", clear_on_submit=True):
    text = st.text_input("What should be done?")
    who, due = st.columns(2)
    owner = who.text_input("Owner", value=t["owner"] or "")
    when = due.date_input("Due", value=None)
    if st.form_submit_button("Save action", type="primary"):
        try:
            add_action(
                ui.workspace(),
                text,
                touchpoint=choice,
                owner=owner,
                due=when,
                view=ui.current_view(),
            )
            st.success("Saved. Open actions are listed on the Promise page.")
        except CxdashError as exc:
            st.error(str(exc))

st.subheader("Comments")
page, total = ui.query(verbatims, only, limit=10, offset=0)
if page.empty:
    st.caption("No comments for this touchpoint under these filters.")
for _, v in page.iterrows():
    ui.verbatim(v)
if total > len(page):
    st.page_link(
        "pages/themes.py",
        label=f"All {total:,} comments on the Themes page",
        icon=":material/forum:",
    )
ui.directional_note(filters.min_n)
