import pytest

from cqtt.demo.loader import DEMO_PASSWORD, demo_load
from cqtt.units.services import units_load_national

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# username → (unit shown on the home page, role label shown)
EXPECTED = {
    "motcua": ("Phường Thủ Dầu Một", "Cán bộ một cửa"),
    "chuyenvien": ("Phường Thủ Dầu Một", "Chuyên viên"),
    "lanhdao": ("Phường Thủ Dầu Một", "Lãnh đạo"),
    "quantri": ("Phường Thủ Dầu Một", "Quản trị đơn vị"),
    "tinh": ("Thành phố Hồ Chí Minh", "Giám sát cấp tỉnh"),
    "mttq": ("Phường Thủ Dầu Một", "Giám sát MTTQ (chỉ xem)"),
    "motcua2": ("Xã Tràng Định", "Cán bộ một cửa"),
}


def test_each_demo_role_logs_in_and_sees_its_units(page):
    units_load_national()
    demo_load(dossiers=0)
    for username, (unit_name, role_label) in EXPECTED.items():
        page.goto(page.base + "/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        cards = page.get_by_test_id("my-units")
        cards.wait_for()
        text = cards.inner_text()
        assert unit_name in text, f"{username}: {text}"
        assert role_label in text, f"{username}: {text}"
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/dang-nhap/")


def test_wrong_password_in_the_browser_shows_the_error_and_keeps_the_username(page):
    units_load_national()
    demo_load(dossiers=0)
    page.goto(page.base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Tên đăng nhập").input_value() == "motcua"
