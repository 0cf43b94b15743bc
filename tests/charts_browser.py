"""What the browser tests of the Vega-Lite charts share (evaluation, surveys): a page that records its CSP
violations and page errors, polling until a chart is drawn, and the check that no style was injected."""

import time

import pytest

from tests.core.test_csp_browser import RECORD_VIOLATIONS

# what vega-embed or vega-tooltip would have added had their default style been left on (vega's own styling of
# its elements goes through the CSSOM, which the CSP allows)
INJECTED = "() => document.querySelectorAll('style, #vega-embed-style, #vega-tooltip-style').length"


@pytest.fixture
def watched(page):
    """The page, its CSP violations listed in `page.violations` (the events, registered before any script of the
    page runs, chromium's console errors) and its script errors."""
    page.violations = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: (
            page.violations.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused" in m.text)
            else None
        ),
    )
    page.on("pageerror", lambda e: page.violations.append(f"page error: {e}"))
    return page


def drawn(page, marks_script: str, key: str) -> dict:
    """Poll `marks_script(key)` until the chart is drawn (it returns None before); page.wait_for_function would be
    an eval, which the CSP refuses."""
    marks = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        marks = page.evaluate(marks_script, key)
        if marks is not None:
            break
        page.wait_for_timeout(100)
    assert marks is not None, f"the chart {key} not drawn"
    assert marks["width"] > 0
    return marks


def violations(page) -> list:
    return page.violations + page.evaluate("window.__cspViolations.splice(0)")
