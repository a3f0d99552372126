"""Derived importance: how strongly each touchpoint's rating moves the overall outcome.

Method
    Johnson's relative weights (Johnson 2000): with the predictor correlation
    matrix ``R_xx = Q Λ Qᵀ``, ``Z = Q Λ^½ Qᵀ`` is the correlation between the
    ratings and their closest orthogonal counterparts; ``β = Z⁻¹ r_xy`` are the
    outcome's weights on those counterparts and ``ε_j = Σ_k Z_jk² β_k²`` is the
    share of the outcome's variance (R²) attributed to touchpoint ``j``. The
    weights sum to the model's R² and agree closely with a Shapley (dominance)
    decomposition at a fraction of the cost.

Data
    The outcome is the ``overall`` score if the filtered data has one, else NPS,
    else CSAT, taken from response-level rows (``touchpoint`` NULL). Ratings are
    the touchpoint rows (``rating``, or a per-touchpoint CSAT/CES), on the 0-100
    score. They are linked to the outcome through the response (wide surveys:
    one response carries the outcome and every touchpoint rating) or, when more
    units link that way, through ``respondent_id`` (ratings collected in
    separate responses), averaging a respondent's scores.

Missing ratings
    A touchpoint a respondent did not use is missing, not zero. Correlations are
    *pairwise complete*: each uses every respondent who rated both (``n`` per
    touchpoint is reported). A pairwise matrix can be indefinite or singular; then,
    and when too few respondents rated a pair or only one touchpoint is left, the
    method falls back to the plain correlation, with ``importance_derived = r²``
    (what relative weights give for uncorrelated ratings).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxdash.filters import Filters
from cxdash.metrics import MEMO, row_filters
from cxdash.workspace import Workspace

MIN_RESPONDENTS = 30  # below this no derived importance is shown
RECOMMENDED_RESPONDENTS = 100  # key-driver analysis wants about 100 (domain.md)
MIN_PAIR_N = 30  # fewest respondents who rated both touchpoints of a pair
OUTCOME_ORDER: tuple[str, ...] = ("overall", "nps", "csat")
RATING_METRICS: tuple[str, ...] = ("rating", "csat", "ces")
COLUMNS: tuple[str, ...] = (
    "touchpoint",
    "importance_derived",
    "share",
    "correlation",
    "method",
    "r2",
    "respondents",
    "n",
)
METHOD_RW = "relative weights"
METHOD_CORR = "correlation"


class SingularCorrelation(ValueError):
    """The predictor correlation matrix cannot be inverted (or is not positive definite)."""


def relative_weights(R_xx: np.ndarray, r_xy: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """Johnson's relative weights from the predictor correlations and their correlations
    with the outcome. The weights sum to the R² of the linear regression.

    Raises :class:`SingularCorrelation` when ``R_xx`` is singular or not positive definite.
    """
    R = np.asarray(R_xx, dtype=float)
    r = np.asarray(r_xy, dtype=float).reshape(-1)
    if R.ndim != 2 or R.shape[0] != R.shape[1] or R.shape[0] != r.shape[0]:
        raise ValueError("R_xx must be square and match r_xy")
    if not (np.isfinite(R).all() and np.isfinite(r).all()):
        raise SingularCorrelation("the correlation matrix has missing entries")
    R = (R + R.T) / 2.0
    eigenvalues, Q = np.linalg.eigh(R)
    if eigenvalues.min() <= tol * max(eigenvalues.max(), 1.0):
        raise SingularCorrelation("the correlation matrix is singular")
    Z = (Q * np.sqrt(eigenvalues)) @ Q.T  # R_xx^(1/2), symmetric
    beta = np.linalg.solve(Z, r)
    return (Z**2) @ (beta**2)


# -- data --------------------------------------------------------------------


def _without_touchpoint_filters(filters: Filters) -> Filters:
    """The outcome rows carry no touchpoint, so touchpoint/provider filters must not drop them."""
    return filters.with_(touchpoints=(), providers=())


def _pick_outcome(ws: Workspace, filters: Filters, outcome: str | None) -> str | None:
    where, params = _without_touchpoint_filters(filters).to_sql("f")
    candidates = [outcome] if outcome else list(OUTCOME_ORDER)
    rows = ws.fetchall(
        f"SELECT DISTINCT metric FROM feedback f WHERE {where} AND f.touchpoint IS NULL "
        "AND f.score IS NOT NULL AND list_contains(?, f.metric)",
        [*params, candidates],
    )
    present = {r[0] for r in rows}
    return next((m for m in candidates if m in present), None)


def _unit_exprs(link: str) -> tuple[str, str]:
    """SQL for the two key columns of a unit (a response or a respondent)."""
    if link == "response":
        return "''", "f.response_key"
    return "''", "f.respondent_id"


def _linked_sql(filters: Filters, outcome: str, link: str) -> tuple[str, list[Any]]:
    """CTEs ``o`` (unit, y) and ``x`` (unit, touchpoint, mean rating), units with both."""
    k1, k2 = _unit_exprs(link)
    o_where, o_params = _without_touchpoint_filters(filters).to_sql("f")
    x_where, x_params = filters.to_sql("f")
    need_id = " AND f.respondent_id IS NOT NULL" if link == "respondent" else ""
    sql = f"""
    o AS (
        SELECT {k1} AS k1, {k2} AS k2, avg(f.score) AS y
        FROM feedback f
        WHERE {o_where} AND f.metric = ? AND f.touchpoint IS NULL AND f.score IS NOT NULL{need_id}
        GROUP BY 1, 2
    ),
    x AS (
        SELECT {k1} AS k1, {k2} AS k2, f.touchpoint, avg(f.score) AS x
        FROM feedback f
        WHERE {x_where} AND f.touchpoint IS NOT NULL AND f.score IS NOT NULL
          AND list_contains(?, f.metric){need_id}
        GROUP BY 1, 2, 3
    ),
    linked AS (SELECT x.*, o.y FROM x JOIN o USING (k1, k2))
    """
    return sql, [*o_params, outcome, *x_params, list(RATING_METRICS)]


def _count_linked(ws: Workspace, filters: Filters, outcome: str, link: str) -> int:
    ctes, params = _linked_sql(filters, outcome, link)
    return int(
        ws.fetchall(
            f"WITH {ctes} SELECT count(*) FROM (SELECT DISTINCT k1, k2 FROM linked)", params
        )[0][0]
    )


def _respondent_matrix(
    ws: Workspace, filters: Filters, outcome: str, link: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Ratings as a unit x touchpoint matrix (NaN = not rated) and the outcome per unit."""
    ctes, params = _linked_sql(filters, outcome, link)
    long = ws.query_df(f"WITH {ctes} SELECT k1, k2, touchpoint, x, y FROM linked", params)
    if long.empty:
        return pd.DataFrame(), pd.Series(dtype=float)
    X = long.pivot_table(index=["k1", "k2"], columns="touchpoint", values="x", aggfunc="mean")
    y = long.groupby(["k1", "k2"])["y"].first().reindex(X.index)
    X.columns = [str(c) for c in X.columns]
    return X, y


