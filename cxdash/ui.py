"""The only Streamlit module: cached workspace and queries, the shared filter sidebar, small widgets.

Pages stay thin: they start with ``setup_page()`` (which renders the shared
filter sidebar and returns the ``Filters``), call library functions
through :func:`query` (cached per filter state and workspace data version, so
an import refreshes every page) and render with the builders in
:mod:`cxdash.charts`.
"""

from __future__ import annotations

import html
import importlib
import sys
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from cxdash import charts
from cxdash.codebook import THEMES
from cxdash.filters import DEFAULT_MIN_N, Filters
from cxdash.workspace import Workspace, resolve_db_path

# -- workspace and cached queries ---------------------------------------------------------------


def _db_argument() -> str | None:
    """``streamlit run app.py -- --db PATH`` passes the workspace path after ``--``."""
    args = sys.argv[1:]
    for i, a in enumerate(args):
        if a == "--db" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--db="):
            return a.split("=", 1)[1]
    return None


@st.cache_resource(show_spinner=False)
def _open_workspace(path: str) -> Workspace:
    from cxdash.starter import ensure_sample_data

    ws = Workspace(path)
    ensure_sample_data(ws)
    return ws


def workspace() -> Workspace:
    """The app's workspace: one shared DuckDB connection; every query runs on its own cursor."""
    return _open_workspace(str(resolve_db_path(_db_argument())))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(name: str, db: str, version: int, filters: Filters, kwargs: tuple) -> Any:
    module, _, func = name.rpartition(".")
    fn = getattr(importlib.import_module(module), func)
    return fn(_open_workspace(db), filters, **dict(kwargs))


def query(fn: Callable[..., Any], filters: Filters, **kwargs: Any) -> Any:
    """Call ``fn(ws, filters, **kwargs)`` through the cache (keyed by filters and data version,
    read with the cheap :meth:`Workspace.version_token`)."""
    ws = workspace()
    name = f"{fn.__module__}.{fn.__name__}"
    return _cached_call(
        name, str(ws.path), ws.version_token(), filters, tuple(sorted(kwargs.items()))
    )


# -- filter sidebar -----------------------------------------------------------------------------

_STATE = "cx_filters"  # the current Filters, kept across pages
_KEYS = {
    "stages": "f_stage",
    "themes": "f_theme",
    "channels": "f_channel",
    "touchpoints": "f_touchpoint",
}


@st.cache_data(show_spinner=False, max_entries=16)
def _options(db: str, version: int) -> dict[str, Any]:
    ws = _open_workspace(db)
    stages = ws.fetchall(
        "SELECT stage FROM (SELECT stage, min(stage_order) o FROM ("
        "  SELECT stage, stage_order FROM touchpoints WHERE stage IS NOT NULL"
        "  UNION ALL SELECT DISTINCT stage, NULL FROM feedback WHERE stage IS NOT NULL)"
        " GROUP BY stage) ORDER BY o NULLS LAST, stage"
    )
    channels = ws.fetchall(
        "SELECT DISTINCT channel FROM feedback WHERE channel IS NOT NULL ORDER BY channel"
    )
    tps = ws.fetchall(
        "SELECT DISTINCT touchpoint FROM feedback WHERE touchpoint IS NOT NULL ORDER BY touchpoint"
    )
    segs = ws.fetchall(
        "SELECT k, list(DISTINCT v ORDER BY v) FROM ("
        " SELECT unnest(map_keys(segments)) k, unnest(map_values(segments)) v FROM feedback)"
        " GROUP BY k HAVING count(DISTINCT v) <= 60 ORDER BY k"
    )
    span = ws.fetchall("SELECT min(ts)::DATE, max(ts)::DATE FROM feedback")[0]
    return {
        "stages": [r[0] for r in stages],
        "channels": [r[0] for r in channels],
        "touchpoints": [r[0] for r in tps],
        "themes": list(THEMES),
        "segments": {k: v for k, v in segs},
        "date_min": span[0],
        "date_max": span[1],
    }


def options() -> dict[str, Any]:
    ws = workspace()
    return _options(str(ws.path), ws.version_token())


def _init_from_url(opts: dict[str, Any]) -> None:
    """First run of a session: the URL (a shared link) sets the filters."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    f = Filters.from_query_params(params)
    for field, key in _KEYS.items():
        st.session_state[key] = [v for v in getattr(f, field) if v in opts[field]]
    for dim, values in opts["segments"].items():
        st.session_state[f"f_seg::{dim}"] = [
            v for v in f.segment_dict().get(dim, ()) if v in values
        ]
    lo, hi = opts["date_min"], opts["date_max"]
    if lo is not None and (f.date_from or f.date_to):
        st.session_state["f_dates"] = _clamped((f.date_from or lo, f.date_to or hi), lo, hi)
    st.session_state["f_min_n"] = f.min_n
    st.session_state[_STATE] = _read_widgets(opts)


def _clamped(dates: tuple, lo: Any, hi: Any) -> tuple:
    """A date range moved inside the data's span (the date widget refuses dates outside it)."""
    return tuple(min(max(d, lo), hi) for d in dates)


