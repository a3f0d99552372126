"""Data: import exports (review the detected layout first) and undo imports."""

import streamlit as st

from cxdash import ui
from cxdash.errors import CxdashError, ImportRejected
from cxdash.ingest import review
from cxdash.ingest.load import ImportOptions, import_prepared, list_imports, prepare, undo_import
from cxdash.templates import feedback_template, touchpoint_map_template

ui.setup_page()
ws = ui.workspace()
ui.page_header(
    "Data",
    "Import survey, review or complaint exports (.xlsx, .xls, .csv, .tsv). Nothing is loaded until you press Import.",
)
tab_import, tab_history = st.tabs(["Import", "Import history"])


def review_file(upload) -> None:
    """One uploaded file: detected layout, overrides, validation report, then Import."""
    key = f"up_{upload.file_id}"
    kind = st.segmented_control(
        "Holds",
        ["auto", "feedback", "touchpoints"],
        default="auto",
        key=f"{key}_kind",
        format_func={"auto": "Detect", "feedback": "Feedback", "touchpoints": "Touchpoint map"}.get,
    )
    overrides = st.session_state.get(f"{key}_over") or None
    header_sheet, header = st.session_state.get(f"{key}_header", (None, None))
    opts = ImportOptions(
        kind=kind or "auto",
        sheet=st.session_state.get(f"{key}_sheet") or header_sheet,
        overrides=overrides,
        reverse_ces=st.session_state.get(f"{key}_rev", False),
        header=header,
    )
    try:
        with st.spinner(f"Reading {upload.name} ..."):
            prepared = prepare(upload.getvalue(), upload.name, opts, ws)
    except ImportRejected as exc:
        st.error(str(exc))
        return
    except Exception as exc:  # never a traceback for a user
        st.error(f"{upload.name} could not be read ({type(exc).__name__}). Nothing was changed.")
        return
    sheets = [s.name for s in prepared.workbook.sheets]
    if len(sheets) > 1:
        st.selectbox(
            "Sheet",
            [None, *sheets],
            key=f"{key}_sheet",
            format_func=lambda s: "Detected automatically" if s is None else s,
        )
    st.dataframe(review.summary(prepared), hide_index=True, width="stretch")
    header = review.header_position(prepared)
    if header is not None:
        c1, c2 = st.columns(2)
        row = c1.number_input(
            "Header starts on row", 1, header.last_row, header.first_row, key=f"{key}_hrow_{header}"
        )
        rows = c2.number_input(
            "Header rows (0 = none)", 0, 3, header.rows, key=f"{key}_hn_{header}"
        )
        if (row, rows) != (header.first_row, header.rows):
            sheet = header.sheet if len(sheets) > 1 else None
            st.session_state[f"{key}_header"] = (sheet, (int(row), int(rows)))
            st.rerun()
    for note in review.notes(prepared):
        st.caption(f"• {note}")
    for s in prepared.sheets:
        st.markdown(f"**Columns in '{s.plan.sheet}'** — change a role to correct the detection")
        detected = review.mapping_table(prepared, s.plan.sheet)
        edited = st.data_editor(
            detected,
            key=f"{key}_map_{s.plan.sheet}",
            hide_index=True,
            width="stretch",
            disabled=["column", "why"],
            column_config={
                "role": st.column_config.SelectboxColumn(
                    "role", options=review.role_choices(s.plan.kind), required=True
                )
            },
        )
        changes = review.overrides_from_table(edited, detected)
        if changes:
            st.session_state[f"{key}_over"] = {**(overrides or {}), **changes}
            st.rerun()
        with st.expander(f"Preview of '{s.plan.sheet}'"):
            st.dataframe(review.preview(prepared, s.plan.sheet), width="stretch")
    if review.asks_ces_direction(prepared):
        st.checkbox("The effort question is reversed (1 = very easy)", key=f"{key}_rev")
    bad = review.problems(prepared)
    if len(bad):
        st.warning(review.rejected_sentence(bad))
        st.dataframe(bad, hide_index=True, width="stretch", height=min(300, 40 + 35 * len(bad)))
    if overrides and st.button("Forget my column changes", key=f"{key}_reset"):
        st.session_state.pop(f"{key}_over", None)
        st.rerun()
    if st.button(f"Import {upload.name}", type="primary", key=f"{key}_go"):
        with st.status(f"Importing {upload.name} ...", expanded=False) as status:
            result = import_prepared(ws, prepared, opts)
            status.update(
                label=result.message, state="error" if result.status == "rejected" else "complete"
            )
        st.session_state[f"{key}_done"] = result.message
        (st.error if result.status == "rejected" else st.success)(result.message)


with tab_import:
    uploads = st.file_uploader(
        "Files", type=["xlsx", "xlsm", "xls", "csv", "tsv", "txt"], accept_multiple_files=True
    )
    for upload in uploads or []:
        with st.container(border=True):
            st.subheader(upload.name)
            if f"up_{upload.file_id}_done" in st.session_state:
                st.success(st.session_state[f"up_{upload.file_id}_done"])
            else:
                review_file(upload)
    st.markdown(
        "**Templates** — fill one in if your tool has no export, or to see the expected columns."
    )
    t1, t2 = st.columns(2)
    t1.download_button(
        "Feedback template (.xlsx)",
        feedback_template(),
        "cxdash_feedback_template.xlsx",
        icon=":material/download:",
    )
    t2.download_button(
        "Touchpoint map template (.xlsx)",
        touchpoint_map_template(),
        "cxdash_touchpoint_map_template.xlsx",
        icon=":material/download:",
    )

with tab_history:
    history = list_imports(ws)
    if history.empty:
        st.caption("No imports yet.")
    else:
        st.dataframe(review.history(history), hide_index=True, width="stretch")
        live = history[history["undone_at"].isna()]
        pick = st.selectbox(
            "Undo an import",
            [None, *live["import_id"]],
            format_func=lambda i: (
                "Choose an import"
                if i is None
                else f"{i} · {live.set_index('import_id').loc[i, 'file_name']}"
            ),
        )
        if pick and st.button(f"Undo import {pick}", type="primary"):
            try:
                st.success(undo_import(ws, pick))
            except CxdashError as exc:
                st.error(str(exc))