# -- analysis ----------------------------------------------------------------


def _empty(note: str) -> pd.DataFrame:
    df = pd.DataFrame(
        {c: pd.Series(dtype=object if c in ("touchpoint", "method") else float) for c in COLUMNS}
    )
    df.attrs["note"] = note
    return df


def _pairwise_counts(X: pd.DataFrame) -> pd.DataFrame:
    rated = X.notna().to_numpy(dtype=float)
    return pd.DataFrame(rated.T @ rated, index=X.columns, columns=X.columns)


def derived_importance(ws: Workspace, filters: Filters, outcome: str | None = None) -> pd.DataFrame:
    """Derived importance of every touchpoint for the overall outcome.

    Columns: ``touchpoint``, ``importance_derived`` (relative weight: the part of
    the outcome's variance the touchpoint accounts for; the weights sum to
    ``r2``), ``share`` (weight / R², sums to 1), ``correlation`` (Pearson r of
    the rating with the outcome), ``method`` (``"relative weights"`` or
    ``"correlation"``), ``r2``, ``respondents`` (units with the outcome and at
    least one rating) and ``n`` (of those, how many rated the touchpoint).
    Sorted by importance. ``attrs``: ``outcome``, ``link`` (response or
    respondent) and ``note`` (why the result is empty, thin or a fallback).
    Memoised per filter state and data version (the scorecard and the moments of
    truth both ask for it).
    """
    found = MEMO.get(
        ws,
        ("derived_importance", row_filters(filters), outcome),
        lambda: _derived_importance(ws, filters, outcome),
    )
    return found.copy()


