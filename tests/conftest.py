import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the session, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    path = _chromium_path()
    if path is None:
        pytest.fail("chromium is not installed: run `make test`, which installs it with apt-get")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context at 1366×768 (office screen); `page.base` is the live server URL."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.base = live_server.url
    yield pg
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px wide phone screen."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.base = live_server.url
    yield pg
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


# a Tuesday and a working day, the day after the test world's default receipt
FROZEN_NOW = "2026-11-24T10:00:00+07:00"


@pytest.fixture
def frozen_clock():
    """The clock stopped at FROZEN_NOW for tests whose outcome depends on "now" (overdue, due dates)."""
    import time_machine

    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached permission scopes, rate-limit counters)."""
    from django.core.cache import cache

    from cqtt.dossiers import selectors as dossier_selectors
    from cqtt.procedures import selectors

    cache.clear()
    # per-process memories keyed on (id, updated_at): ids come back after a test's rollback and frozen clocks
    # repeat timestamps, so a test must not meet another test's rows under the same key
    selectors._PARTS.clear()
    dossier_selectors._PLANS.clear()
    yield


def pytest_addoption(parser):
    parser.addoption(
        "--clock-shift-days",
        type=int,
        default=int(os.environ.get("CQTT_CLOCK_SHIFT_DAYS", "0")),
        help="run the suite with the real clock moved this many days ahead (CI: 365), so that a test which "
        "reads 'now' without freezing it fails today rather than next month",
    )


_SHIFT = []


def pytest_sessionstart(session):
    days = session.config.getoption("--clock-shift-days")
    if days:
        import datetime as dt

        import time_machine

        traveller = time_machine.travel(dt.timedelta(days=days), tick=True)
        traveller.start()
        _SHIFT.append(traveller)


def pytest_sessionfinish(session, exitstatus):
    while _SHIFT:
        _SHIFT.pop().stop()
