"""Map & promise: edit the touchpoint map (journey stages, owners, importance, targets) and the
brand promise with its reasons to believe."""

import streamlit as st

from cxdash import ui
from cxdash.domain import PROVIDERS
from cxdash.errors import CxdashError
from cxdash.touchpoint_map import (
    TARGET_METRICS,
    TARGET_UNITS,
    load_map,
    load_promise,
    save_map,
    save_promise,
)

ui.setup_page()
ws = ui.workspace()
ui.page_header(
    "Map & promise",
    "The touchpoints of the journey with their owners, importance and promise targets, and the "
    "brand promise they should keep. Edit in place, then save.",
)
tab_map, tab_promise = st.tabs(["Touchpoint map", "Brand promise"])

with tab_map:
    st.caption("Stage order sets the journey order; importance is your stated weight.")
    edited_map = st.data_editor(
        load_map(ws),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key="map_editor",
        column_config={
            "provider": st.column_config.SelectboxColumn("provider", options=list(PROVIDERS)),
            "target_unit": st.column_config.SelectboxColumn(
                "target_unit", options=list(TARGET_UNITS)
            ),
            "target_metric": st.column_config.SelectboxColumn(
                "target_metric", options=list(TARGET_METRICS)
            ),
        },
    )
    if st.button("Save touchpoint map", type="primary"):
        try:
            st.success(save_map(ws, edited_map))
        except CxdashError as exc:
            st.error(str(exc))

with tab_promise:
    current = load_promise(ws)
    statement = st.text_input("Brand promise", current["statement"])
    description = st.text_area("What it means", current["description"] or "")
    reasons = st.data_editor(
        current["reasons"], num_rows="dynamic", hide_index=True, width="stretch", key="rtb_editor"
    )
    if st.button("Save brand promise", type="primary"):
        try:
            st.success(save_promise(ws, statement, description, reasons))
        except CxdashError as exc:
            st.error(str(exc))
