"""The feedback pages in a real chromium: a citizen on a 360 px phone finds the ward, makes a mistake, keeps what
was typed, sends, follows the item by its code and likes the published answer; an officer answers it."""

import re

import pytest
from playwright.sync_api import expect

from cqtt.feedback import services
from cqtt.feedback.models import FeedbackItem, Status
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_citizen_sends_feedback_on_a_phone_and_follows_it_by_code(phone_page, page, world):
    citizen = phone_page
    citizen.goto(citizen.base + "/gop-y/")
    citizen.get_by_label("Tên xã, phường").fill("thu dau mot")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name=re.compile("Phường Thủ Dầu Một")).click()
    fits_the_phone(citizen)
    citizen.get_by_role("radio", name=re.compile("^Phản ánh Báo một việc")).check()
    citizen.get_by_label(re.compile(r"^Nội dung")).fill("Hỏng")
    citizen.get_by_label("Số điện thoại (không bắt buộc)").fill("0912")
    citizen.get_by_label("Tôi đồng ý công khai").check()
    citizen.get_by_role("button", name="Gửi").click()
    expect(citizen.get_by_text(re.compile("Nội dung quá ngắn"))).to_be_visible()
    expect(citizen.get_by_text(re.compile("Số điện thoại không đúng định dạng"))).to_be_visible()
    expect(citizen.get_by_label(re.compile(r"^Nội dung"))).to_have_value("Hỏng")
    fits_the_phone(citizen)
    citizen.get_by_label(re.compile(r"^Nội dung")).fill(
        "Đèn đường trước số 12 Bạch Đằng hỏng hai tuần, buổi tối rất tối."
    )
    citizen.get_by_label("Số điện thoại (không bắt buộc)").fill("0912345678")
    citizen.get_by_role("button", name="Gửi").click()
    code = citizen.locator("#feedback-code").inner_text()
    assert re.fullmatch(r"GY-[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    fits_the_phone(citizen)
    citizen.get_by_role("link", name="Xem tình trạng").click()
    expect(citizen.get_by_test_id("status")).to_have_text("Mới tiếp nhận")
    fits_the_phone(citizen)

    # an officer answers and publishes from the item page
    item = FeedbackItem.objects.get(code=code)
    login(page, "lanhdao")
    page.goto(page.base + "/gop-y/xu-ly/")
    page.get_by_role("link", name=code).click()
    box = page.locator('details[data-action="answer"]')
    box.locator("summary").click()
    box.get_by_label("Nội dung trả lời").fill(
        "Phường đã thay bóng đèn ngày 25/11. Cảm ơn ông/bà đã phản ánh."
    )
    box.get_by_label("Công khai ngay (người gửi đã đồng ý)").check()
    box.get_by_role("button", name="Trả lời").click()
    expect(page.get_by_test_id("feedback-status")).to_have_text("Đã trả lời và công khai")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED

    # the citizen looks it up by code and likes the answer
    citizen.goto(citizen.base + "/gop-y/tra-cuu/")
    citizen.get_by_label("Mã phản ánh").fill(code.lower())
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_test_id("answer")).to_contain_text("thay bóng đèn")
    citizen.get_by_role("button", name=re.compile("^Hài lòng")).click()
    expect(citizen.get_by_test_id("likes")).to_have_text("1")
    fits_the_phone(citizen)


def test_the_published_answers_page_fits_a_phone(phone_page, world):
    item = services.feedback_submit(
        unit=world.a,
        kind="suggestion",
        content="Đề nghị mở cửa tiếp dân vào sáng thứ bảy.",
        channel="web",
        publish_consent=True,
    )
    services.feedback_answer(
        actor=world.leader, item=item, answer="Từ tháng 12 phường tiếp dân sáng thứ bảy.", publish=True
    )
    phone_page.goto(phone_page.base + "/gop-y/cong-khai/?unit=25747")
    expect(phone_page.get_by_test_id("published-item")).to_contain_text("sáng thứ bảy")
    fits_the_phone(phone_page)


def test_the_inbox_filters_without_reloading_the_page(page, world):
    services.feedback_submit(
        unit=world.a, kind="report", content="Ổ gà trên đường Yersin rất nguy hiểm.", channel="web"
    )
    services.feedback_submit(
        unit=world.a,
        kind="suggestion",
        content="Nên có thêm ghế chờ ở sảnh.",
        channel="hotline",
        actor=world.counter_a,
    )
    login(page, "motcua")
    page.goto(page.base + "/gop-y/xu-ly/")
    page.evaluate("window.notReloaded = true")
    expect(page.get_by_test_id("feedback-items").locator("tbody tr")).to_have_count(2)
    page.get_by_label("Kênh").select_option("hotline")
    expect(page.get_by_test_id("feedback-items").locator("tbody tr")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True
    assert "channel=hotline" in page.url
