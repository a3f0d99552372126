"""Promise (home): the brand promise, headline KPIs and their change, promise-keeping, weakest touchpoints."""

import streamlit as st

from cxdash import charts, ui
from cxdash.metrics import kpis
from cxdash.promise import promise_keeping, promise_statement, scorecard
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
    with col.container(border=True):
        if k["n"] == 0:
            st.metric(SHORT[k["kpi"]], "–", help="No responses with this measure under these filters.")
            continue
        delta = change.get("difference")
        st.metric(
            SHORT[k["kpi"]] + (" (directional)" if k["directional"] else ""),
            ui.fmt_value(k["value"], k["unit"]),
            delta=None if delta is None else f"{delta:+.1f} vs previous period",
            delta_color="normal" if change.get("significant") else "off",
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
left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader("Reasons to believe")
    by_pillar = keeping.set_index("pillar") if not keeping.empty else None
    for rtb in promise.get("reasons_to_believe", []):
        row = by_pillar.loc[rtb["name"]] if by_pillar is not None and rtb["name"] in by_pillar.index else None
        kept = "" if row is None or row["kept_pct"] != row["kept_pct"] else f" — **{row['kept_pct']:.0f}% kept**"
        st.markdown(f"**{rtb['name']}**{kept}  \n{rtb.get('description') or ''}")
with right:
    st.subheader("Promise kept, by reason to believe")
    ui.render_chart(charts.promise_keeping_chart(keeping), key="keeping")
    st.caption("Share of importance-weighted touchpoints whose score meets the promise target.")

# -- Five weakest touchpoints ------------------------------------------------------------------
st.subheader("Where the promise breaks first")
weakest = card[card["rank"].notna()].head(5)
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
    st.page_link("pages/touchpoints.py", label="See every touchpoint against the promise", icon=":material/arrow_forward:")
ui.directional_note(filters.min_n)
