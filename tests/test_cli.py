"""The command line contract: ``python -m cxdash import|imports|undo`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.ingest import badfiles as B
from tests.ingest import messy as M

ROOT = Path(__file__).resolve().parents[1]
RESULT_KEYS = {
    "file",
    "status",
    "import_id",
    "sheet",
    "layout",
    "header_rows",
    "respondents",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "mapping",
    "touchpoints",
    "warnings",
    "errors",
    "message",
}


def cxdash(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "CXDASH_DB"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cxdash", *map(str, args)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def results(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


def test_import_json_reports_every_file(tmp_path: Path, db: Path) -> None:
    good = M.write_validation_xlsx(tmp_path)
    wide = M.write_wide_survey(tmp_path)
    p = cxdash("import", good, wide, "--db", db, "--json")
    assert p.returncode == 0, p.stderr
    first, second = results(p.stdout)
    for r in (first, second):
        assert set(r) >= RESULT_KEYS
        assert r["status"] == "loaded" and r["import_id"]
    assert first["file"] == good.name and first["layout"] == "long"
    assert first["header_rows"] == 1 and first["rows_rejected"] == 6
    assert all({"row", "column", "reason"} <= set(e) for e in first["errors"])
    assert {e["row"] for e in first["errors"]} == {6, 8, 11, 12, 13, 14}
    assert second["layout"] == "wide"
    assert sorted(second["touchpoints"]) == sorted(M.WIDE_TOUCHPOINTS)
    assert second["respondents"] == 20


def test_exit_code_is_1_when_any_file_is_rejected(tmp_path: Path, db: Path) -> None:
    good = M.write_survey_xlsx(tmp_path)
    pdf = B.write_pdf(tmp_path)
    p = cxdash("import", good, pdf, tmp_path / "missing.csv", "--db", db, "--json")
    assert p.returncode == 1
    statuses = [(r["file"], r["status"]) for r in results(p.stdout)]
    assert statuses == [
        (good.name, "loaded"),
        (pdf.name, "rejected"),
        ("missing.csv", "rejected"),
    ]
    messages = [r["message"] for r in results(p.stdout)]
    assert "PDF" in messages[1] and "does not exist" in messages[2]


def test_duplicate_is_not_a_failure(tmp_path: Path, db: Path) -> None:
    good = M.write_survey_xlsx(tmp_path)
    assert cxdash("import", good, "--db", db).returncode == 0
    p = cxdash("import", good, "--db", db, "--json")
    assert p.returncode == 0
    (r,) = results(p.stdout)
    assert r["status"] == "duplicate" and "already imported" in r["message"]


@pytest.mark.parametrize(
    "args",
    [
        ["import"],  # no files
        ["import", "x.csv", "--colour", "red"],  # unknown option
        ["import", "x.csv", "--kind", "survey"],  # bad choice
        ["import", "x.csv", "--map", "no-equals-sign"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(db: Path, args: list[str]) -> None:
    p = cxdash(*args, "--db", db)
    assert p.returncode == 2
    assert "usage:" in p.stderr and "Traceback" not in p.stderr
    assert not db.exists()  # nothing was opened or created


def test_options_reach_the_importer(tmp_path: Path, db: Path) -> None:
    path = M.write_many_sheets(tmp_path, second_data=True)
    p = cxdash(
        "import",
        path,
        "--db",
        db,
        "--sheet",
        "Responses 2024",
        "--map",
        "Channel=segment",
        "--kind",
        "feedback",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    (r,) = results(p.stdout)
    assert r["sheet"] == "Responses 2024" and r["respondents"] == 5
    assert r["mapping"]["segments"] == ["Channel"]


def test_reverse_ces_flag(tmp_path: Path, db: Path) -> None:
    path = M.write_scale_survey(tmp_path, "CES", [1, 7])
    p = cxdash("import", path, "--db", db, "--reverse-ces", "--json")
    assert p.returncode == 0, p.stderr
    p = cxdash("imports", "--db", db, "--json")
    (listed,) = json.loads(p.stdout)
    assert listed["rows_loaded"] == 2
    from cxdash.workspace import Workspace

    with Workspace(db) as ws:
        assert dict(ws.fetchall("SELECT raw_value, value FROM feedback")) == {"1": 7.0, "7": 1.0}


def test_imports_and_undo(tmp_path: Path, db: Path) -> None:
    empty = cxdash("imports", "--db", db)
    assert empty.returncode == 0 and "No imports yet." in empty.stdout

    out = cxdash("import", M.write_survey_xlsx(tmp_path), "--db", db, "--json").stdout
    import_id = results(out)[0]["import_id"]
    listed = json.loads(cxdash("imports", "--db", db, "--json").stdout)
    assert [(x["import_id"], x["file_name"], x["undone_at"]) for x in listed] == [
        (import_id, "survey.xlsx", None)
    ]
    assert isinstance(listed[0]["mapping"], dict) and listed[0]["mapping"]["csat"] == "CSAT"
    table = cxdash("imports", "--db", db)
    assert import_id in table.stdout and "survey.xlsx" in table.stdout

    undo = cxdash("undo", import_id, "--db", db)
    assert undo.returncode == 0 and f"Undid import {import_id}" in undo.stdout
    again = cxdash("undo", import_id, "--db", db)
    assert again.returncode == 1
    assert "already undone" in again.stderr and "Traceback" not in again.stderr
    unknown = cxdash("undo", "nope", "--db", db)
    assert unknown.returncode == 1 and "no import with id nope" in unknown.stderr
    listed = json.loads(cxdash("imports", "--db", db, "--json").stdout)
    assert listed[0]["undone_at"] is not None


def test_cxdash_db_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "from_env.duckdb"
    p = cxdash("import", M.write_survey_xlsx(tmp_path), "--json", env={"CXDASH_DB": str(db)})
    assert p.returncode == 0, p.stderr
    assert db.exists()
    listed = json.loads(cxdash("imports", "--json", env={"CXDASH_DB": str(db)}).stdout)
    assert len(listed) == 1
    other = tmp_path / "flag.duckdb"
    cxdash("imports", "--db", other, env={"CXDASH_DB": str(db)})
    assert other.exists()  # --db wins over the variable


def test_bad_files_print_sentences_not_tracebacks(tmp_path: Path, db: Path) -> None:
    files = [
        B.write_pdf(tmp_path),
        B.write_truncated_xlsx(tmp_path),
        B.write_encrypted_xlsx(tmp_path),
        B.write_empty_workbook(tmp_path),
        B.write_binary_garbage(tmp_path),
    ]
    p = cxdash("import", *files, "--db", db)
    assert p.returncode == 1
    assert "Traceback" not in p.stdout + p.stderr
    lines = [line for line in p.stdout.splitlines() if line.startswith("REJECTED")]
    assert len(lines) == len(files)
    for path, line in zip(files, lines, strict=True):
        assert path.name in line and line.rstrip().endswith(".")
