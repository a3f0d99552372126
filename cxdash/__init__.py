"""cxdash: which touchpoints fall short of the brand promise, how sure we are, and who owns the fix.

The library never imports streamlit; only ``cxdash.ui`` does (tests/test_import_hygiene.py).
"""

__version__ = "0.1.0"
