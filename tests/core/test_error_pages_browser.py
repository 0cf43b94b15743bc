"""What a person sees when an address is wrong or a form has gone stale: Vietnamese pages in the site's layout."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_address_shows_the_vietnamese_404_with_a_way_home(page):
    response = page.goto(page.base + "/thu-tuc-khong-co/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()  # the site's navigation
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page.get_by_role("heading", name="Chính quyền thân thiện")).to_be_visible()


def test_a_stale_login_form_shows_the_vietnamese_csrf_page(page, world):
    page.goto(page.base + "/tai-khoan/dang-nhap/")
    page.context.clear_cookies()  # as if the CSRF cookie had gone (blocked or cleared)
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill("pw-12345-test")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Biểu mẫu đã hết hạn")).to_be_visible()
    expect(page.get_by_text("tải lại trang (F5)")).to_be_visible()
