"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxdash.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
# shared/ sits beside the repository, both here and in CI's fresh clone.
REAL_DATA = ROOT.parent / "shared" / "real-data"


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"real data folder missing in CI: {REAL_DATA}")
        pytest.skip(f"real data folder not found: {REAL_DATA}")
    return REAL_DATA


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A fresh, empty workspace in a temporary folder."""
    w = Workspace(tmp_path / "ws.duckdb")
    yield w
    w.close()
