"""``response_key``: one integer per response (import id + response id), never shared."""

from __future__ import annotations

from pathlib import Path

from cxdash.ingest.load import import_file
from cxdash.workspace import Workspace
from tests.helpers import add_feedback

BANK = "bank_digital_journey_survey_SYNTHETIC_ArtemisZisimou.xlsx"


def key_problems(ws: Workspace) -> list[tuple[object, ...]]:
    """Keys shared by two responses, and responses split over two keys."""
    return ws.fetchall(
        """
        SELECT 'key', response_key FROM feedback
        GROUP BY response_key HAVING count(DISTINCT (import_id, response_id)) > 1
        UNION ALL
        SELECT 'response', import_id || '/' || response_id FROM feedback
        GROUP BY import_id, response_id HAVING count(DISTINCT response_key) > 1
        """
    )


def test_two_imports_with_the_same_ids_get_different_keys(ws: Workspace, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("Response ID,Touchpoint,CSAT,CES\nA,Booking,5,6\nB,Pickup,4,\nC,Booking,2,3\n")
    second = tmp_path / "other.csv"  # another layout: its ids are other responses
    second.write_text("Response ID,Channel,CSAT\nA,App,5\nB,Web,1\n")
    for path in (first, second):
        assert import_file(ws, path).status == "loaded"
    assert key_problems(ws) == []
    assert ws.fetchall("SELECT count(DISTINCT response_key) FROM feedback")[0][0] == 5


def test_a_multi_sheet_workbook_and_another_import_never_share_keys(
    ws: Workspace, real_data: Path, tmp_path: Path
) -> None:
    result = import_file(ws, real_data / BANK)
    assert result.status == "loaded", result.message
    assert len(result.sheets) > 1
    extra = tmp_path / "more.csv"
    extra.write_text("Response ID,NPS\n1,9\n2,3\n")
    assert import_file(ws, extra).status == "loaded"
    assert key_problems(ws) == []
    responses = ws.fetchall(
        "SELECT count(DISTINCT response_key), count(DISTINCT (import_id, response_id)) "
        "FROM feedback"
    )[0]
    assert responses[0] == responses[1] > 2


def test_helper_keys_continue_after_the_workspace_and_reuse_a_known_response(
    ws: Workspace,
) -> None:
    add_feedback(ws, [{"metric": "nps", "value": 9, "response_id": "r1"}] * 2)
    add_feedback(
        ws,
        [
            {"metric": "csat", "value": 4, "response_id": "r1"},
            {"metric": "csat", "value": 2, "response_id": "r2"},
        ],
    )
    add_feedback(ws, [{"metric": "nps", "value": 1, "response_id": "r1"}], import_id="other")
    assert key_problems(ws) == []
    keys = dict(
        ws.fetchall(
            "SELECT import_id || '/' || response_id, any_value(response_key) FROM feedback "
            "GROUP BY ALL"
        )
    )
    assert keys == {"test/r1": 1, "test/r2": 2, "other/r1": 3}
