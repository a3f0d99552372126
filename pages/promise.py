"""Promise (home): the brand promise, headline KPIs and their change, promise-keeping, weakest touchpoints."""

import streamlit as st

from cxdash import ui
from cxdash.actions import list_actions
from cxdash.metrics import kpis
from cxdash.promise import OVERALL_PILLAR, promise_keeping, promise_statement, scorecard
from cxdash.trends import kpi_changes

SHORT = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "overall": "Overall"}
filters = ui.setup_page()
promise = promise_statement(ui.workspace())

st.title(promise.get("statement") or "Our brand promise")
if promise.get("description"):
    st.caption(promise["description"])

headline = ui.query(kpis, filters)
if int(headline["n"].sum()) == 0:
    ui.empty_state()
    st.stop()

# -- KPI tiles ------------------------------------------------------------------------------------
changes = ui.query(kpi_changes, filters)
tiles = st.columns(len(headline))
for col, (_, k) in zip(tiles, headline.iterrows(), strict=True):
    change = changes.get(k["kpi"], {})
    with col.container(border=True, height="stretch"):
        if k["n"] == 0:
            st.metric(
                SHORT[k["kpi"]], "–", help="No responses with this measure under these filters."
            )
            continue
        delta = change.get("difference")
        st.metric(
            SHORT[k["kpi"]] + (" (directional)" if k["directional"] else ""),
            ui.fmt_value(k["value"], k["unit"]),
            delta=None
            if delta is None
            else ("no change" if abs(delta) < 0.05 else f"{delta:+.1f}") + " vs previous",
            delta_color="normal" if change.get("significant") else "off",
            delta_arrow="off" if delta is None or abs(delta) < 0.05 else "auto",
            help=change.get("message"),
        )
        moe = (k["ci_high"] - k["ci_low"]) / 2
        sig = "significant change" if change.get("significant") else "no significant change"
        st.caption(f"{k['label']}  \nn = {int(k['n']):,} · ±{moe:.1f} (95%) · {sig}")

if changes:
    first = next(iter(changes.values()))
    a, b = first["period_a"], first["period_b"]
    st.caption(f"Change compares {a['from']} – {a['to']} with {b['from']} – {b['to']}.")

# -- Reasons to believe and promise keeping --------------------------------------------------
card = ui.query(scorecard, filters)
keeping = ui.query(promise_keeping, filters)
st.subheader("Reasons to believe: is the promise kept?")
reasons = promise.get("reasons_to_believe", [])
by_pillar = keeping.set_index("pillar") if not keeping.empty else None
overall = keeping[keeping["is_overall"]] if not keeping.empty else keeping
for col, rtb in zip(st.columns(max(1, len(reasons) + 1)), [*reasons, None], strict=False):
    name = rtb["name"] if rtb else OVERALL_PILLAR
    row = (
        overall.iloc[0]
        if rtb is None and len(overall)
        else (by_pillar.loc[name] if by_pillar is not None and name in by_pillar.index else None)
    )
    with col.container(border=True, height="stretch"):
        kept = (
            "–"
            if row is None or row["kept_pct"] != row["kept_pct"]
            else f"{row['kept_pct']:.0f}% kept"
        )
        st.markdown(
            f"**{name}**",
            help=rtb.get("description")
            if rtb
            else "Across every touchpoint of the map and the feedback, with or without a reason to believe.",
        )
        st.metric(name, kept, label_visibility="collapsed")
        if row is not None:
            st.caption(
                f"{int(row['meets'])} of {int(row['confirmed'])} confirmed touchpoints meet the promise"
                + (f" · {int(row['too_few'])} with too few responses" if row["too_few"] else "")
            )
st.caption(
    "Kept = importance-weighted share of confirmed touchpoints whose score meets the promise target."
)

# -- Five weakest touchpoints ------------------------------------------------------------------
st.subheader("Where the promise breaks: the weakest touchpoints")
weakest = card[card["rank"].notna() & card["status"].isin(["below promise", "at risk"])].head(5)
if weakest.empty:
    st.success("No touchpoint with enough responses falls short of its promise target.")
else:
    rows = []
    for _, t in weakest.iterrows():
        unit = t["target_unit"]
        rows.append(
            f"| {int(t['rank'])} | **{t['touchpoint']}** | {t['stage'] or '–'} | {t['owner'] or '–'} "
            f"| {ui.fmt_value(t['score'], unit)} | {ui.fmt_value(t['target'], unit)}"
            f"{' (default)' if t['target_is_default'] else ''} | {ui.fmt_gap(t['gap'], unit)} "
            f"| {int(t['n']):,} | {ui.status_badge(t['status'])} |"
        )
    st.markdown(
        "| # | Touchpoint | Stage | Owner | Score | Target | Gap | n | Status |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows),
        unsafe_allow_html=True,
    )
    st.page_link(
        "pages/touchpoints.py",
        label="See every touchpoint against the promise",
        icon=":material/arrow_forward:",
    )
actions = list_actions(ui.workspace(), status="open")
if len(actions):
    st.subheader("Actions captured")
    st.dataframe(
        actions[["touchpoint", "text", "owner", "due", "created_at"]],
        hide_index=True,
        width="stretch",
        column_config={
            "text": "Action",
            "created_at": st.column_config.DatetimeColumn("Captured", format="YYYY-MM-DD"),
        },
    )
    st.download_button(
        "Download actions (.csv)",
        actions.to_csv(index=False).encode("utf-8"),
        "cxdash_actions.csv",
        icon=":material/download:",
    )
ui.directional_note(filters.min_n)
