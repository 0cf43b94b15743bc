import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("query", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ"])
def test_catalogue_search_finds_birth_registration(page, catalogue, query):
    page.goto(f"{page.base}/thu-tuc/")
    page.get_by_label("Tìm thủ tục").fill(query)
    page.get_by_role("button", name="Tìm").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
    if query == "khai sinh":
        expect(results.get_by_role("link", name="Đăng ký kết hôn")).to_have_count(0)


def test_search_as_you_type_updates_results(page, catalogue):
    page.goto(f"{page.base}/thu-tuc/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Tìm thủ tục").press_sequentially("ket hon", delay=30)
    page.wait_for_url(re.compile(r"q=ket(\+|%20)hon"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Đăng ký kết hôn")).to_be_visible()
    expect(results.get_by_role("link", name="Đăng ký khai sinh")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True


def test_detail_page_shows_documents_and_fees(page, catalogue):
    page.goto(f"{page.base}/thu-tuc/?q=khai+sinh")
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    page.get_by_role("heading", name="Đăng ký khai sinh").wait_for()
    assert page.get_by_text("Giấy chứng sinh").is_visible()
    assert page.get_by_text("Lệ phí đăng ký khai sinh").is_visible()
    assert page.get_by_text("Trong ngày").is_visible()
    page.goto(f"{page.base}/thu-tuc/DP.HT.02/")
    assert page.get_by_text("8.000 đ").is_visible()


def test_catalogue_fits_a_phone_screen(phone_page, catalogue, province, commune):
    phone_page.goto(f"{phone_page.base}/thu-tuc/?province={province.code}")
    phone_page.get_by_label("Xã, phường").select_option(commune.code)
    phone_page.get_by_role("button", name="Tìm").click()
    expect(phone_page).to_have_url(re.compile(r"unit=" + commune.code))
    expect(
        phone_page.locator("#results").get_by_role("link", name="Chứng thực bản sao từ bản chính")
    ).to_have_count(0)
    expect(phone_page.locator("#results").get_by_role("link", name="Đăng ký kết hôn")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.goto(f"{phone_page.base}/thu-tuc/1.001193/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
