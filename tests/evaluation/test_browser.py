"""The ranking page in a real chromium: the trend charts are drawn (Chart.js from our origin, under the CSP)."""

import time

import pytest
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from cqtt.evaluation import indices
from cqtt.evaluation.models import UnitMonthFact
from cqtt.evaluation.selectors import today
from tests.dossiers.test_browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN = """() => {
  const c = document.getElementById('eval-rates');
  return !!(c && window.Chart && Chart.getChart(c) && c.width > 0 && c.height > 0);
}"""


def test_the_ranking_page_draws_its_trend_charts(page, world):
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
    login(page, "giamsat")
    page.goto(page.base + "/danh-gia-mo-hinh/")
    expect(page.locator(".eval-ranking").get_by_role("link", name="Phường Thủ Dầu Một")).to_be_visible()
    drawn = False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not drawn:
        drawn = page.evaluate(DRAWN)
        if not drawn:
            page.wait_for_timeout(100)
    assert drawn
    box = page.locator("#eval-rates").bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    assert (
        page.evaluate(
            "() => Chart.getChart(document.getElementById('eval-letters')).data.datasets[0].data.length"
        )
        == 12
    )
