import re

import pytest
from playwright.sync_api import expect

from cqtt.dossiers.models import Dossier, Status

from .conftest import PDF_BYTES, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_citizen_submits_online_from_a_phone_and_sees_the_code(phone_page, world):
    page = phone_page
    page.goto(f"{page.base}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.get_by_label("Tỉnh, thành phố").select_option(world.city.code)
    page.get_by_role("button", name="Tìm").click()
    page.get_by_label("Xã, phường").select_option(world.a.code)
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("Đăng ký khai sinh")).to_be_visible()
    expect(page.get_by_text("Chứng thực bản sao từ bản chính")).to_have_count(0)
    assert fits(page)
    page.get_by_role("link", name="Nộp hồ sơ").first.click()
    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    assert fits(page)

    page.get_by_label("Họ và tên").fill("Phạm Văn Bình")
    page.get_by_label("Số định danh cá nhân").fill("079085001234")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Giấy chứng sinh").set_input_files(
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": png_bytes((1200, 1600))}
    )
    # forgetting the consent: nothing is sent, what was typed stays, files must be chosen again
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_text("Cần đánh dấu đồng ý xử lý dữ liệu cá nhân")).to_be_visible()
    expect(page.get_by_text("hãy chọn lại tất cả các tệp đính kèm")).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value("Phạm Văn Bình")
    assert fits(page)

    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Giấy chứng sinh").set_input_files(
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_label("Trực tuyến").check()
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    page.get_by_role("button", name="Gửi hồ sơ").click()

    expect(page.get_by_role("heading", name="Đã gửi hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)
    expect(page.get_by_text("Chờ tiếp nhận")).to_be_visible()
    expect(page.get_by_test_id("notice-promise")).to_contain_text(
        "nhắn tin SMS"
    )  # the notices are on their way
    assert fits(page)
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.documents.count() == 2
    assert dossier.delivery == "online"

    page.get_by_role("link", name="Xem tình trạng hồ sơ").click()
    expect(page.locator("#dossier-status")).to_have_text("Nộp trực tuyến, chờ tiếp nhận")
    assert fits(page)


def test_qr_code_link_opens_the_status_page_on_a_phone(phone_page, world):
    from .conftest import receive

    dossier = receive(world)
    page = phone_page
    page.goto(f"{page.base}/tra-cuu/{dossier.lookup_token}/")
    expect(page.get_by_role("heading", name="Tình trạng hồ sơ")).to_be_visible()
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận, chờ phân công")
    expect(page.get_by_text("P. V. B.")).to_be_visible()
    expect(page.get_by_text("Trung tâm Phục vụ hành chính công phường Thủ Dầu Một")).to_be_visible()
    assert "Phạm Văn Bình" not in page.content()
    assert fits(page)


def test_lookup_form_on_a_phone_finds_the_dossier(phone_page, world):
    from .conftest import receive

    dossier = receive(world)
    page = phone_page
    page.goto(f"{page.base}/tra-cuu/")
    assert fits(page)
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại người nộp").fill("0000")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Không tìm thấy hồ sơ khớp")).to_be_visible()
    assert fits(page)
    page.get_by_label("4 số cuối điện thoại người nộp").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận, chờ phân công")
    assert fits(page)
