"""Derived importance: Johnson's relative weights against direct computations, and on real data."""

from __future__ import annotations

import itertools
import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from cxdash.drivers import (
    METHOD_CORR,
    METHOD_RW,
    SingularCorrelation,
    derived_importance,
    relative_weights,
)
from cxdash.filters import Filters
from cxdash.ingest.load import import_file
from tests.helpers import FEEDBACK_COLUMNS, add_feedback


def _ols_r2(X: np.ndarray, y: np.ndarray) -> float:
    """R² of the least-squares fit of y on X with an intercept."""
    A = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    return 1.0 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def _corr_inputs(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    full = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    return full[:-1, :-1], full[:-1, -1]


def _shapley_r2(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley decomposition of R² by brute force over every subset of predictors."""
    p = X.shape[1]
    r2 = {(): 0.0}
    for size in range(1, p + 1):
        for subset in itertools.combinations(range(p), size):
            r2[subset] = _ols_r2(X[:, subset], y)
    out = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            weight = 1.0 / (p * len(list(itertools.combinations(others, size))))
            for subset in itertools.combinations(others, size):
                with_j = tuple(sorted((*subset, j)))
                out[j] += weight * (r2[with_j] - r2[subset])
    return out


def test_orthogonal_predictors_get_their_squared_correlation():
    rng = np.random.default_rng(1)
    raw = rng.normal(size=(200, 3))
    raw -= raw.mean(axis=0)
    Q, _ = np.linalg.qr(raw)  # exactly uncorrelated, centred columns
    X = Q * np.array([3.0, 1.0, 2.0])
    y = X @ np.array([0.5, 1.0, -0.3]) + rng.normal(scale=0.05, size=200)
    R_xx, r_xy = _corr_inputs(X, y)
    w = relative_weights(R_xx, r_xy)
    np.testing.assert_allclose(w, r_xy**2, atol=1e-12)
    assert w.sum() == pytest.approx(_ols_r2(X, y), abs=1e-9)


def test_correlated_predictors_sum_to_ols_r2_and_match_shapley():
    rng = np.random.default_rng(7)
    n = 2000
    common = rng.normal(size=n)
    X = np.column_stack(
        [
            common + rng.normal(size=n),
            0.8 * common + rng.normal(size=n),
            rng.normal(size=n),
            0.5 * common + 0.5 * rng.normal(size=n),
        ]
    )
    y = X @ np.array([0.6, 0.3, 0.4, 0.1]) + rng.normal(scale=1.2, size=n)
    R_xx, r_xy = _corr_inputs(X, y)
    w = relative_weights(R_xx, r_xy)
    assert w.sum() == pytest.approx(_ols_r2(X, y), abs=1e-9)
    shapley = _shapley_r2(X, y)
    assert shapley.sum() == pytest.approx(w.sum(), abs=1e-9)  # Shapley is exact too
    np.testing.assert_allclose(w, shapley, atol=0.01)
    assert list(np.argsort(-w)) == list(np.argsort(-shapley))


def test_two_predictor_case_by_hand():
    # R_xx = [[1, .5], [.5, 1]], r_xy = [.6, .4]: R^(1/2) has diagonal (sqrt(1.5)+sqrt(.5))/2.
    R = np.array([[1.0, 0.5], [0.5, 1.0]])
    r = np.array([0.6, 0.4])
    a, b = (np.sqrt(1.5) + np.sqrt(0.5)) / 2, (np.sqrt(1.5) - np.sqrt(0.5)) / 2
    Z = np.array([[a, b], [b, a]])
    beta = np.linalg.solve(Z, r)
    expected = np.array(
        [a**2 * beta[0] ** 2 + b**2 * beta[1] ** 2, b**2 * beta[0] ** 2 + a**2 * beta[1] ** 2]
    )
    w = relative_weights(R, r)
    np.testing.assert_allclose(w, expected, atol=1e-12)
    assert w.sum() == pytest.approx(r @ np.linalg.solve(R, r), abs=1e-12)


def test_singular_matrix_is_refused():
    R = np.array([[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(SingularCorrelation):
        relative_weights(R, np.array([0.5, 0.5]))


# -- workspace ----------------------------------------------------------------


def _wide_records(n: int, rng: np.random.Generator, drop_c: float = 0.0) -> list[dict]:
    """A wide survey: per response an overall 1-5 and ratings of A, B, C (C sometimes N/A)."""
    records = []
    for i in range(n):
        a, b, c = rng.integers(1, 6, size=3)
        overall = int(np.clip(round(0.6 * a + 0.3 * b + 0.1 * c + rng.normal(0, 0.4)), 1, 5))
        rid = f"r{i}"
        records.append({"response_id": rid, "metric": "overall", "value": overall})
        records.append({"response_id": rid, "metric": "rating", "touchpoint": "A", "value": int(a)})
        records.append({"response_id": rid, "metric": "rating", "touchpoint": "B", "value": int(b)})
        if rng.random() >= drop_c:
            records.append(
                {"response_id": rid, "metric": "rating", "touchpoint": "C", "value": int(c)}
            )
    return records


def test_workspace_importance_matches_direct_computation(ws):
    rng = np.random.default_rng(3)
    records = _wide_records(120, rng)
    add_feedback(ws, records)
    df = derived_importance(ws, Filters())
    assert df.attrs["outcome"] == "overall" and df.attrs["link"] == "response"
    assert set(df["touchpoint"]) == {"A", "B", "C"}
    assert (df["method"] == METHOD_RW).all()
    assert (df["respondents"] == 120).all() and (df["n"] == 120).all()
    # Independent computation from the records.
    wide = pd.DataFrame(records).pivot_table(
        index="response_id", columns=["metric", "touchpoint"], values="value", dropna=False
    )
    frame = (
        pd.DataFrame(
            [
                {
                    r["touchpoint"] if r["metric"] == "rating" else "y": r["value"],
                    "id": r["response_id"],
                }
                for r in records
            ]
        )
        .groupby("id")
        .first()
    )
    X, y = frame[["A", "B", "C"]].to_numpy(float), frame["y"].to_numpy(float)
    assert wide.shape[0] == 120
    R_xx, r_xy = _corr_inputs(X, y)
    expected = dict(zip("ABC", relative_weights(R_xx, r_xy), strict=True))
    got = df.set_index("touchpoint")
    for t in "ABC":
        assert got.loc[t, "importance_derived"] == pytest.approx(expected[t], abs=1e-9)
        assert got.loc[t, "correlation"] == pytest.approx(np.corrcoef(frame[t], y)[0, 1], abs=1e-9)
    assert got["r2"].iloc[0] == pytest.approx(_ols_r2(X, y), abs=1e-9)
    assert got["share"].sum() == pytest.approx(1.0)
    assert df["touchpoint"].iloc[0] == "A"  # the planted strongest driver


def test_missing_ratings_use_pairwise_complete_correlation(ws):
    rng = np.random.default_rng(5)
    records = _wide_records(150, rng, drop_c=0.4)
    add_feedback(ws, records)
    df = derived_importance(ws, Filters()).set_index("touchpoint")
    frame = (
        pd.DataFrame(
            [
                {
                    r["touchpoint"] if r["metric"] == "rating" else "y": r["value"],
                    "id": r["response_id"],
                }
                for r in records
            ]
        )
        .groupby("id")
        .first()
    )
    assert df.loc["C", "n"] == frame["C"].notna().sum() < 150
    assert df.loc["A", "n"] == 150
    rated_c = frame["C"].notna()
    assert df.loc["C", "correlation"] == pytest.approx(
        np.corrcoef(frame.loc[rated_c, "C"], frame.loc[rated_c, "y"])[0, 1], abs=1e-9
    )


def test_respondent_linking_when_ratings_come_in_separate_responses(ws):
    rng = np.random.default_rng(11)
    records = []
    for i in range(40):
        a, b = rng.integers(1, 6, size=2)
        overall = int(np.clip(round(0.8 * a + 0.2 * b), 1, 5))
        who = f"cust{i}"
        records.append(
            {"response_id": f"o{i}", "respondent_id": who, "metric": "overall", "value": overall}
        )
        records.append(
            {
                "response_id": f"a{i}",
                "respondent_id": who,
                "metric": "rating",
                "touchpoint": "A",
                "value": int(a),
            }
        )
        records.append(
            {
                "response_id": f"b{i}",
                "respondent_id": who,
                "metric": "rating",
                "touchpoint": "B",
                "value": int(b),
            }
        )
    add_feedback(ws, records)
    df = derived_importance(ws, Filters())
    assert df.attrs["link"] == "respondent"
    assert (df["respondents"] == 40).all()
    assert df["touchpoint"].iloc[0] == "A"


def test_too_few_respondents_gives_empty_frame_with_reason(ws):
    add_feedback(ws, _wide_records(20, np.random.default_rng(2)))
    df = derived_importance(ws, Filters())
    assert df.empty
    assert "30" in df.attrs["note"] and "20" in df.attrs["note"]


def test_no_outcome_gives_reason(ws):
    add_feedback(ws, [{"metric": "rating", "touchpoint": "A", "value": 3}] * 40)
    df = derived_importance(ws, Filters())
    assert df.empty and "overall score, NPS or CSAT" in df.attrs["note"]


def test_single_touchpoint_falls_back_to_correlation(ws):
    rng = np.random.default_rng(9)
    records = [r for r in _wide_records(60, rng) if r.get("touchpoint") in (None, "A")]
    add_feedback(ws, records)
    df = derived_importance(ws, Filters())
    assert list(df["method"]) == [METHOD_CORR]
    assert df["importance_derived"].iloc[0] == pytest.approx(df["correlation"].iloc[0] ** 2)
    assert "squared correlation" in df.attrs["note"]


def test_collinear_touchpoints_fall_back_to_correlation(ws):
    rng = np.random.default_rng(4)
    records = []
    for i in range(50):
        a = int(rng.integers(1, 6))
        rid = f"r{i}"
        records += [
            {"response_id": rid, "metric": "overall", "value": a},
            {"response_id": rid, "metric": "rating", "touchpoint": "A", "value": a},
            {"response_id": rid, "metric": "rating", "touchpoint": "A copy", "value": a},
        ]
    add_feedback(ws, records)
    df = derived_importance(ws, Filters())
    assert (df["method"] == METHOD_CORR).all()
    assert np.isnan(df["r2"]).all()


def test_touchpoint_filter_keeps_the_outcome(ws):
    add_feedback(ws, _wide_records(80, np.random.default_rng(8)))
    df = derived_importance(ws, Filters(touchpoints=("A", "B")))
    assert set(df["touchpoint"]) == {"A", "B"}
    assert (df["respondents"] == 80).all()


# -- real data --------------------------------------------------------------------

AIRLINE_TOUCHPOINTS = (
    "Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
    "Gate location", "Food and drink", "Online boarding", "Seat comfort",
    "Inflight entertainment", "On-board service", "Leg room service", "Baggage handling",
    "Checkin service", "Inflight service", "Cleanliness",
)  # fmt: skip


def _load_airline(ws, path) -> pd.DataFrame:
    """Canonical rows for the Kaggle airline survey, inserted from a DataFrame in one statement."""
    raw = pd.read_csv(path)
    raw["response_id"] = raw["id"].astype(str)
    ratings = raw.melt(
        id_vars=["response_id"], value_vars=list(AIRLINE_TOUCHPOINTS), var_name="touchpoint"
    )
    ratings = ratings[ratings["value"] > 0]  # 0 = not applicable
    ratings = ratings.assign(metric="rating", scale_min=1.0, scale_max=5.0)
    overall = pd.DataFrame(
        {
            "response_id": raw["response_id"],
            "touchpoint": None,
            "value": (raw["satisfaction"] == "satisfied").astype(float),
            "metric": "overall",
            "scale_min": 0.0,
            "scale_max": 1.0,
        }
    )
    rows = pd.concat([ratings, overall], ignore_index=True)
    rows["value"] = rows["value"].astype(float)
    rows["score"] = (
        (rows["value"] - rows["scale_min"]) / (rows["scale_max"] - rows["scale_min"]) * 100
    )
    rows["source_row"] = np.arange(len(rows), dtype="int64") + 2
    rows["ts"] = datetime(2025, 1, 1)
    select = {
        "import_id": "'airline'", "sheet": "NULL", "source_row": "source_row",
        "response_id": "response_id", "response_key": "dense_rank() OVER (ORDER BY response_id)",
        "id_given": "true", "respondent_id": "NULL", "ts": "ts",
        "stage": "NULL", "touchpoint": "touchpoint", "channel": "NULL",
        "segments": "NULL::MAP(VARCHAR, VARCHAR)", "metric": "metric",
        "raw_value": "CAST(value AS VARCHAR)", "value": "value", "scale_min": "scale_min",
        "scale_max": "scale_max", "score": "score", "comment": "NULL", "language": "NULL",
        "themes": "NULL::VARCHAR[]", "theme_source": "NULL", "extra": "NULL::JSON",
    }  # fmt: skip
    with ws.transaction() as cur:
        cur.register("airline_rows", rows)
        cur.execute(
            f"INSERT INTO feedback ({', '.join(FEEDBACK_COLUMNS)}) "
            f"SELECT {', '.join(select[c] for c in FEEDBACK_COLUMNS)} FROM airline_rows"
        )
        cur.unregister("airline_rows")
    return raw


def test_airline_kaggle_drivers(ws, real_data):
    raw = _load_airline(ws, real_data / "airline_kaggle_test.csv")
    df = derived_importance(ws, Filters())
    assert df.attrs["outcome"] == "overall"
    assert set(df["touchpoint"]) == set(AIRLINE_TOUCHPOINTS)
    assert (df["method"] == METHOD_RW).all()
    assert df["importance_derived"].notna().all()
    assert (df["respondents"] == len(raw)).all()
    assert df["importance_derived"].sum() == pytest.approx(df["r2"].iloc[0], abs=1e-9)
    # n per touchpoint = answers other than 0 (not applicable)
    n = df.set_index("touchpoint")["n"]
    for t in AIRLINE_TOUCHPOINTS:
        assert n[t] == int((raw[t] > 0).sum())
    # Independently: Shapley decomposition of R² over all 2^14 subsets of the pairwise-complete
    # correlation matrix (R²(S) = r_Sᵀ R_SS⁻¹ r_S). Relative weights should agree closely.
    ratings = raw[list(AIRLINE_TOUCHPOINTS)].where(raw[list(AIRLINE_TOUCHPOINTS)] > 0)
    satisfied = (raw["satisfaction"] == "satisfied").astype(float)
    corr = ratings.assign(y=satisfied).corr()
    shapley = pd.Series(
        _shapley_from_corr(
            corr.loc[list(AIRLINE_TOUCHPOINTS), list(AIRLINE_TOUCHPOINTS)].to_numpy(),
            corr.loc[list(AIRLINE_TOUCHPOINTS), "y"].to_numpy(),
        ),
        index=list(AIRLINE_TOUCHPOINTS),
    )
    got = df.set_index("touchpoint")["importance_derived"]
    assert (got - shapley.reindex(got.index)).abs().max() < 0.01
    assert set(df["touchpoint"].iloc[:3]) <= set(shapley.nlargest(5).index)
    # The strongest driver is also the rating most correlated with being satisfied.
    plain = ratings.corrwith(satisfied)
    assert df["touchpoint"].iloc[0] == plain.idxmax() == "Online boarding"
    # The issue asks that the three strongest drivers be among the five strongest by plain
    # correlation. It holds on the airline survey workbook (test above); on this Kaggle split
    # it holds for two of them: the third, Leg room service, ranks 7th by correlation. It
    # overlaps less with the other ratings, so its unique share of R² is larger (Shapley
    # agrees, above). Pinned so a change in the data or method shows.
    top3 = list(df["touchpoint"].iloc[:3])
    outside = [t for t in top3 if t not in set(plain.nlargest(5).index)]
    assert outside == ["Leg room service"]
    assert list(plain.sort_values(ascending=False).index).index("Leg room service") == 6


def test_airline_maven_workbook_drivers(ws, real_data):
    """The issue's check, on the airline survey workbook imported as a user would import it:
    the three strongest drivers are among the five ratings most correlated with being
    satisfied. The correlations are computed here from the workbook itself."""
    path = real_data / "airline_passenger_satisfaction_maven.xlsx"
    loaded = import_file(ws, path, path.name)
    assert loaded.status == "loaded", loaded.message
    raw = pd.read_excel(path, sheet_name="airline_passenger_satisfaction", engine="calamine")
    columns = list(raw.columns)
    rated = columns[columns.index("Departure Delay") + 1 : columns.index("Satisfaction")]
    assert len(rated) == 14
    df = derived_importance(ws, Filters())
    assert df.attrs["outcome"] == "overall"
    assert sorted(df["touchpoint"]) == sorted(rated)
    assert (df["method"] == METHOD_RW).all()
    assert (df["respondents"] == len(raw)).all()
    assert df["importance_derived"].sum() == pytest.approx(df["r2"].iloc[0], abs=1e-9)
    ratings = raw[rated].where(raw[rated] > 0)  # 0 = not applicable
    satisfied = (raw["Satisfaction"] == "Satisfied").astype(float)
    plain = ratings.corrwith(satisfied)
    top3 = list(df["touchpoint"].iloc[:3])
    assert set(top3) <= set(plain.nlargest(5).index), (top3, plain.nlargest(5))
    assert top3[0] == plain.idxmax() == "Online Boarding"


def _shapley_from_corr(R: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Shapley values of R² from a correlation matrix, by brute force over every subset."""
    p = len(r)
    r2 = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r2[mask] = r[idx] @ np.linalg.solve(R[np.ix_(idx, idx)], r[idx])
    size = np.array([bin(m).count("1") for m in range(1 << p)])
    weight = np.array(
        [math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) for k in range(p)]
    )
    out = np.zeros(p)
    for j in range(p):
        without = np.array([m for m in range(1 << p) if not m >> j & 1])
        out[j] = (weight[size[without]] * (r2[without | (1 << j)] - r2[without])).sum()
    return out
