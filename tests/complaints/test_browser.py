"""The case book in a real chromium: the desk receives a denunciation on a phone-sized screen (a mistake first,
nothing typed lost), the list shows no name, the handler accepts it, opens the denouncer's identity with a
reason and finds the opening in the access log; the verifier's page never shows the name."""

import re

import pytest
from playwright.sync_api import expect

from cqtt.complaints.models import Case
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Phạm Thị Hồng"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_denunciation_from_the_desk_to_the_handler_with_the_denouncer_sealed(phone_page, page, world):
    desk = phone_page
    login(desk, "motcua")
    desk.goto(desk.base + "/khieu-nai-to-cao/tiep-nhan/")
    fits_the_phone(desk)
    desk.get_by_role("radio", name="Tố cáo").check()
    desk.get_by_label("Họ và tên người gửi").fill(NAME)
    desk.get_by_label("Số điện thoại").fill("0912")
    desk.get_by_label("Nội dung đơn").fill(
        f"Tôi là {NAME}, tố cáo cán bộ địa chính phường nhận tiền để xác nhận sai nguồn gốc đất ở khu phố 3."
    )
    desk.get_by_role("button", name="Tiếp nhận").click()
    expect(desk.get_by_text(re.compile("Số điện thoại không đúng"))).to_be_visible()
    expect(desk.get_by_label("Họ và tên người gửi")).to_have_value(NAME)
    desk.get_by_label("Số điện thoại").fill("0912345678")
    desk.get_by_role("button", name="Tiếp nhận").click()
    expect(desk.get_by_test_id("case-status")).to_have_text("Mới tiếp nhận, chưa thụ lý")
    expect(desk.get_by_test_id("due-text")).to_contain_text("7 ngày làm việc")
    expect(desk.get_by_test_id("content")).not_to_contain_text(NAME)
    fits_the_phone(desk)
    code = Case.objects.get().code
    desk.goto(desk.base + "/khieu-nai-to-cao/")
    expect(desk.get_by_test_id("cases")).to_contain_text(code)
    expect(desk.get_by_test_id("cases")).not_to_contain_text(NAME)
    fits_the_phone(desk)

    login(page, "lanhdao")
    page.goto(page.base + f"/khieu-nai-to-cao/{code}/")
    box = page.locator('details[data-action="accept"]')
    box.locator("summary").click()
    box.get_by_role("button", name="Thụ lý").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Đã thụ lý, đang giải quyết")
    expect(page.get_by_test_id("due-text")).to_contain_text("Giải quyết tố cáo: 30 ngày theo lịch")
    reveal = page.locator('details[data-action="reveal"]')
    reveal.locator("summary").click()
    reveal.get_by_label(re.compile("Lý do mở thông tin")).fill("xem")
    reveal.get_by_role("button", name="Mở và ghi lại").click()
    expect(page.get_by_text(re.compile("ít nhất 10 ký tự"))).to_be_visible()
    expect(page.get_by_test_id("identity")).to_have_count(0)
    reveal = page.locator('details[data-action="reveal"]')
    reveal.get_by_label(re.compile("Lý do mở thông tin")).fill("Mời người tố cáo bổ sung chứng cứ")
    reveal.get_by_role("button", name="Mở và ghi lại").click()
    expect(page.get_by_test_id("identity")).to_contain_text(NAME)
    page.get_by_role("link", name="Nhật ký mở thông tin người gửi đơn").click()
    expect(page.get_by_test_id("accesses")).to_contain_text("Mời người tố cáo bổ sung chứng cứ")
    expect(page.get_by_test_id("accesses")).not_to_contain_text(NAME)

    login(desk, "chuyenvien")
    desk.goto(desk.base + f"/khieu-nai-to-cao/{code}/")
    expect(desk.get_by_test_id("case-status")).to_be_visible()
    assert NAME not in desk.content()
    expect(desk.locator('details[data-action="reveal"]')).to_have_count(0)
