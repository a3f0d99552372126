from datetime import date

import pytest

from cxdash.filters import Filters
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints


def test_empty_filters_are_true():
    assert Filters().to_sql() == ("TRUE", [])
    assert Filters().is_empty
    assert Filters(min_n=50).is_empty


def test_selections_are_normalised_and_hashable():
    a = Filters(stages=["Join", "Discover", "Join"], segments={"Region": ["South"]}.items())
    b = Filters(stages=("Discover", "Join"), segments=(("Region", ("South",)),))
    assert a == b and hash(a) == hash(b)
    assert {a: 1}[b] == 1


def test_values_are_bound_never_formatted():
    evil = "x'); DROP TABLE feedback; --"
    sql, params = Filters(stages=[evil], segments=((evil, (evil,)),)).to_sql("f")
    assert evil not in sql
    assert params.count(evil) == 3


def test_url_round_trip():
    f = Filters(
        stages=["Join"],
        themes=["trust", "convenience"],
        channels=["App"],
        segments={"Region": ["North", "South"], "Plan": ["Monthly"]}.items(),
        date_from=date(2025, 1, 1),
        date_to=date(2025, 3, 31),
        min_n=50,
        languages=["vi"],
        providers=["People"],
        touchpoints=["Sign-up form"],
    )
    assert Filters.from_query_params(f.to_query_params()) == f
    assert Filters.from_query_params({}) == Filters()


def test_malformed_url_values_are_ignored():
    f = Filters.from_query_params({"from": "yesterday", "min_n": "lots", "seg": ["nocolon"]})
    assert f == Filters()


def test_reversed_dates_are_swapped():
    f = Filters(date_from=date(2025, 5, 1), date_to=date(2025, 1, 1))
    assert f.date_from == date(2025, 1, 1) and f.date_to == date(2025, 5, 1)


@pytest.fixture
def small(ws: Workspace) -> Workspace:
    add_touchpoints(
        ws,
        [
            {"touchpoint": "App", "provider": "Websites and electronic media"},
            {"touchpoint": "Desk", "provider": "People"},
        ],
    )
    add_feedback(
        ws,
        [
            {
                "metric": "csat",
                "value": 5,
                "stage": "Join",
                "touchpoint": "App",
                "channel": "App",
                "themes": ["trust"],
                "segments": {"Region": "North"},
                "language": "en",
                "ts": date(2025, 1, 31),
            },
            {
                "metric": "csat",
                "value": 1,
                "stage": "Help",
                "touchpoint": "Desk",
                "channel": "Store",
                "themes": ["convenience", "respect"],
                "segments": {"Region": "South"},
                "language": "vi",
                "ts": date(2025, 2, 1),
            },
        ],
    )
    return ws


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), [1.0, 5.0]),
        (Filters(stages=["Join"]), [5.0]),
        (Filters(channels=["Store"]), [1.0]),
        (Filters(providers=["People"]), [1.0]),
        (Filters(themes=["respect", "identity"]), [1.0]),
        (Filters(languages=["en"]), [5.0]),
        (Filters(segments={"Region": ["North"]}.items()), [5.0]),
        (Filters(date_to=date(2025, 1, 31)), [5.0]),  # inclusive end date
        (Filters(date_from=date(2025, 2, 1)), [1.0]),
        (Filters(stages=["Join"], channels=["Store"]), []),
    ],
)
def test_filters_select_rows(small: Workspace, filters: Filters, expected: list[float]):
    where, params = filters.to_sql("f")
    rows = small.fetchall(f"SELECT value FROM feedback f WHERE {where} ORDER BY value", params)
    assert [r[0] for r in rows] == expected
