"""Streamlit AppTest over every page: sample data, empty workspace, filters, URL round trip, import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxdash.starter import ensure_sample_data
from cxdash.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "pages/promise.py",
    "pages/journey.py",
    "pages/touchpoints.py",
    "pages/themes.py",
    "pages/data.py",
    "pages/map.py",
]
TIMEOUT = 60


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the bundled sample data, built once per test session."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with Workspace(path) as ws:
        results = ensure_sample_data(ws)
    assert [r.status for r in results] == ["loaded"] * 3
    return path


@pytest.fixture
def sample_ws(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample workspace, used by the app through CXDASH_DB."""
    path = tmp_path / "ws.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("CXDASH_DB", str(path))
    return path


@pytest.fixture
def empty_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace that is empty and stays empty (the sample was already offered once)."""
    path = tmp_path / "empty.duckdb"
    with Workspace(path) as ws:
        ws.set_setting("sample_offered", True)
    monkeypatch.setenv("CXDASH_DB", str(path))
    return path


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def run_page(at: AppTest, page: str) -> AppTest:
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_sample_data(sample_ws: Path, page: str) -> None:
    at = run_page(app(), page)
    assert at.title, "every page has a title"
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_workspace(empty_ws: Path, page: str) -> None:
    at = run_page(app(), page)
    if page not in ("pages/data.py", "pages/map.py"):
        assert any("No responses match" in i.value or "No comments" in i.value for i in at.info)


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_promise_page_shows_kpis_with_n_and_the_weakest_touchpoints(sample_ws: Path) -> None:
    at = run_page(app(), PAGES[0])
    assert at.title[0].value.startswith("A clean, ready car near you")
    labels = [m.label for m in at.metric]
    assert any(label.startswith("NPS") for label in labels) and any(
        label.startswith("CSAT") for label in labels
    )
    captions = " ".join(c.value for c in at.caption)
    assert "n = 19,420" in captions  # NPS answers in the sample (wide + transactional)
    table = " ".join(m.value for m in at.markdown)
    for weak in ("Car availability nearby", "Call centre", "Payment and charges"):
        assert weak in table


def test_filter_widgets_change_the_figures(sample_ws: Path) -> None:
    at = run_page(app(), PAGES[0])
    before = _metric(at, "CSAT")
    at.multiselect(key="f_stage").set_value(["Get help"]).run()
    assert not at.exception
    after = _metric(at, "CSAT")
    assert before != after
    assert at.query_params.get("stage") in ("Get help", ["Get help"])


def test_url_round_trip_restores_filters(sample_ws: Path) -> None:
    at = app()
    at.query_params["stage"] = ["Find a car", "Drive"]
    at.query_params["theme"] = "convenience"
    at.query_params["from"] = "2026-01-01"
    at.run()
    assert not at.exception
    assert sorted(at.multiselect(key="f_stage").value) == ["Drive", "Find a car"]
    assert at.multiselect(key="f_theme").value == ["convenience"]
    assert at.date_input(key="f_dates").value[0].isoformat() == "2026-01-01"
    # A stale link (a stage that does not exist) is ignored, not an error.
    at2 = app()
    at2.query_params["stage"] = "No such stage"
    at2.run()
    assert not at2.exception and at2.multiselect(key="f_stage").value == []


def test_clear_filters_resets_everything(sample_ws: Path) -> None:
    at = run_page(app(), PAGES[0])
    at.multiselect(key="f_channel").set_value(["App"]).run()
    at.button(key="clear_filters").click().run()
    assert at.multiselect(key="f_channel").value == []
    assert "channel" not in at.query_params


def test_touchpoint_detail_opens_from_the_url(sample_ws: Path) -> None:
    at = app()
    at.query_params["tp"] = "Call centre"
    at.run()
    at.switch_page("pages/touchpoints.py").run()
    assert not at.exception
    assert any(h.value == "Call centre" for h in at.header)
    assert any(m.label == "Gap" for m in at.metric)


def test_themes_page_lists_comments_with_masked_personal_data(sample_ws: Path) -> None:
    at = run_page(app(), "pages/themes.py")
    at.text_input(key="verbatim_search").set_value("@").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "@example.com" not in shown


def test_import_flow_with_a_real_file(sample_ws: Path, real_data: Path) -> None:
    at = run_page(app(), "pages/data.py")
    content = (real_data / "skytrax_british_airways_reviews.csv").read_bytes()
    at.file_uploader[0].set_value(
        ("skytrax_british_airways_reviews.csv", content, "text/csv")
    ).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    go = next(b for b in at.button if b.label.startswith("Import "))
    go.click().run()
    assert not at.exception
    assert any("Loaded 3,701 responses" in s.value for s in at.success)
    with Workspace(sample_ws) as ws:
        n = ws.fetchall(
            "SELECT count(DISTINCT response_id) FROM feedback f JOIN imports i USING (import_id)"
            " WHERE i.file_name = 'skytrax_british_airways_reviews.csv'"
        )[0][0]
    assert n == 3701


def test_a_bad_upload_gets_a_sentence_not_a_traceback(sample_ws: Path) -> None:
    at = run_page(app(), "pages/data.py")
    at.file_uploader[0].set_value(
        ("report.xlsx", b"%PDF-1.7\n%binary junk", "application/pdf")
    ).run()
    assert not at.exception
    assert any("not a spreadsheet" in e.value for e in at.error)


def test_review_lets_the_user_move_the_header(sample_ws: Path) -> None:
    at = run_page(app(), "pages/data.py")
    content = (ROOT / "sample_data" / "journey_survey.xlsx").read_bytes()
    at.file_uploader[0].set_value(
        ("journey_survey.xlsx", content, "application/vnd.ms-excel")
    ).run()
    summary = at.dataframe[0].value
    assert summary.loc[0, "sheet"] == "Responses" and summary.loc[0, "header rows"] == 1
    assert summary.loc[0, "first data row"] == 5 and summary.loc[0, "rows"] == 8000
    header_row = next(n for n in at.number_input if n.label == "Header starts on row")
    assert header_row.value == 4  # two title rows and a blank row above the header
    header_row.set_value(5).run()
    assert not at.exception
    moved = at.dataframe[0].value
    assert moved.loc[0, "first data row"] == 6 and moved.loc[0, "rows"] == 7999


def test_an_action_captured_on_a_touchpoint_shows_on_the_promise_page(sample_ws: Path) -> None:
    at = app()
    at.query_params["tp"] = "Call centre"
    at.query_params["stage"] = "Get help"
    at.run()
    at.switch_page("pages/touchpoints.py").run()
    form = at.get("form")[0]
    form.text_input[0].set_value("Offer a callback instead of the queue")
    form.button[0].click().run()
    assert not at.exception
    assert any("Saved" in s.value for s in at.success)
    at.switch_page("pages/promise.py").run()
    shown = at.dataframe[-1].value
    assert list(shown["text"]) == ["Offer a callback instead of the queue"]
    assert list(shown["touchpoint"]) == ["Call centre"]
    assert list(shown["owner"]) == ["Customer service"]  # the touchpoint's owner by default


def test_a_link_with_dates_outside_the_data_is_clamped_not_an_error(sample_ws: Path) -> None:
    at = app()
    at.query_params["from"] = "2020-01-01"
    at.query_params["to"] = "2030-12-31"
    at.run()
    assert not at.exception
    start, end = at.date_input(key="f_dates").value
    assert (start.isoformat(), end.isoformat()) == ("2025-05-01", "2026-10-31")
