"""The notices in a real chromium: a counter officer receives a dossier at the counter, the citizen's SMS reaches
the local gateway, and the dossier page lists it; a leader rewrites the notice and watches the SMS counter."""

import pytest
from playwright.sync_api import expect

from cqtt.notifications import worker
from cqtt.notifications.models import Message
from tests.dossiers.test_browser import fill_applicant, login, no_horizontal_overflow, start_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dossier_received_at_the_counter_texts_the_citizen_and_its_page_shows_the_message(
    page, world, gateway, frozen_clock
):
    login(page, "motcua")
    start_intake(page)
    fill_applicant(page)
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    expect(page.get_by_label("Nhắn tin SMS báo tình trạng hồ sơ")).to_be_checked()
    expect(page.get_by_label("Công dân đồng ý nhận qua Zalo")).not_to_be_checked()
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(page.get_by_role("status").get_by_text("Đã tiếp nhận hồ sơ")).to_be_visible()
    message = Message.objects.get(channel="sms")
    assert message.to == "84987654321" and message.status == "created"
    assert worker.run_once(batch=10) == 1
    assert gateway.posts[0]["to"] == "84987654321" and gateway.posts[0]["reference"] == str(message.pk)

    page.goto(page.base + f"/ho-so/{message.subject_code}/")
    part = page.get_by_test_id("dossier-messages")
    expect(part).to_be_visible()
    expect(part.get_by_text("098****321")).to_be_visible()
    expect(part.get_by_test_id("message-status")).to_have_text("Đã gửi")
    no_horizontal_overflow(page)


def test_a_leader_rewrites_the_received_sms_and_the_counter_follows_the_text(page, world, frozen_clock):
    login(page, "lanhdao")
    page.goto(page.base + "/thong-bao/mau/")
    page.get_by_role("link", name="Sửa mẫu Đã tiếp nhận (sms)").click()
    page.wait_for_load_state("networkidle")
    # polled from the test: wait_for_function polls with an in-page `new Function`, which the CSP refuses
    for _ in range(100):
        if page.evaluate("window.htmx !== undefined"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.htmx !== undefined")
    body = page.get_by_label("Nội dung")
    body.fill("Da nhan ho so ((ma_ho_so)), hen tra ((ngay_hen)).")
    counter = page.get_by_test_id("sms-counter")
    expect(counter).to_contain_text("GSM-7")
    expect(counter).to_contain_text("1 tin nhắn")
    body.fill("Đã nhận hồ sơ ((ma_ho_so)), hẹn trả ((ngay_hen)). " * 3)
    expect(counter).to_contain_text("UCS-2")
    expect(counter).to_contain_text("3 tin nhắn")
    body.fill("Hồ sơ ((ma_ho_so)) ((sai_ten))")
    expect(page.get_by_test_id("preview").get_by_role("alert")).to_contain_text("((sai_ten))")
    body.fill("Đã nhận hồ sơ ((ma_ho_so)).")
    page.get_by_role("button", name="Lưu mẫu").click()
    expect(page.get_by_text("Đã lưu mẫu thông báo.")).to_be_visible()
    expect(page.locator("tr[data-event=received]")).to_contain_text("của đơn vị")
