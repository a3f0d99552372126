"""First start: a workspace that has never held data gets the bundled sample data.

So the app never opens empty. It happens once per workspace: after a user
undoes or replaces the sample, it is not loaded again.
"""

from __future__ import annotations

from pathlib import Path

from cxdash.ingest.load import ImportResult, import_file
from cxdash.workspace import Workspace

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
# The touchpoint map first, so feedback rows pick up its journey stages as they load.
SAMPLE_FILES = ("touchpoint_map.xlsx", "journey_survey.xlsx", "transactional_feedback.xlsx")
_FLAG = "sample_offered"


def ensure_sample_data(ws: Workspace, folder: Path = SAMPLE_DIR) -> list[ImportResult]:
    """Load the sample workbooks into a brand-new workspace; do nothing otherwise."""
    if (
        ws.setting(_FLAG, False)
        or not ws.is_empty()
        or ws.fetchall("SELECT 1 FROM imports LIMIT 1")
    ):
        return []
    results = [
        import_file(ws, folder / name, name) for name in SAMPLE_FILES if (folder / name).exists()
    ]
    ws.set_setting(_FLAG, True)
    return results
