"""Fixtures for the real-browser tests: Debian's Chromium, a sample workspace and a live app.

The sample workspace is built once per test process (so once per xdist worker) with
``ensure_sample_data``; every app server gets its own copy of it and runs
``streamlit run app.py`` on a free loopback port in its own process group, which is
killed at the end. Chromium is Debian's (``/usr/bin/chromium``); no browser is ever
downloaded. Without it the tests skip, or fail when ``CXDASH_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cxdash.starter import ensure_sample_data
from cxdash.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 720}
TALL_VIEWPORT = {"width": 1280, "height": 1800}
STARTUP_TIMEOUT_S = 60.0
ACTION_TIMEOUT_MS = 30_000


# -- Chromium and Playwright --------------------------------------------------------------------


def chromium_path() -> str | None:
    """Debian's Chromium, if it is installed."""
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


def browser_unavailable(reason: str) -> None:
    """Skip, or fail when the run requires the browser tests (CI sets CXDASH_REQUIRE_BROWSER=1)."""
    if os.environ.get("CXDASH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CXDASH_REQUIRE_BROWSER=1, so this is an error)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test process."""
    path = chromium_path()
    if path is None:
        browser_unavailable("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright package is not installed (requirements-dev.txt)")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Factory for fresh browser contexts (own cookies and storage), closed after the test."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(
    new_context: Callable[[], BrowserContext], request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page in a fresh context at 1280x720; a screenshot is kept when the test fails."""
    (SCREENSHOTS / f"{request.node.name}-failed.png").unlink(missing_ok=True)
    current = new_context().new_page()
    yield current
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            current.screenshot(path=SCREENSHOTS / f"{request.node.name}-failed.png", full_page=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``screenshot(page, tall=False, step="")`` saves test-artifacts/screenshots/<test>[-step].png.

    ``at`` (a locator) is scrolled to the top first. ``tall=True`` also saves ``<test>[-step]-tall.png`` at 1280x1800 (Streamlit scrolls inside
    its main block, so a full-page shot at 720 px high shows only the first screen).
    """

    def save(page: Page, *, tall: bool = False, step: str = "", at: Locator | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name + (f"-{step}" if step else "")
        path = SCREENSHOTS / f"{name}.png"
        if at is not None:
            at.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=path, full_page=True)
        if tall:
            page.set_viewport_size(TALL_VIEWPORT)
            page.wait_for_timeout(500)  # let the layout and charts settle at the new size
            if at is not None:
                at.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.screenshot(path=SCREENSHOTS / f"{name}-tall.png", full_page=True)
            page.set_viewport_size(VIEWPORT)
            page.wait_for_timeout(300)
        return path

    return save


# -- workspace and app server -------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the bundled sample data, built once per test process (never served)."""
    path = tmp_path_factory.mktemp("browser-sample") / "sample.duckdb"
    with Workspace(path) as ws:
        results = ensure_sample_data(ws)
    assert [r.status for r in results] == ["loaded"] * len(results) and results
    return path


def copy_workspace(source: Path, folder: Path) -> Path:
    """A private copy of a (closed) workspace file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    """A running ``streamlit run app.py`` on a workspace."""

    url: str
    db: Path
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self) -> None:
        """Terminate the server's whole process group (SIGKILL if it does not stop in 10 s)."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_app_server(db: Path, folder: Path) -> AppServer:
    """Start the app on ``db`` and wait (at most 60 s) until it answers its health check."""
    port = free_port()
    log = folder / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "CXDASH_DB": str(db)},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )
    server = AppServer(url=f"http://127.0.0.1:{port}", db=db, log=log, process=process)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited at start-up:\n{server.log_tail()}", pytrace=False)
        if _healthy(server.url):
            return server
        time.sleep(0.2)
    server.stop()
    pytest.fail(
        f"the app did not answer /_stcore/health within {STARTUP_TIMEOUT_S:.0f} s:\n"
        f"{server.log_tail()}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def app_server(
    browser: Browser, sample_workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The app on a copy of the sample workspace, shared by the tests that only read data."""
    folder = tmp_path_factory.mktemp("browser-app")
    server = start_app_server(copy_workspace(sample_workspace, folder), folder)
    yield server
    server.stop()


@pytest.fixture
def private_app_server(
    browser: Browser, sample_workspace: Path, tmp_path: Path
) -> Iterator[AppServer]:
    """The app on its own copy of the sample workspace, for a test that changes data."""
    server = start_app_server(copy_workspace(sample_workspace, tmp_path / "app"), tmp_path / "app")
    yield server
    server.stop()
