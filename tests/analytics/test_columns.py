"""The column-array helpers the scorecard, journey and KPIs compute with (``metrics.Columns``),
checked against what pandas does for the same operation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxdash.metrics import (
    as_bool,
    as_float,
    as_text,
    columns_of,
    frame_of,
    gather,
    is_in,
    row_lookup,
    sort_order,
)


def test_sort_order_matches_pandas_multi_key_sort_with_missing_last() -> None:
    frame = pd.DataFrame(
        {
            "priority": [2.0, np.nan, 5.0, 2.0, 5.0, np.nan, 2.0],
            "gap": [-1.0, -3.0, -2.0, -1.0, -4.0, np.nan, -5.0],
            "name": ["b", "a", "c", "a", None, "d", "e"],
        }
    )
    want = frame.sort_values(
        ["priority", "gap", "name"], ascending=[False, True, True], kind="mergesort"
    ).index.to_numpy()
    got = sort_order(
        [(frame["priority"], True), (frame["gap"], False), (frame["name"].to_numpy(), False)]
    )
    assert got.tolist() == want.tolist()


def test_sort_order_text_descending_and_nullable_integers() -> None:
    ranks = pd.array([2, None, 1, 2], dtype="Int64")
    names = np.array(["a", "z", "m", "b"], dtype=object)
    # rank ascending (missing last), then name descending
    assert sort_order([(ranks, False), (names, True)]).tolist() == [2, 3, 0, 1]
    assert sort_order([]).tolist() == []


def test_row_lookup_and_gather_fill_what_is_not_found() -> None:
    keys = [("Buy", "Web"), (None, "Store"), ("Buy", "Web")]
    rows = row_lookup(keys, [("Buy", "Web"), ("Use", "App"), (None, "Store")])
    assert rows.tolist() == [0, -1, 1]  # the first of repeated keys; None is a key
    assert gather(np.array([10, 20, 30]), rows, 0).tolist() == [10, 0, 20]
    filled = gather(np.array([1.5, 2.5, 3.5]), rows, np.nan)
    assert filled[0] == 1.5 and np.isnan(filled[1]) and filled[2] == 2.5
    assert gather(np.array([], dtype=float), np.array([-1, -1]), np.nan).shape == (2,)
    assert gather(np.array(["x", "y"], dtype=object), np.array([1, -1]), None).tolist() == [
        "y",
        None,
    ]


def test_conversions_treat_every_kind_of_missing_value_alike() -> None:
    assert np.isnan(as_float(pd.array([1, None], dtype="Int64"))[1])
    assert np.isnan(as_float([1, None])[1])
    assert as_bool(pd.array([True, None], dtype="boolean")).tolist() == [True, False]
    assert as_bool(np.array([True, None], dtype=object)).tolist() == [True, False]
    text = as_text(np.array(["a", None, np.nan, pd.NA], dtype=object))
    assert text.tolist() == ["a", None, None, None]
    assert as_text(pd.Series(["a", None], dtype="str")).tolist() == ["a", None]
    assert is_in(np.array(["share", None, "mean"], dtype=object), ["share", "mean"]).tolist() == [
        True,
        False,
        True,
    ]


def test_columns_round_trip_keeps_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "touchpoint": pd.Series(["A", None], dtype="str"),
            "stage_order": pd.array([1, None], dtype="Int32"),
            "n": np.array([3, 4], dtype="int64"),
            "flag": [True, False],
        }
    )
    columns = columns_of(frame)
    assert columns["touchpoint"].dtype == object and columns["touchpoint"][1] is None
    back = frame_of(columns, list(frame.columns), order=np.array([1, 0]))
    assert str(back["stage_order"].dtype) == "Int32"
    assert back["n"].tolist() == [4, 3] and back["flag"].tolist() == [False, True]
    assert back["touchpoint"].isna().tolist() == [True, False]


@pytest.mark.parametrize("names", [None, ["n"]])
def test_columns_of_selects_columns(names: list[str] | None) -> None:
    frame = pd.DataFrame({"n": [1], "m": [2.0]})
    assert list(columns_of(frame, names)) == (names or ["n", "m"])