def _read_widgets(opts: dict[str, Any]) -> Filters:
    dates = st.session_state.get("f_dates") or ()
    lo, hi = opts["date_min"], opts["date_max"]
    date_from = dates[0] if len(dates) > 0 else None
    date_to = dates[1] if len(dates) > 1 else None
    # The full data span is "no date filter": keep links short and stable.
    if date_from == lo and date_to == hi:
        date_from = date_to = None
    segments = {
        dim: tuple(st.session_state.get(f"f_seg::{dim}") or ())
        for dim in opts["segments"]
        if st.session_state.get(f"f_seg::{dim}")
    }
    return Filters(
        **{field: st.session_state.get(key) or () for field, key in _KEYS.items()},
        segments=tuple(segments.items()),
        date_from=date_from,
        date_to=date_to,
        min_n=int(st.session_state.get("f_min_n") or DEFAULT_MIN_N),
    )


def clear_filters() -> None:
    """Reset every filter widget (used by the sidebar button and the empty state)."""
    for key in list(st.session_state):
        if isinstance(key, str) and (key.startswith("f_seg::") or key in _KEYS.values()):
            st.session_state[key] = []
    st.session_state.pop("f_dates", None)
    st.session_state["f_min_n"] = DEFAULT_MIN_N


def _keep_filter_state(opts: dict[str, Any]) -> None:
    """Keep the filter widgets' values when the user opens another page.

    Widgets drawn by a page script get a new identity on every page, so Streamlit would
    drop their state; re-assigning each key keeps it. Values that no longer exist (after
    an undo) are dropped, and a date range that covered all the data (no date filter)
    follows the data when an import widens or narrows it.
    """
    lo, hi = opts["date_min"], opts["date_max"]
    old_span = st.session_state.get("cx_span")
    dates = tuple(st.session_state.get("f_dates") or ())
    if lo is None:
        st.session_state.pop("f_dates", None)
    elif old_span and dates == tuple(old_span):
        st.session_state["f_dates"] = (lo, hi)
    elif dates:
        st.session_state["f_dates"] = _clamped(dates, lo, hi)
    for field, key in _KEYS.items():
        st.session_state[key] = [v for v in st.session_state.get(key) or () if v in opts[field]]
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("f_seg::")]:
        allowed = opts["segments"].get(key.removeprefix("f_seg::"), [])
        st.session_state[key] = [v for v in st.session_state[key] or () if v in allowed]
    st.session_state["f_min_n"] = st.session_state.get("f_min_n") or DEFAULT_MIN_N


def filter_sidebar() -> Filters:
    """Render the shared filters; returns the current Filters and mirrors them into the URL."""
    opts = options()
    if _STATE not in st.session_state:
        _init_from_url(opts)
    else:
        _keep_filter_state(opts)
    span = (opts["date_min"], opts["date_max"])
    st.session_state["cx_span"] = span
    if opts["date_min"] is not None:
        st.session_state.setdefault("f_dates", span)
    sb = st.sidebar
    sb.markdown("### Filters")
    sb.multiselect("Journey stage", opts["stages"], key="f_stage", placeholder="All stages")
    sb.multiselect(
        "Experience theme",
        opts["themes"],
        key="f_theme",
        placeholder="All themes",
        format_func=str.capitalize,
        help="Responses whose comment mentions any of these experience themes.",
    )
    sb.multiselect("Channel", opts["channels"], key="f_channel", placeholder="All channels")
    if opts["date_min"] is not None:
        sb.date_input(
            "Dates",
            min_value=opts["date_min"],
            max_value=opts["date_max"],
            key="f_dates",
            format="YYYY-MM-DD",
        )
    with sb.expander("Segments and touchpoints", expanded=False):
        for dim, values in opts["segments"].items():
            st.multiselect(dim, values, key=f"f_seg::{dim}", placeholder="All")
        st.multiselect(
            "Touchpoint", opts["touchpoints"], key="f_touchpoint", placeholder="All touchpoints"
        )
        st.number_input(
            "Minimum responses for a confirmed figure",
            min_value=1,
            max_value=1000,
            step=5,
            key="f_min_n",
            help="Figures based on fewer responses are marked directional and never rank as confirmed.",
        )
    sb.button("Clear filters", on_click=clear_filters, width="stretch", key="clear_filters")
    filters = _read_widgets(opts)
    st.session_state[_STATE] = filters
    _write_url(filters)
    return filters


def _write_url(filters: Filters) -> None:
    wanted = filters.to_query_params()
    keep = {k: st.query_params.get_all(k) for k in st.query_params if k in PAGE_PARAMS}
    wanted.update({k: v for k, v in keep.items() if v})
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


# URL parameters that belong to a page's own state (a selected touchpoint or theme).
PAGE_PARAMS = ("tp", "th")


# The pages, in menu order: (script, title, icon, URL path).
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("pages/promise.py", "Promise", ":material/verified:", "promise"),
    ("pages/journey.py", "Journey", ":material/route:", "journey"),
    ("pages/touchpoints.py", "Touchpoints", ":material/target:", "touchpoints"),
    ("pages/themes.py", "Themes", ":material/forum:", "themes"),
    ("pages/data.py", "Data", ":material/upload_file:", "data"),
    ("pages/map.py", "Map & promise", ":material/account_tree:", "map"),
)


