"""Letters in a real chromium: the leader signs the apology the sweep drafted and the citizen's SMS reaches the
local gateway with the new date; a returned birth registration's congratulation is signed and printed."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from cqtt.dossiers import services as dossiers
from cqtt.letters import services
from cqtt.letters.models import Letter
from cqtt.notifications import worker
from tests.dossiers.conftest import applicant, at, documents_for
from tests.dossiers.test_browser import login, no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_progress(world):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        d = dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(email=""),
            documents=documents_for(world.birth),
            at=at(2026, 11, 23, 9, 0),
        ).dossier
        return dossiers.dossier_assign(
            actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
        )


def test_the_leader_signs_the_apology_and_the_citizen_is_texted_the_new_date(page, world, gateway):
    d = _in_progress(world)
    d.refresh_from_db()
    with time_machine.travel(d.risk_at, tick=False):
        assert services.apology_sweep(now=d.risk_at) == 1
        worker.run_once(batch=10)  # the receipt SMS
        gateway.posts.clear()
        login(page, "lanhdao")
        page.goto(page.base + "/thu/")
        row = page.locator("tr[data-kind=apology]")
        expect(row).to_contain_text("Phạm Văn Bình")
        row.get_by_role("link", name="Thư xin lỗi và hẹn lại ngày trả kết quả").click()
        expect(page.get_by_test_id("letter-status")).to_have_text("Dự thảo, chờ ký")
        page.get_by_label("Lý do ghi trong thư").fill("Cần xác minh nơi cư trú với phường khác")
        page.get_by_label("Ngày hẹn mới (dd/mm/yyyy)").fill("09/12/2026")
        page.get_by_role("button", name="Ký thư").click()
        expect(page.get_by_text(re.compile(r"Đã ký thư số 01/PXL-UBND"))).to_be_visible()
        expect(page.get_by_test_id("letter-status")).to_have_text("Đã gửi")
        no_horizontal_overflow(page)
        assert worker.run_once(batch=10) == 1
    assert len(gateway.posts) == 1
    text = gateway.posts[0]["text"]
    assert "xin lỗi" in text and "09/12/2026" in text and d.code in text
    assert gateway.posts[0]["to"] == "84912345678"
    d.refresh_from_db()
    assert d.extended_at is not None and d.due_at.date().isoformat() == "2026-12-09"


def test_a_returned_birth_registration_gets_its_congratulation_signed_and_printed(page, world):
    d = _in_progress(world)
    when = at(2026, 11, 26, 9, 0)
    with time_machine.travel(when, tick=False):
        d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=when)
        d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=when)
        d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=when)
        dossiers.dossier_return_result(
            actor=world.counter_a, dossier=d, collected_by="Phạm Văn Bình", at=when
        )
    letter = Letter.objects.get(dossier=d, kind="congratulation")
    login(page, "lanhdao")
    page.goto(page.base + f"/ho-so/{d.code}/")
    part = page.get_by_test_id("dossier-letters")
    expect(part).to_contain_text("Thư chúc mừng")
    part.get_by_role("link", name="Thư chúc mừng").click()
    expect(page.get_by_text("đăng ký khai sinh")).to_be_visible()
    page.get_by_role("button", name="Ký thư").click()
    expect(page.get_by_text("Đã ký thư số 01/TCM-UBND.")).to_be_visible()
    href = page.get_by_test_id("letter-pdf").get_attribute("href")
    pdf = page.request.get(page.base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.channel == "sms"


def _drafts(world, names):
    return [
        services.letter_draft(
            actor=world.counter_a, kind="thanks", unit=world.a, recipient_name=name, reason="góp ý"
        )
        for name in names
    ]


def test_the_leader_selects_every_letter_at_once_and_signs_them(page, world):
    letters = _drafts(world, ["Nguyễn Văn An", "Lê Thị Bảy", "Trần Văn Ba"])
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        login(page, "lanhdao")
        page.goto(page.base + "/thu/")
        everything = page.get_by_label("Chọn tất cả")
        boxes = [page.get_by_label(f"Chọn thư gửi {x.recipient_name}") for x in letters]
        everything.check()
        for box in boxes:
            expect(box).to_be_checked()
        boxes[1].uncheck()  # one less: "all" is no longer ticked, only half
        expect(everything).not_to_be_checked()
        assert everything.evaluate("el => el.indeterminate") is True
        boxes[1].check()
        expect(everything).to_be_checked()
        everything.uncheck()
        for box in boxes:
            expect(box).not_to_be_checked()
        everything.check()
        page.get_by_role("button", name="Ký các thư đã chọn").click()
        expect(page.get_by_text("Đã ký 3 thư.")).to_be_visible()
        no_horizontal_overflow(page)
    assert sorted(Letter.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_without_javascript_the_letters_are_ticked_one_by_one(browser, live_server, world):
    _drafts(world, ["Nguyễn Văn An", "Lê Thị Bảy", "Trần Văn Ba"])
    context = browser.new_context(java_script_enabled=False, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    try:
        with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
            login(page, "lanhdao")
            page.goto(page.base + "/thu/")
            expect(page.get_by_label("Chọn tất cả")).to_be_hidden()  # it would do nothing without JS
            page.get_by_label("Chọn thư gửi Nguyễn Văn An").check()
            page.get_by_label("Chọn thư gửi Trần Văn Ba").check()
            page.get_by_role("button", name="Ký các thư đã chọn").click()
            expect(page.get_by_text("Đã ký 2 thư.")).to_be_visible()
    finally:
        context.close()
    signed = Letter.objects.filter(number__isnull=False).values_list("recipient_name", flat=True)
    assert sorted(signed) == ["Nguyễn Văn An", "Trần Văn Ba"]


def test_the_template_editor_s_preview_follows_the_typing(page, world):
    login(page, "lanhdao")
    page.goto(page.base + "/thu/mau/thanks/")
    preview = page.get_by_test_id("preview")
    body = page.get_by_label("Nội dung")
    body.fill("Cảm ơn ((nguoi_nhan)) đã góp ý cho ((don_vi)).")
    expect(preview).to_contain_text("Cảm ơn Phạm Văn Bình đã góp ý cho Phường Thủ Dầu Một.")
    expect(preview.get_by_role("alert")).to_have_count(0)
    body.press_sequentially(" ((ngay_hen))", delay=10)
    expect(preview.get_by_role("alert")).to_contain_text("“((ngay_hen))” không dùng được trong loại thư này")
    page.get_by_role("button", name="Lưu mẫu").click()  # the editor refuses it as the preview said
    expect(page.locator(".errorlist").first).to_contain_text("((ngay_hen))")
    no_horizontal_overflow(page)


def test_a_unit_adds_renames_and_archives_a_kind_of_its_own_and_offers_it_for_new_letters(page, world):
    from cqtt.letters.models import LetterTemplate

    login(page, "lanhdao")
    page.goto(page.base + "/thu/mau/")
    page.get_by_role("link", name="+ Thêm loại thư riêng của đơn vị").click()
    page.get_by_label("Tên loại thư").fill("Thư chúc thọ")
    page.get_by_label("Trích yếu").fill("Thư chúc thọ")
    page.get_by_label("Nội dung").fill("Kính chúc ((nguoi_nhan)) sống lâu.")
    page.get_by_role("button", name="Lưu mẫu").click()
    kinds = page.get_by_test_id("custom-kinds")
    expect(kinds).to_contain_text("Thư chúc thọ")
    kinds.get_by_role("link", name="Sửa hoặc đổi tên Thư chúc thọ").click()
    page.get_by_label("Tên loại thư").fill("Thư mừng thọ")
    page.get_by_role("button", name="Lưu mẫu").click()
    expect(kinds).to_contain_text("Thư mừng thọ")
    page.goto(page.base + "/thu/moi/")
    page.get_by_label("Loại thư", exact=True).select_option(label="Thư mừng thọ")
    page.get_by_label("Kính gửi (họ tên)").fill("Cụ Mười")
    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.get_by_text("Kính chúc Cụ Mười sống lâu.")).to_be_visible()
    page.goto(page.base + "/thu/mau/")
    expect(kinds.get_by_role("button", name="Xóa")).to_have_count(0)  # a letter was made from it
    kinds.get_by_role("button", name="Lưu trữ").click()
    expect(kinds).to_contain_text("đã lưu trữ")
    no_horizontal_overflow(page)
    assert LetterTemplate.objects.get(kind="custom").archived_at is not None
