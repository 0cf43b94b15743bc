"""The public answer page in a real chromium on a 360 px phone: show-if hides and shows questions, a missing
answer is shown next to its question with the other answers kept, then the answer is sent."""

import pytest
import time_machine
from playwright.sync_api import expect

from cqtt.surveys.models import Response
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


def test_the_leader_sees_the_results_drawn_by_the_local_chart_library(page, sv):
    from tests.dossiers.test_browser import login
    from tests.surveys.conftest import fill

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with time_machine.travel(FROZEN_NOW, tick=True):
        fill(sv.campaign, 6)
        login(page, "lanhdao")
        page.goto(page.base + f"/khao-sat/quan-ly/{sv.campaign.public_id}/")
        expect(page.get_by_test_id("public-url")).to_contain_text(f"/khao-sat/{sv.campaign.public_id}/")
        page.get_by_role("link", name="Xem kết quả").click()
        expect(page.get_by_test_id("totals")).to_contain_text("6 phiếu")
        # poll from the test (wait_for_function polls with an in-page `new Function`, which the CSP refuses)
        for _ in range(100):
            if page.evaluate("Boolean(window.Chart) && Object.keys(Chart.instances).length > 0"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("Object.keys(Chart.instances).length") >= 3
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