def _page_menu() -> None:
    """The page menu, drawn by the pages themselves (app.py's navigation is hidden).

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until
    some session has run ``st.navigation``: a deep link opened first after a restart
    runs the page script alone, with a menu built from file names. Drawing our own
    menu here keeps every run looking the same, and switching the mode off makes
    the next run go through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager  # pinned Streamlit; no public API

    PagesManager.uses_pages_directory = False
    for script, title, icon, _ in PAGES:
        st.sidebar.page_link(script, label=title, icon=icon)
    st.sidebar.divider()


def setup_page() -> Filters:
    """Every page starts here: page setup, menu, chart theme, workspace, filters."""
    st.set_page_config(
        page_title="cxdash · brand promise", page_icon=":material/verified:", layout="wide"
    )
    _page_menu()
    charts.register_theme()
    workspace()
    return filter_sidebar()


def current_view() -> str:
    """The current view as a URL query string (filters and page selections)."""
    from urllib.parse import urlencode

    return urlencode({k: st.query_params.get_all(k) for k in st.query_params}, doseq=True)


def page_param(name: str) -> str | None:
    """A page's own selection, from the URL (so a copied link reopens it)."""
    return st.query_params.get(name)


def set_page_param(name: str, value: str | None) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


# -- small shared widgets ----------------------------------------------------------------------

STATUS_WORDS = {
    "below promise": "Below promise",
    "at risk": "At risk",
    "meets": "Meets promise",
    "too few responses": "Too few responses",
}


def status_badge(status: str) -> str:
    """Status as a coloured pill with its words (colour-blind safe: the words carry the meaning)."""
    color = charts.STATUS_COLORS.get(status, "#999999")
    label = html.escape(STATUS_WORDS.get(status, status))
    return (
        f'<span style="background:{color};color:white;border-radius:0.8em;padding:0.1em 0.6em;'
        f'font-size:0.85em;white-space:nowrap">{label}</span>'
    )


def empty_state(message: str = "No responses match these filters.") -> None:
    """The one empty state: what happened and a way out."""
    st.info(message)
    st.button("Clear all filters", on_click=clear_filters, key=f"clear_{message[:20]}")


def directional_note(min_n: int) -> None:
    st.caption(
        f"Figures from fewer than {min_n} responses are marked *directional*: read them as a hint, "
        "not a finding."
    )


def fmt_value(value: float | None, unit: str) -> str:
    """A figure in its unit, as the charts write it: NPS +26, shares 81.5%, means 4.12."""
    return charts.format_in_unit(
        pd.Series([value], dtype=float), pd.Series([unit]), missing="–"
    ).iloc[0]


def fmt_gap(gap: float | None, unit: str) -> str:
    """A gap to target in its unit, as the charts write it: points for NPS and shares."""
    return charts.format_in_unit(
        pd.Series([gap], dtype=float), pd.Series([unit]), signed=True, missing="–"
    ).iloc[0]


def render_chart(chart: Any, key: str, selection: str | None = None) -> Any:
    """Show an Altair chart at full width; with ``selection``, return the clicked values.

    The spec is built without Altair's JSON-schema validation (the chart builders are
    covered by tests that validate them); validation was the largest cost of a re-render.
    """
    spec = chart.to_dict(validate=False)
    if selection is None:
        st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key)
        return None
    return st.vega_lite_chart(
        spec=spec,
        theme=None,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode=[selection],
    )


def selected_value(event: Any, selection: str, field: str) -> str | None:
    """The clicked value of ``field`` in a chart selection event, if any."""
    try:
        points = event["selection"][selection]
    except (KeyError, TypeError):
        return None
    if isinstance(points, list) and points:
        return points[0].get(field)
    if isinstance(points, dict):
        values = points.get(field)
        return values[0] if isinstance(values, list) and values else None
    return None


def highlight(text: str, marks: Any) -> str:
    """HTML of a (masked) comment with its matched theme keywords marked."""
    out, pos = [], 0
    for start, end, theme, _keyword in sorted(marks or [], key=lambda m: m[0]):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark title="{html.escape(theme)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def verbatim(row: Any) -> None:
    """One comment: when, where, score, themes; keywords marked, personal data already masked."""
    when = f"{row['ts']:%d %b %Y}" if pd.notna(row["ts"]) else "no date"
    where = " · ".join(
        str(x) for x in (row.get("touchpoint"), row.get("channel")) if pd.notna(x) and x
    )
    score = "" if pd.isna(row["score"]) else f" · score {row['score']:.0f}/100"
    themes = ", ".join(row["themes"]) if len(row["themes"]) else "no theme"
    lang = f" · {row['language']}" if pd.notna(row.get("language")) and row.get("language") else ""
    with st.container(border=True):
        st.markdown(highlight(row["comment"], row["marks"]), unsafe_allow_html=True)
        st.caption(f"{when}{' · ' + where if where else ''}{score}{lang} · {themes}")


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title)
    if caption:
        st.caption(caption)
