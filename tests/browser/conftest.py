"""The browser tests' fixtures: the app served on 127.0.0.1 in a thread, and Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (``apt-get install chromium``; ``PARLEY_CHROMIUM``
names another); it never downloads a browser of its own. Without Chromium or the
``playwright`` package the tests fail, so that a machine missing them cannot pass by
skipping; ``PARLEY_SKIP_BROWSER=1`` skips them on purpose.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import create_app
from tests.conftest import BUNDLED

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
SKIP = os.environ.get("PARLEY_SKIP_BROWSER", "") not in ("", "0")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"  # git-ignored; written on every run
AXE = (HERE / "vendor" / "axe.min.js").read_text("utf-8")


def _unavailable(reason: str):
    if SKIP:
        pytest.skip(f"{reason} (PARLEY_SKIP_BROWSER is set)")
    pytest.fail(f"{reason}; set PARLEY_SKIP_BROWSER=1 to skip the browser tests", pytrace=False)


@pytest.fixture(scope="session")
def base_url():
    """The bundled data served by a real HTTP server on a free loopback port."""
    app = create_app({"PARLEY_FIXTURES": str(BUNDLED)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page with everything that went wrong in it: console errors, failed requests."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request) -> None:
        # net::ERR_ABORTED is the browser cancelling a request itself, as when a link is
        # followed while the page's icon is still loading; the server answered it (any
        # status >= 400 is caught by _response). Every other failure is a problem.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, path: str):
        """Load a page of the app, and wait for its chart if it has one."""
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        if self.page.locator("figure[data-chart]").count():
            self.page.wait_for_selector("svg.chart-plot")
        return self.page

    def axe(self) -> list[dict]:
        """axe-core's serious and critical violations on the page as it is now."""
        self.page.evaluate(AXE)  # through DevTools, so the page's CSP does not stop it
        found = self.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in found["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def watched(browser, base_url, request):
    """A fresh 1280 px wide page; the test fails if anything went wrong in it."""
    width = getattr(request, "param", 1280)
    context = browser.new_context(viewport={"width": width, "height": 900})
    watched = Watched(context.new_page(), base_url)
    yield watched
    problems = list(watched.problems)  # before closing, which aborts what is still loading
    context.close()
    assert problems == []
