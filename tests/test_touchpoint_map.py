"""Saving the touchpoint map and the brand promise edited in the Data page's tables."""

import pandas as pd
import pytest

from cxdash.errors import CxdashError
from cxdash.touchpoint_map import load_map, load_promise, save_map, save_promise
from cxdash.workspace import Workspace
from tests.helpers import add_feedback, add_touchpoints


def test_saved_map_replaces_the_old_one_and_moves_feedback_stages(ws: Workspace) -> None:
    add_touchpoints(ws, [{"touchpoint": "Call centre", "stage": "Help", "stage_order": 2}])
    add_feedback(ws, [{"metric": "csat", "value": 4, "touchpoint": "call centre", "stage": "Help"}])
    edited = load_map(ws)
    edited.loc[0, "stage"] = "Get help"
    edited.loc[1] = {"touchpoint": "App", "stage": "Join", "stage_order": 1, "provider": "People"}
    assert save_map(ws, edited) == "Saved the touchpoint map: 2 touchpoints over 2 stages."
    assert list(load_map(ws)["touchpoint"]) == ["App", "Call centre"]  # in journey order
    # The map is the truth for stage and spelling of the touchpoints feedback names.
    assert ws.fetchall("SELECT touchpoint, stage FROM feedback") == [("Call centre", "Get help")]


def test_a_bad_map_is_refused_and_the_old_one_kept(ws: Workspace) -> None:
    add_touchpoints(ws, [{"touchpoint": "App", "stage": "Join"}])
    bad = pd.DataFrame({"touchpoint": ["A", "a"], "stage": ["Join", "Join"]})
    with pytest.raises(CxdashError, match="appears twice"):
        save_map(ws, bad)
    with pytest.raises(CxdashError, match="experience provider"):
        save_map(ws, pd.DataFrame({"touchpoint": ["A"], "provider": ["Billboards"]}))
    assert list(load_map(ws)["touchpoint"]) == ["App"]


def test_promise_is_saved_with_its_reasons_in_order(ws: Workspace) -> None:
    reasons = pd.DataFrame(
        {"name": ["Always nearby", " ", "Fair"], "description": ["Close", None, None]}
    )
    assert save_promise(ws, "Cars near you.", "Meaning", reasons) == (
        "Saved the brand promise and 2 reasons to believe."
    )
    saved = load_promise(ws)
    assert (saved["statement"], saved["description"]) == ("Cars near you.", "Meaning")
    assert list(saved["reasons"]["name"]) == ["Always nearby", "Fair"]
    with pytest.raises(CxdashError, match="Write the brand promise"):
        save_promise(ws, "  ", "", reasons)
    assert load_promise(ws)["statement"] == "Cars near you."
