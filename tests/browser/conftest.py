"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

- The browser is /usr/bin/chromium (no Playwright-downloaded browser), at 1366×768.
- Every test here is marked `browser` (select with `-m browser`, skip with `-m "not browser"`)
  and uses `live_server`, one per xdist worker, with a flushed database per test.
- When a test fails, its page is saved as test-results/screenshots/<test name>.png (the folder is
  pytest-playwright's --output, which that plugin empties at the start of every pytest run).
"""

import re
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page, expect


class OneRequestAtATime(WSGIServer):
    """On SQLite the live server's threads share the test's one in-memory connection, and a page
    that loads several panels at once (htmx) could interleave their queries on it and hang. This
    server answers in the live server's own thread (which already holds the shared connection),
    and Django closes each connection of a non-threaded server, so the browser's parallel requests
    simply queue."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
TIMEOUT_MS = 10_000  # actions and navigations; a missing element fails in 10 s, not 30
HERE = Path(__file__).parent


# pytest-playwright's stand-in `base_url` fixture (used when pytest-base-url is not installed) is
# a session fixture defined as a method, which pytest 9 deprecates: not ours to fix.
PLUGIN_WARNING = (
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)


def pytest_collection_modifyitems(config, items):
    """Mark every test in this directory `browser`."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.filterwarnings(PLUGIN_WARNING))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(autouse=True)
def _browser_test_setup(live_server, roles):
    """Every browser test has the live server (hence a transactional database, flushed after each
    test) and the built-in roles, which the flush removes and `roles` puts back."""


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(TIMEOUT_MS)
    return page


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, page: Page):
    """Save the page of a failing test. Torn down before `page`, so the page is still open."""
    yield
    report = getattr(request.node, "rep_call", None)  # set by pytest-playwright's report hook
    if report is not None and report.failed:
        folder = Path(request.config.getoption("--output")).absolute() / "screenshots"
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=folder / f"{name}.png", timeout=5000)
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"screenshot of {request.node.nodeid} failed: {error}")


def login(page: Page, live_server, username: str, password: str, *, succeed: bool = True):
    """Log in through the login page; by default, check that it worked (the user menu shows)."""
    page.goto(f"{live_server.url}/staff/login/")
    form = page.get_by_test_id("login-form")
    form.locator("[name=username]").fill(username)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation():  # the page answers every attempt with a new page
        form.locator("button[type=submit]").click()
    if succeed:
        expect(page.get_by_test_id("user-menu")).to_be_visible()