def _derived_importance(ws: Workspace, filters: Filters, outcome: str | None) -> pd.DataFrame:
    chosen = _pick_outcome(ws, filters, outcome)
    if chosen is None:
        wanted = f"'{outcome}'" if outcome else "an overall score, NPS or CSAT"
        return _empty(
            f"Derived importance needs {wanted} per response next to the touchpoint ratings; "
            "the selected data has none."
        )
    by_response = _count_linked(ws, filters, chosen, "response")
    by_respondent = _count_linked(ws, filters, chosen, "respondent")
    link = "response" if by_response >= by_respondent else "respondent"
    respondents = max(by_response, by_respondent)
    if respondents < MIN_RESPONDENTS:
        return _empty(
            f"Derived importance needs at least {MIN_RESPONDENTS} respondents with both the "
            f"outcome and touchpoint ratings; the selection has {respondents}."
        )
    X, y = _respondent_matrix(ws, filters, chosen, link)
    df = _importance_table(X, y)
    df["respondents"] = respondents
    df = df[list(COLUMNS)]
    df.attrs.update(_importance_notes(df, respondents))
    df.attrs["outcome"] = chosen
    df.attrs["link"] = link
    return df


def _importance_table(X: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    """The importance frame for a unit x touchpoint matrix (pairwise-complete correlations)."""
    data = X.copy()
    data["__outcome__"] = y.to_numpy()
    corr = data.corr(method="pearson", min_periods=3)
    r_xy = corr["__outcome__"].drop("__outcome__")
    n = X.notna().sum()
    usable = [
        t for t in X.columns if n[t] >= MIN_PAIR_N and np.isfinite(r_xy[t]) and X[t].std() > 0
    ]
    out = pd.DataFrame(
        {
            "touchpoint": X.columns,
            "correlation": r_xy.reindex(X.columns).to_numpy(),
            "n": n.reindex(X.columns).to_numpy().astype("int64"),
        }
    )
    weights, r2 = _weights_or_none(corr, r_xy, X, usable)
    if weights is None:
        out["importance_derived"] = out["correlation"] ** 2
        out["method"] = METHOD_CORR
        out["r2"] = np.nan
        total = out["importance_derived"].sum()
        out["share"] = out["importance_derived"] / total if total > 0 else np.nan
    else:
        out["importance_derived"] = out["touchpoint"].map(weights).astype(float)
        out["method"] = np.where(out["touchpoint"].isin(usable), METHOD_RW, METHOD_CORR)
        out["r2"] = r2
        out["share"] = out["importance_derived"] / r2 if r2 > 0 else np.nan
        # Touchpoints left out of the model (too few ratings) keep r² as a rough guide.
        rest = ~out["touchpoint"].isin(usable)
        out.loc[rest, "importance_derived"] = out.loc[rest, "correlation"] ** 2
        out.loc[rest, "share"] = np.nan
    out = out.sort_values(["importance_derived", "touchpoint"], ascending=[False, True])
    return out.reset_index(drop=True)[[c for c in COLUMNS if c != "respondents"]]


def _weights_or_none(
    corr: pd.DataFrame, r_xy: pd.Series, X: pd.DataFrame, usable: list[str]
) -> tuple[dict[str, float] | None, float]:
    if len(usable) < 2:
        return None, np.nan
    pairs = _pairwise_counts(X[usable])
    if pairs.to_numpy().min() < MIN_PAIR_N:
        return None, np.nan
    try:
        eps = relative_weights(corr.loc[usable, usable].to_numpy(), r_xy[usable].to_numpy())
    except SingularCorrelation:
        return None, np.nan
    return dict(zip(usable, eps, strict=True)), float(eps.sum())


def _importance_notes(df: pd.DataFrame, respondents: int) -> dict[str, str]:
    notes = []
    if (df["method"] == METHOD_CORR).all():
        notes.append(
            "Relative weights could not be computed (too few touchpoints, too few respondents "
            "rating the same pairs, or ratings that move in lockstep), so importance is the "
            "squared correlation with the outcome."
        )
    elif (df["method"] == METHOD_CORR).any():
        left = ", ".join(df.loc[df["method"] == METHOD_CORR, "touchpoint"])
        notes.append(
            f"Too few respondents rated {left} to include it in the weights; its importance "
            "is the squared correlation."
        )
    if respondents < RECOMMENDED_RESPONDENTS:
        notes.append(
            f"Only {respondents} respondents: key-driver analysis wants about "
            f"{RECOMMENDED_RESPONDENTS}, so read the ranking as directional."
        )
    return {"note": " ".join(notes)} if notes else {"note": ""}
