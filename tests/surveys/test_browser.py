"""The public answer page in a real chromium on a 360 px phone: show-if hides and shows questions, a missing
answer is shown next to its question with the other answers kept, then the answer is sent. The results page: each
question's Vega-Lite chart drawn by vega-embed from our origin (SVG with bars) under the CSP without one
violation, the table under it, the tables alone without JavaScript."""

import pytest
import time_machine
from playwright.sync_api import expect

from cqtt.surveys.models import Response
from tests.charts_browser import INJECTED, violations
from tests.charts_browser import drawn as _drawn
from tests.conftest import FROZEN_NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_overflow(page, width=360):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_citizen_answers_on_a_phone_with_show_if_and_a_validation_error(phone_page, sv):
    page = phone_page
    with time_machine.travel(FROZEN_NOW, tick=True):
        page.goto(page.base + f"/khao-sat/{sv.campaign.public_id}/")
        expect(page.get_by_role("heading", name="Phiếu lấy ý kiến về Bộ phận Một cửa")).to_be_visible()
        how_many = page.get_by_role("textbox", name="Ông/bà đã đến bao nhiêu lần?")
        expect(how_many).to_be_hidden()
        page.get_by_label("Đã đến", exact=True).check()
        expect(how_many).to_be_visible()
        how_many.fill("3")
        other = page.get_by_role("textbox", name="Kênh khác là kênh nào?")
        expect(other).to_be_hidden()
        page.get_by_label("Kênh khác", exact=True).check()
        expect(other).to_be_visible()
        other.fill("Loa phường")
        page.get_by_role("group", name="Lịch sự").get_by_label("Rất hài lòng").check()
        no_horizontal_overflow(page)
        page.get_by_role("button", name="Gửi ý kiến").click()
        # the satisfaction question was left out: the error is next to it, the other answers kept
        error = page.locator("#err-hai_long")
        expect(error).to_contain_text("là câu bắt buộc")
        expect(how_many).to_have_value("3")
        expect(other).to_have_value("Loa phường")
        no_horizontal_overflow(page)
        page.get_by_role("group", name="Ông/bà hài lòng thế nào với việc tiếp đón?").get_by_label(
            "Hài lòng", exact=True
        ).check()
        page.get_by_role("button", name="Gửi ý kiến").click()
        expect(page.get_by_role("heading", name="Cảm ơn ông/bà đã góp ý kiến")).to_be_visible()
        no_horizontal_overflow(page)
    answers = Response.objects.get().answers
    assert answers["hai_long"] == "4" and answers["so_lan"] == 3 and answers["kenh_khac"] == "Loa phường"
    assert answers["thai_do.lich_su"] == "5"


# the bars of a question's chart once vega-embed has drawn it (None before)
MARKS = """(key) => {
  const box = document.querySelector(`section[data-key="${key}"] [data-vega-spec]`);
  if (!box || !box.classList.contains('chart-drawn')) return null;
  const svg = box.querySelector('svg.marks');
  return {
    width: svg ? svg.getBoundingClientRect().width : 0,
    bars: box.querySelectorAll('g.mark-rect.role-mark path').length,
    legend: box.querySelectorAll('g.role-legend-symbol path').length,
    label: box.getAttribute('aria-label'),
  };
}"""


def drawn(page, key):
    return _drawn(page, MARKS, key)


def test_the_leader_sees_the_results_drawn_as_vega_lite_charts_under_the_csp(watched, sv):
    from tests.dossiers.test_browser import login
    from tests.surveys.conftest import fill

    page = watched
    with time_machine.travel(FROZEN_NOW, tick=True):
        fill(sv.campaign, 6)
        login(page, "lanhdao")
        page.goto(page.base + f"/khao-sat/quan-ly/{sv.campaign.public_id}/")
        expect(page.get_by_test_id("public-url")).to_contain_text(f"/khao-sat/{sv.campaign.public_id}/")
        page.get_by_role("link", name="Xem kết quả").click()
        expect(page.get_by_test_id("totals")).to_contain_text("6 phiếu")
        # a bar per choice (a zero-width one for a choice nobody took), a bar per matrix row with a mean
        assert drawn(page, "da_den")["bars"] == 2
        scale = drawn(page, "hai_long")
        assert scale["bars"] == 5 and scale["legend"] == 0 and "Ông/bà hài lòng thế nào" in scale["label"]
        assert drawn(page, "kenh")["bars"] == 3
        assert drawn(page, "thai_do")["bars"] == 1
        # no chart of a number or a text; the table stays under each chart
        expect(page.locator('section[data-key="so_lan"] [data-vega-spec]')).to_have_count(0)
        expect(page.locator('section[data-key="gop_y"] [data-vega-spec]')).to_have_count(0)
        expect(
            page.locator('section[data-key="hai_long"] [data-vega-spec] ~ .table-wrap tbody tr')
        ).to_have_count(5)
        # hovering a bar opens vega-tooltip's box, styled from core/charts.css
        page.locator('section[data-key="hai_long"] g.mark-rect.role-mark path').nth(3).hover(force=True)
        expect(page.locator("#vg-tooltip-element.visible")).to_contain_text("Số phiếu")
        assert violations(page) == []
        assert page.evaluate(INJECTED) == 0


def test_the_earlier_campaign_is_drawn_beside_this_one(watched, sv):
    from cqtt.surveys import services
    from tests.dossiers.test_browser import login
    from tests.surveys.conftest import TODAY, fill

    page = watched
    with time_machine.travel(FROZEN_NOW, tick=True):
        before = services.campaign_create(
            actor=sv.leader,
            form=sv.form,
            unit=sv.a,
            kind="before_model",
            starts_on=TODAY.replace(month=1, day=1),
            ends_on=TODAY,
        )
        after = services.campaign_create(
            actor=sv.leader,
            form=sv.form,
            unit=sv.a,
            kind="after_model",
            starts_on=TODAY,
            ends_on=TODAY,
            paired_with=before,
        )
        for campaign, level in ((before, "2"), (after, "5")):
            fill(services.campaign_open(actor=sv.leader, campaign=campaign), 5, hai_long=level)
        login(page, "lanhdao")
        page.goto(page.base + f"/khao-sat/quan-ly/{after.public_id}/ket-qua/")
        expect(page.get_by_test_id("totals")).to_contain_text("So sánh với đợt trước")
        scale = drawn(page, "hai_long")
        assert scale["bars"] == 10 and scale["legend"] == 2  # the two campaigns side by side, with a legend
        expect(page.locator('section[data-key="hai_long"] .vega-embed')).to_contain_text("Đợt trước")
        assert violations(page) == []


def test_without_javascript_the_results_tables_carry_the_numbers(browser, live_server, sv):
    from tests.dossiers.test_browser import login
    from tests.surveys.conftest import fill

    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    try:
        with time_machine.travel(FROZEN_NOW, tick=True):
            fill(sv.campaign, 6)
            login(page, "lanhdao")
            page.goto(page.base + f"/khao-sat/quan-ly/{sv.campaign.public_id}/ket-qua/")
            expect(page.locator('section[data-key="hai_long"] table tbody tr')).to_have_count(5)
            expect(page.locator('section[data-key="thai_do"] table tbody tr')).to_have_count(2)
            assert page.locator(".survey-results svg").count() == 0
    finally:
        context.close()
