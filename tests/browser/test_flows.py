"""The main flows in a real browser: pages open, sidebar filters, chart click, upload, shared link.

Each test drives the running app as a user would (sidebar navigation, typing into the
filter boxes, clicking a chart row, uploading a workbook) and asserts what the user sees.
Expected figures come from the cxdash library run on the same sample workspace, so the
test checks that the page shows what the analysis says, not a number copied from a run.
Screenshots go to ``test-artifacts/screenshots/<test>[-step][-tall].png``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import Workbook

from cxdash.filters import Filters
from cxdash.metrics import kpis
from cxdash.promise import promise_statement, scorecard
from cxdash.workspace import Workspace

from .conftest import ACTION_TIMEOUT_MS, AppServer

try:
    from playwright.sync_api import BrowserContext, Locator, Page, expect
except ImportError:
    if os.environ.get("CXDASH_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser
expect.set_options(timeout=ACTION_TIMEOUT_MS)  # generous: a cold query can take seconds

# Menu entry -> page title and URL path.
PAGE_TITLES = {
    "Journey": ("Customer journey", "journey"),
    "Touchpoints": ("Touchpoints", "touchpoints"),
    "Themes": ("Experience themes", "themes"),
    "Data": ("Data", "data"),
    "Map & promise": ("Map & promise", "map"),
}
KPI_LABELS = ("NPS", "CSAT", "CES", "Overall")
# A combination of filters with plenty of CSAT answers in the bundled sample.
STAGE, THEME, CHANNEL = "Find a car", "convenience", "App"


# -- waiting ------------------------------------------------------------------------------------


def wait_idle(page: Page) -> None:
    """Wait until the script run that an interaction started has finished."""
    page.wait_for_timeout(300)  # small settle delay: the rerun request goes out asynchronously
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=ACTION_TIMEOUT_MS
    )
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(
        0, timeout=ACTION_TIMEOUT_MS
    )


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=ACTION_TIMEOUT_MS)
    wait_idle(page)


def go_to(page: Page, nav_label: str) -> None:
    """Click a page in the sidebar navigation."""
    menu = page.locator('[data-testid="stSidebar"] a')  # the app draws its own page links
    menu.filter(has_text=re.compile(rf"{re.escape(nav_label)}\s*$")).click()
    wait_idle(page)


def expect_title(page: Page, title: str) -> None:
    expect(page.locator("h1").first).to_have_text(title, timeout=ACTION_TIMEOUT_MS)


def expect_no_error(page: Page) -> None:
    """No exception box and no red error message anywhere on the page."""
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)


# -- sidebar filters ----------------------------------------------------------------------------


def filter_box(page: Page, label: str) -> Locator:
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )


def choose(page: Page, label: str, option: str) -> None:
    """Type an option's name into a sidebar multiselect and press Enter, as a user would.

    The whole name is typed: Streamlit matches loosely (letters in order), and Enter on a
    partial word picks every match ("Get" also finds "Manage account").
    """
    before = chosen(page, label)
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    box.press("Enter")
    box.press("Escape")
    wait_idle(page)
    expect(filter_box(page, label).locator("[data-tag]")).to_have_count(len(before) + 1)
    assert chosen(page, label) == [*before, option]


def chosen(page: Page, label: str) -> list[str]:
    """The values shown as tags in a sidebar multiselect."""
    return [
        tag.get_attribute("aria-label") or ""
        for tag in filter_box(page, label).locator("[data-tag]").all()
    ]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


# -- Promise page KPI tiles ---------------------------------------------------------------------


def kpi_tiles(page: Page) -> Locator:
    """The headline KPI tiles: columns holding a metric and its "n = " caption."""
    return (
        page.locator('[data-testid="stMain"] [data-testid="stColumn"]')
        .filter(has=page.locator('[data-testid="stMetric"]'))
        .filter(has_text="n = ")
    )


def kpi_tile(page: Page, kpi: str) -> Locator:
    label = page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^{kpi}\b"))
    return kpi_tiles(page).filter(has=label)


def tile_n(page: Page, kpi: str) -> int:
    text = kpi_tile(page, kpi).inner_text()
    found = re.search(r"n = ([\d,]+)", text)
    assert found, f"no 'n = ' on the {kpi} tile: {text!r}"
    return int(found.group(1).replace(",", ""))


def tile_value(page: Page, kpi: str) -> str:
    return kpi_tile(page, kpi).locator('[data-testid="stMetricValue"]').inner_text().strip()


def expected_kpis(db: Path, filters: Filters) -> dict[str, int]:
    """``n`` per KPI according to the library, on the (unserved) sample workspace."""
    with Workspace(db, read_only=True) as ws:
        frame = kpis(ws, filters)
    return {str(k): int(n) for k, n in zip(frame["kpi"], frame["n"], strict=True)}


# -- Touchpoints page ---------------------------------------------------------------------------


def gap_chart_labels(page: Page) -> Locator:
    """The touchpoint names on the gap chart's y axis (the x axis labels are numbers)."""
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart.locator("svg")).to_be_visible()
    return chart.locator("svg g.role-axis-label text").filter(has_text=re.compile(r"[A-Za-z]"))


