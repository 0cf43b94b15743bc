"""The staff pages in a real chromium at an office screen (1366 px). The live server needs committed data, so these
tests run in transactional mode (the `world` fixture then builds its data outside a rolled-back transaction)."""

import re

import pytest
from playwright.sync_api import expect

from cqtt.dossiers.models import Dossier, Status

from .conftest import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345-test"


def login(page, username):
    page.context.clear_cookies()
    page.goto(page.base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/(?!dang-nhap)"))


def do_action(page, action, button_name, fill=None):
    box = page.locator(f'details[data-action="{action}"]')
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    if fill:
        fill(box)
    box.get_by_role("button", name=button_name).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").filter(has_text="Đã thực hiện")).to_be_visible()


def assert_slip_link(page, testid_href):
    link = page.get_by_test_id("print-slip")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == testid_href
    response = page.request.get(page.base + testid_href)
    if response.status != 501:  # the printing module has landed
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/pdf")


def no_horizontal_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, page.url


def start_intake(page, query="khai sinh", name="Đăng ký khai sinh", keyboard=False):
    page.goto(page.base + "/ho-so/tiep-nhan/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Tìm thủ tục").press_sequentially(query, delay=20)
    results = page.locator("#procedure-results")
    expect(results.get_by_role("link", name=re.compile(name))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("Chứng thực bản sao"))).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True  # searched without reloading the page
    if keyboard:
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    else:
        results.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_label("Họ tên người nộp / tên tổ chức")).to_be_focused()


def fill_applicant(page):
    page.get_by_label("Họ tên người nộp / tên tổ chức").fill("Phạm Văn Bình")
    page.get_by_label("Số định danh cá nhân (12 số) / mã số thuế").fill("079085001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Đường Bạch Đằng")


def test_dossier_goes_from_the_counter_to_the_result_in_the_browser(page, world):
    # the counter officer receives a complete dossier
    login(page, "motcua")
    start_intake(page)
    fill_applicant(page)
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    page.wait_for_url(re.compile(r"/ho-so/[^/]+/\?in=receipt$"))
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    expect(page.get_by_role("status").get_by_text(f"Đã tiếp nhận hồ sơ {dossier.code}")).to_be_visible()
    assert_slip_link(page, f"/ho-so/{dossier.code}/in/phieu-tiep-nhan.pdf")
    no_horizontal_overflow(page)
    detail = f"{page.base}/ho-so/{dossier.code}/"

    # the leader assigns the specialist
    login(page, "lanhdao")
    page.goto(page.base + "/ho-so/?tab=leader.unassigned")
    page.get_by_role("link", name=dossier.code).click()
    do_action(
        page,
        "assign",
        "Phân công chuyên viên",
        lambda box: box.get_by_label("Chuyên viên thụ lý").select_option(label="Trần Minh Đức"),
    )
    expect(page.get_by_test_id("status")).to_have_text("Đang giải quyết")

    # the specialist submits for approval
    login(page, "chuyenvien")
    page.goto(page.base + "/ho-so/")
    page.get_by_role("link", name=dossier.code).click()
    do_action(page, "submit", "Trình lãnh đạo phê duyệt")
    expect(page.get_by_test_id("status")).to_have_text("Chờ lãnh đạo phê duyệt")

    # the leader approves and sends the result to the one-stop
    login(page, "lanhdao")
    page.goto(page.base + "/ho-so/?tab=leader.awaiting_approval")
    page.get_by_role("link", name=dossier.code).click()
    do_action(page, "approve", "Phê duyệt")
    do_action(page, "mark-ready", "Có kết quả, chuyển Bộ phận Một cửa")
    expect(page.get_by_test_id("status")).to_have_text("Có kết quả, chờ trả")

    # the counter returns the result to the applicant
    login(page, "motcua")
    page.goto(page.base + "/ho-so/?tab=counter.ready")
    page.get_by_role("link", name=dossier.code).click()
    do_action(page, "return-result", "Trả kết quả")
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.collected_by == "Phạm Văn Bình"
    assert page.url.startswith(detail)
    expect(page.get_by_role("link", name=re.compile("Phiếu kiểm soát"))).to_have_attribute(
        "href", f"/ho-so/{dossier.code}/in/phieu-kiem-soat.pdf"
    )


def test_incomplete_intake_gives_the_supplement_slip(page, world):
    login(page, "motcua")
    start_intake(page, query="dang ky khai", keyboard=True)
    fill_applicant(page)
    page.get_by_label("Giấy chứng sinh").uncheck()
    page.get_by_label("Nội dung khác cần bổ sung (mỗi dòng một nội dung)").fill("Bản sao CCCD của mẹ")
    page.get_by_role("button", name="Yêu cầu bổ sung").click()
    page.wait_for_url(re.compile(r"\?in=supplement$"))
    dossier = Dossier.objects.get()
    assert dossier.status == Status.INTAKE_SUPPLEMENT
    assert dossier.supplements.get().items == ["Bản sao CCCD của mẹ", "Giấy chứng sinh"]
    assert_slip_link(page, f"/ho-so/{dossier.code}/in/phieu-bo-sung.pdf")
    expect(page.get_by_role("link", name=re.compile("Mẫu 02"))).to_have_count(2)


def test_bad_phone_is_shown_next_to_the_field_and_the_form_keeps_its_values(page, world):
    login(page, "motcua")
    start_intake(page)
    fill_applicant(page)
    page.get_by_label("Số điện thoại").fill("0123")
    page.get_by_label("Giấy chứng sinh").uncheck()
    page.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.locator("#id_phone_errors")).to_contain_text("Số điện thoại không đúng định dạng")
    expect(page.get_by_label("Số điện thoại")).to_be_focused()
    expect(page.get_by_label("Họ tên người nộp / tên tổ chức")).to_have_value("Phạm Văn Bình")
    expect(page.get_by_label("Số điện thoại")).to_have_value("0123")
    expect(page.get_by_label("Giấy chứng sinh")).not_to_be_checked()
    expect(page.get_by_label("Tờ khai đăng ký khai sinh")).to_be_checked()
    assert not Dossier.objects.exists()


def test_pages_fit_an_office_screen(page, world):
    dossier = receive(world)
    login(page, "motcua")
    for path in (
        "/ho-so/",
        "/ho-so/tong-quan/",
        "/ho-so/tiep-nhan/",
        "/ho-so/tiep-nhan/?procedure=1.001193",
        f"/ho-so/{dossier.code}/",
    ):
        page.goto(page.base + path)
        no_horizontal_overflow(page)
    login(page, "lanhdao")
    page.goto(f"{page.base}/ho-so/{dossier.code}/")
    for box in page.locator("details.action summary").all():
        box.click()
    no_horizontal_overflow(page)
