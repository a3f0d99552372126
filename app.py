"""cxdash: which touchpoints fall short of the brand promise, how sure we are, and who owns the fix.

Run with ``make run`` (or ``streamlit run app.py -- --db PATH``). On first start
with an empty workspace the bundled sample data is loaded.
"""

import streamlit as st

st.set_page_config(page_title="cxdash · brand promise", page_icon=":material/verified:", layout="wide")

pages = [
    st.Page("pages/promise.py", title="Promise", icon=":material/verified:", url_path="promise", default=True),
    st.Page("pages/journey.py", title="Journey", icon=":material/route:", url_path="journey"),
    st.Page("pages/touchpoints.py", title="Touchpoints", icon=":material/target:", url_path="touchpoints"),
    st.Page("pages/themes.py", title="Themes", icon=":material/forum:", url_path="themes"),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
]
st.navigation(pages, position="sidebar").run()  # each page starts with ui.setup_page()