def click_gap_chart_row(page: Page, index: int) -> str:
    """Click the row of the ``index``-th touchpoint in the gap chart; returns its name."""
    labels = gap_chart_labels(page)
    expect(labels.nth(index)).to_be_visible()
    names = [t.strip() for t in labels.all_text_contents()]
    candidates = [i for i, name in enumerate(names) if not name.endswith("…")]
    assert index in candidates, f"label {index} is cut off or missing: {names}"
    label = labels.nth(index)
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    assert box is not None
    # Just right of the y axis the row holds only its (clickable) highlight bar.
    page.mouse.click(box["x"] + box["width"] + 25, box["y"] + box["height"] / 2)
    wait_idle(page)
    return names[index]


def expect_touchpoint_detail(page: Page, touchpoint: str) -> None:
    expect(page.get_by_role("heading", level=2, name=touchpoint, exact=True)).to_be_visible()
    for metric in ("Gap", "Responses"):
        label = page.locator('[data-testid="stMetricLabel"]').filter(
            has_text=re.compile(rf"^{metric}")
        )
        expect(label).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Trend", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Comments", exact=True)).to_be_visible()


def detail_metrics(page: Page) -> dict[str, str]:
    """Label -> value of the detail's metric row (Score, Promise target, Gap, Responses)."""
    out = {}
    for metric in page.locator('[data-testid="stMain"] [data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def touchpoint_facts(db: Path, filters: Filters, touchpoint: str) -> dict[str, object]:
    with Workspace(db, read_only=True) as ws:
        card = scorecard(ws, filters).set_index("touchpoint")
    row = card.loc[touchpoint]
    return {"owner": row["owner"], "n": int(row["n"])}


# -- Data page ----------------------------------------------------------------------------------


def table_rows(table: Locator) -> list[dict[str, str]]:
    """Rows of a Streamlit dataframe, from the grid's accessible table (the cells are drawn)."""
    headers = [h.strip() for h in table.locator('[role="columnheader"]').all_text_contents()]
    rows = []
    for row in table.locator('[role="row"]').all():
        cells = [c.strip() for c in row.locator('[role="gridcell"]').all_text_contents()]
        if cells:
            rows.append(dict(zip(headers[-len(cells) :], cells, strict=True)))
    return rows


def directional_note(page: Page) -> str:
    return page.get_by_text("Figures from fewer than").inner_text().strip()


# -- the flows ----------------------------------------------------------------------------------


def test_every_page_opens(
    page: Page, app_server: AppServer, sample_workspace: Path, screenshot: Callable[..., Path]
) -> None:
    with Workspace(sample_workspace, read_only=True) as ws:
        statement = promise_statement(ws)["statement"]
    open_app(page, app_server.url)
    expect_title(page, statement)
    expect_no_error(page)
    expect(kpi_tiles(page)).to_have_count(4)
    for kpi in KPI_LABELS:
        assert tile_value(page, kpi) != "–", f"the {kpi} tile shows no figure"
    screenshot(page, tall=True, step="promise")

    for nav, (title, path) in PAGE_TITLES.items():
        go_to(page, nav)
        expect_title(page, title)
        assert urlparse(page.url).path == f"/{path}"
        expect_no_error(page)
        if nav == "Data":
            expect(page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible()
        elif nav == "Map & promise":
            expect(page.get_by_role("button", name="Save touchpoint map")).to_be_visible()
        else:
            charts = page.locator('[data-testid="stVegaLiteChart"] svg')
            expect(charts.first).to_be_visible()
            expect(page.get_by_text("No responses match these filters.")).to_have_count(0)
        screenshot(page, tall=True, step=path)


def test_sidebar_filters_change_figures_and_follow_navigation(
    page: Page, app_server: AppServer, sample_workspace: Path, screenshot: Callable[..., Path]
) -> None:
    open_app(page, app_server.url)
    before = tile_n(page, "CSAT")
    assert before == expected_kpis(sample_workspace, Filters())["csat"]
    note = directional_note(page)
    assert f"fewer than {Filters().min_n} responses" in note

    choose(page, "Journey stage", STAGE)
    choose(page, "Experience theme", THEME.capitalize())
    choose(page, "Channel", CHANNEL)

    expected = expected_kpis(
        sample_workspace, Filters(stages=(STAGE,), themes=(THEME,), channels=(CHANNEL,))
    )
    expect(kpi_tile(page, "CSAT")).to_contain_text(f"n = {expected['csat']:,}")
    assert tile_n(page, "CSAT") != before
    params = query(page)
    assert params.get("stage") == [STAGE]
    assert params.get("theme") == [THEME]
    assert params.get("channel") == [CHANNEL]
    screenshot(page, tall=True, step="promise")

    go_to(page, "Journey")
    expect_title(page, PAGE_TITLES["Journey"][0])
    expect_no_error(page)
    assert chosen(page, "Journey stage") == [STAGE]
    assert chosen(page, "Experience theme") == [THEME.capitalize()]
    assert chosen(page, "Channel") == [CHANNEL]
    assert directional_note(page) == note  # the other settings survive the page change too
    params = query(page)
    assert urlparse(page.url).path == "/journey"
    assert params == {"stage": [STAGE], "theme": [THEME], "channel": [CHANNEL]}
    screenshot(page, tall=True, step="journey")


def test_clicking_a_touchpoint_opens_its_detail(
    page: Page, app_server: AppServer, sample_workspace: Path, screenshot: Callable[..., Path]
) -> None:
    open_app(page, f"{app_server.url}/touchpoints")
    expect_title(page, PAGE_TITLES["Touchpoints"][0])
    assert "tp" not in query(page)
    expect(page.get_by_role("heading", level=3, name="Trend", exact=True)).to_have_count(0)

    touchpoint = click_gap_chart_row(page, 2)

    expect_touchpoint_detail(page, touchpoint)
    facts = touchpoint_facts(sample_workspace, Filters(), touchpoint)
    expect(page.get_by_text(f"Owner: {facts['owner']}")).to_be_visible()
    responses = detail_metrics(page)["Responses"]
    assert responses.startswith(f"{facts['n']:,}"), responses
    expect(page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')).to_have_count(4)
    assert query(page).get("tp") == [touchpoint]
    expect_no_error(page)
    screenshot(page, tall=True, at=page.get_by_role("heading", level=2, name=touchpoint))


def write_kiosk_workbook(path: Path, rows: int, start: date) -> Path:
    """A small feedback export with a channel the sample does not have."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Kiosk survey"
    sheet.append(["Response ID", "Date", "Touchpoint", "Channel", "CSAT (1-5)", "Comment"])
    comments = (
        "Quick and easy check-in at the kiosk.",
        "The kiosk screen was slow to respond.",
        "Staff helped me when the kiosk froze.",
        "Found the kiosk easily, great location.",
    )
    for i in range(rows):
        sheet.append(
            [
                f"K-{i + 1:03d}",
                start + timedelta(days=i % 20),
                "Kiosk check-in",
                "Kiosk",
                1 + (i * 3) % 5,
                comments[i % len(comments)],
            ]
        )
    book.save(path)
    return path


def test_upload_adds_a_new_channel(
    page: Page,
    private_app_server: AppServer,
    sample_workspace: Path,
    tmp_path: Path,
    screenshot: Callable[..., Path],
) -> None:
    # A fresh export: its days come after the sample's, so the date filter must take them in.
    with Workspace(sample_workspace, read_only=True) as ws:
        last_day = ws.fetchall("SELECT max(ts)::DATE FROM feedback")[0][0]
    upload = write_kiosk_workbook(
        tmp_path / "kiosk_feedback.xlsx", rows=40, start=last_day + timedelta(days=2)
    )
    open_app(page, f"{private_app_server.url}/data")
    expect_title(page, PAGE_TITLES["Data"][0])

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(upload)
    wait_idle(page)
    expect(page.get_by_role("heading", level=3, name=upload.name)).to_be_visible()
    expect(page.get_by_text("Columns in 'Kiosk survey'")).to_be_visible()
    summary = page.locator('[data-testid="stDataFrame"]').first
    expect(summary.locator('[role="gridcell"]').first).to_be_attached()
    detected = table_rows(summary)
    assert len(detected) == 1, detected
    assert {k: detected[0].get(k) for k in ("sheet", "reads as", "layout", "rows")} == {
        "sheet": "Kiosk survey",
        "reads as": "feedback",
        "layout": "long",
        "rows": "40",
    }
    import_button = page.get_by_role("button", name=f"Import {upload.name}", exact=True)
    expect(import_button).to_be_visible()
    expect_no_error(page)
    screenshot(page, tall=True, step="review")

    import_button.click()
    wait_idle(page)
    success = page.locator('[data-testid="stAlertContentSuccess"]').first
    expect(success).to_be_visible()
    expect(success).to_contain_text("40")
    expect_no_error(page)
    screenshot(page, step="imported")

    go_to(page, "Promise")
    choose(page, "Channel", "Kiosk")
    expect(kpi_tile(page, "CSAT")).to_contain_text("n = 40")
    params = query(page)
    assert params.get("channel") == ["Kiosk"]
    assert "from" not in params and "to" not in params, "the new days are filtered out"
    expect_no_error(page)
    screenshot(page, tall=True)
    # ... and in the charts: the new touchpoint has its row in the gap chart.
    go_to(page, "Touchpoints")
    gap_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(gap_chart.locator("svg text", has_text="Kiosk check-in").first).to_be_visible()
    expect_no_error(page)
    screenshot(page, step="touchpoints")


def test_copied_link_reopens_the_same_view(
    page: Page,
    app_server: AppServer,
    sample_workspace: Path,
    new_context: Callable[[], BrowserContext],
    screenshot: Callable[..., Path],
) -> None:
    open_app(page, f"{app_server.url}/touchpoints")
    choose(page, "Journey stage", "Get help")
    choose(page, "Experience theme", "Convenience")
    touchpoint = click_gap_chart_row(page, 1)
    expect_touchpoint_detail(page, touchpoint)
    link = page.url
    shown = {
        label: chosen(page, label) for label in ("Journey stage", "Experience theme", "Channel")
    }
    assert shown == {
        "Journey stage": ["Get help"],
        "Experience theme": ["Convenience"],
        "Channel": [],
    }
    figures = detail_metrics(page)
    facts = touchpoint_facts(
        sample_workspace, Filters(stages=("Get help",), themes=("convenience",)), touchpoint
    )
    assert figures["Responses"].startswith(f"{facts['n']:,}"), figures
    assert query(page) == {"stage": ["Get help"], "theme": ["convenience"], "tp": [touchpoint]}
    screenshot(page, step="original", at=page.get_by_role("heading", level=2, name=touchpoint))

    other = new_context().new_page()
    open_app(other, link)
    expect_touchpoint_detail(other, touchpoint)
    assert {label: chosen(other, label) for label in shown} == shown
    assert detail_metrics(other) == figures
    assert query(other) == query(page)
    expect_no_error(other)
    screenshot(other, tall=True, at=other.get_by_role("heading", level=2, name=touchpoint))
