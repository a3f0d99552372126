"""Real-browser tests: Playwright drives Debian's Chromium against a running ``streamlit run``."""
