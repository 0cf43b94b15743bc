"""The ranking page and the unit page in a real chromium: each Vega-Lite chart is drawn by vega-embed from our
origin (SVG with marks), under the CSP without one violation (no eval, no injected style), the table still under it."""

import re

import pytest
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from cqtt.evaluation import indices
from cqtt.evaluation.models import UnitMonthFact
from cqtt.evaluation.selectors import today
from tests.charts_browser import INJECTED, violations
from tests.charts_browser import drawn as _drawn
from tests.dossiers.test_browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# marks in each chart's SVG: lines and points for the rates, bars for the letters and the ranking
MARKS = """(id) => {
  const box = document.getElementById(id);
  if (!box || !box.classList.contains('chart-drawn')) return null;
  const svg = box.querySelector('svg.marks');
  return {
    width: svg ? svg.getBoundingClientRect().width : 0,
    lines: box.querySelectorAll('g.mark-line path').length,
    points: box.querySelectorAll('g.mark-symbol.role-mark path').length,
    bars: box.querySelectorAll('g.mark-rect path').length,
  };
}"""


def drawn(page, key):
    return _drawn(page, MARKS, key)


@pytest.fixture
def facts(world):
    make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    for i, p in enumerate(indices.last_months(today(), 3)):
        UnitMonthFact.objects.create(
            unit=world.a,
            month=p.start,
            received=10,
            finished=8,
            early=3,
            on_time=4 - (i % 2),
            late=1 + (i % 2),
            rated=5,
            satisfied=4,
            neutral=1,
            feedback_on_time=2,
            feedback_late=i % 2,
            letters_thanks=i + 1,
        )
    return world


def test_the_ranking_page_draws_its_three_charts_under_the_csp(watched, facts):
    page = watched
    login(page, "giamsat")
    page.goto(page.base + "/danh-gia-mo-hinh/")
    expect(page.locator(".eval-ranking").get_by_role("link", name="Phường Thủ Dầu Một")).to_be_visible()
    rates = drawn(page, "eval-rates")
    assert rates["lines"] > 0 and rates["points"] > 0
    assert drawn(page, "eval-letters")["bars"] == 12  # one bar per month, zero-height ones included
    assert drawn(page, "eval-ranking-chart")["bars"] > 0
    expect(page.locator("#eval-rates")).to_have_attribute("aria-label", re.compile("tỷ lệ đúng hạn"))
    # the tables stay: the ranking under its chart, the trends' numbers under theirs
    expect(page.locator("#eval-ranking-chart ~ table.eval-ranking")).to_have_count(1)
    expect(page.locator("#eval-letters ~ table.eval-trends tbody tr")).to_have_count(12)
    assert violations(page) == []
    assert page.evaluate(INJECTED) == 0


def test_the_unit_page_draws_its_trend_charts_and_a_tooltip_under_the_csp(watched, facts):
    page = watched
    login(page, "giamsat")
    page.goto(page.base + f"/danh-gia-mo-hinh/don-vi/{facts.a.code}/")
    assert drawn(page, "eval-rates")["lines"] > 0
    assert drawn(page, "eval-letters")["bars"] == 12
    expect(page.locator("#eval-ranking-chart")).to_have_count(0)
    expect(page.locator("table.eval-trends tbody tr")).to_have_count(12)
    # hovering a point opens vega-tooltip's box, styled from charts.css
    page.locator("#eval-rates g.mark-symbol.role-mark path").last.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    expect(tooltip).to_contain_text("%")
    assert (
        page.evaluate("() => getComputedStyle(document.getElementById('vg-tooltip-element')).position")
        == "fixed"
    )
    assert violations(page) == []
    assert page.evaluate(INJECTED) == 0


def test_without_javascript_the_tables_carry_the_numbers(browser, live_server, facts):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    try:
        login(page, "giamsat")
        page.goto(page.base + "/danh-gia-mo-hinh/")
        expect(page.locator("table.eval-ranking")).to_be_visible()
        expect(page.locator("table.eval-trends tbody tr")).to_have_count(12)
        assert page.locator("#eval-rates svg").count() == 0
    finally:
        context.close()
