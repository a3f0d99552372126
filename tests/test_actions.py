from datetime import date

import pytest

from cxdash.actions import add_action, list_actions, set_status
from cxdash.errors import CxdashError
from cxdash.workspace import Workspace


def test_actions_are_stored_listed_and_closed(ws: Workspace) -> None:
    later = add_action(
        ws,
        "Add a callback option",
        touchpoint="Call centre",
        owner="Customer service",
        due=date(2026, 12, 15),
        view="stage=Get+help",
    )
    sooner = add_action(
        ws, "  Show fees before booking  ", touchpoint="Payment and charges", due=date(2026, 12, 1)
    )
    undated = add_action(ws, "Review the loyalty scheme")
    actions = list_actions(ws)
    assert list(actions["action_id"]) == [sooner, later, undated]  # open first, by due date
    assert actions.set_index("action_id").loc[sooner, "text"] == "Show fees before booking"
    assert actions.set_index("action_id").loc[later, "view"] == "stage=Get+help"
    set_status(ws, sooner, "done")
    assert list(list_actions(ws, status="open")["action_id"]) == [later, undated]
    assert list(list_actions(ws)["action_id"])[-1] == sooner  # done ones last


def test_bad_actions_are_refused_with_a_sentence(ws: Workspace) -> None:
    with pytest.raises(CxdashError, match="needs a sentence"):
        add_action(ws, "   ")
    with pytest.raises(CxdashError, match="no action"):
        set_status(ws, "nope", "done")
    with pytest.raises(CxdashError, match="open or done"):
        set_status(ws, add_action(ws, "x"), "maybe")


def test_actions_survive_reopening_the_workspace(tmp_path) -> None:
    with Workspace(tmp_path / "a.duckdb") as ws:
        add_action(ws, "Fix the invoice layout", touchpoint="Monthly invoice")
    with Workspace(tmp_path / "a.duckdb") as ws:
        assert list(list_actions(ws)["touchpoint"]) == ["Monthly invoice"]
