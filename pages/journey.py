"""Journey: the touchpoints stage by stage, coloured by their gap to the promise."""

import streamlit as st

from cxdash import charts, ui
from cxdash.journey import (
    moments_of_truth,
    stage_channel_matrix,
    stage_touchpoint_matrix,
    weakest_stage,
)

filters = ui.setup_page()
ui.page_header(
    "Customer journey",
    "Each cell is a touchpoint's score against its promise target (gap in points on a 0-100 scale): "
    "orange falls short, blue keeps the promise. Hover for n.",
)

matrix = ui.query(stage_touchpoint_matrix, filters)
if matrix.empty:
    ui.empty_state()
    st.stop()

moments = ui.query(moments_of_truth, filters)
weakest = ui.query(weakest_stage, filters)
cols = st.columns(2)
with cols[0]:
    if weakest:
        st.metric(
            "Weakest stage",
            weakest["stage"],
            delta=f"{weakest['gap100']:+.1f} pts vs promise",
            delta_color="normal",
            help="The stage whose confirmed touchpoints fall furthest below target, weighted by importance.",
        )
        st.caption(
            f"{weakest['confirmed']} touchpoints with enough responses · n = {int(weakest['n']):,}"
        )
with cols[1]:
    if not moments.empty:
        basis = (
            "derived from what drives the overall outcome"
            if moments["basis"].iloc[0] == "derived"
            else "stated in the touchpoint map"
        )
        st.markdown(
            "**Moments of truth** ★ ("
            + basis
            + "):  \n"
            + "  \n".join(
                f"{i + 1}. {t} — {s}"
                for i, (t, s) in enumerate(
                    zip(moments["touchpoint"], moments["stage"], strict=True)
                )
            )
        )

st.subheader("Stage × touchpoint")
ui.render_chart(charts.journey_heatmap(matrix, moments=list(moments["touchpoint"])), key="journey")

st.subheader("Stage × channel")
ui.render_chart(
    charts.stage_channel_heatmap(ui.query(stage_channel_matrix, filters)), key="channels"
)
ui.directional_note(filters.min_n)
