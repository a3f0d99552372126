"""cxdash: which touchpoints fall short of the brand promise, how sure we are, and who owns the fix.

Run with ``make run`` (or ``streamlit run app.py -- --db PATH``). On first start
with an empty workspace the bundled sample data is loaded. Each page starts
with ``ui.setup_page()``, which draws the menu and the shared filters.
"""

import streamlit as st

from cxdash.ui import PAGES

pages = [
    st.Page(script, title=title, icon=icon, url_path=url, default=i == 0)
    for i, (script, title, icon, url) in enumerate(PAGES)
]
st.navigation(pages, position="hidden").run()
