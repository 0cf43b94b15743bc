"""The provincial overview and the observer's masked dossier page in a real chromium (keyboard only)."""

import pytest
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from tests.factories import make_user

from .conftest import receive
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_sorts_communes_by_keyboard_opens_one_and_fixes_a_bad_export_date(page, world):
    receive(world)
    make_user("tinh", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    login(page, "tinh")
    page.goto(page.base + "/ho-so/tong-quan/")
    table = page.get_by_test_id("communes")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Phường Thuận An")
    # sort by "Đã tiếp nhận" with the keyboard: focus the header link, press Enter
    table.get_by_role("link", name="Đã tiếp nhận").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=-received")
    expect(table.locator("tbody tr").first).to_contain_text("Phường Thủ Dầu Một")
    expect(table.locator('th[aria-sort="descending"]')).to_contain_text("Đã tiếp nhận")
    table.get_by_role("link", name="Phường Thủ Dầu Một").click()
    expect(page.get_by_role("heading", name="Tổng quan hồ sơ: Phường Thủ Dầu Một")).to_be_visible()

    page.get_by_label("Từ ngày").fill("31/02/2026")
    page.get_by_label("Đến ngày").fill("30/11/2026")
    page.get_by_role("button", name="Sổ theo dõi hồ sơ (Excel)").click()
    expect(page.get_by_text("Nhập ngày theo dạng ngày/tháng/năm")).to_be_visible()
    expect(page.get_by_label("Đến ngày")).to_have_value("30/11/2026")  # nothing typed is lost
    expect(page.get_by_label("Đơn vị")).to_have_value(world.a.code)
    page.get_by_label("Từ ngày").fill("01/11/2026")
    with page.expect_download() as download:
        page.get_by_role("button", name="Sổ theo dõi hồ sơ (Excel)").click()
    assert download.value.suggested_filename == f"so-theo-doi-{world.a.code}-20261101-20261130.xlsx"


def test_observer_sees_masked_id_and_phone_on_the_dossier_page(page, world):
    d = receive(world)
    login(page, "mttq")
    page.goto(f"{page.base}/ho-so/{d.code}/")
    expect(page.get_by_test_id("applicant-id")).to_have_text("********1234")
    expect(page.get_by_test_id("applicant-phone")).to_have_text("******5678")
    expect(page.get_by_text("079085001234")).to_have_count(0)
