"""A citizen submits online from a phone; the counter officer receives it in the office; the citizen follows it."""

import re

import pytest
from playwright.sync_api import expect

from cqtt.dossiers.models import Dossier, Status
from tests.portal.conftest import PDF_BYTES, png_bytes

from .test_browser import do_action, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_online_submission_with_uploads_is_received_at_the_counter(phone_page, page, world):
    # the citizen, on a 360 px phone
    citizen = phone_page
    citizen.goto(f"{citizen.base}/nop-truc-tuyen/1.001193/?unit={world.a.code}")
    citizen.get_by_label("Họ và tên").fill("Phạm Văn Bình")
    citizen.get_by_label("Số định danh cá nhân").fill("079085001234")
    citizen.get_by_label("Số điện thoại").fill("0912345678")
    citizen.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    citizen.get_by_label("Giấy chứng sinh").set_input_files(
        {"name": "chung-sinh.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    citizen.get_by_label(re.compile("Tôi đồng ý")).check()
    citizen.get_by_role("button", name="Gửi hồ sơ").click()
    expect(citizen.get_by_role("heading", name="Đã gửi hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED_ONLINE

    # the counter officer, at the office, finds it in "awaiting reception" and receives it
    login(page, "motcua")
    page.goto(page.base + "/ho-so/")
    page.get_by_role("link", name=dossier.code).first.click()
    expect(page.get_by_role("heading", name=re.compile(dossier.code))).to_be_visible()
    upload = dossier.documents.exclude(file="").first()
    with page.expect_download() as download:
        page.locator(f'a[href$="/tep/{upload.pk}/"]').first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    do_action(page, "receive", "Tiếp nhận hồ sơ")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None

    # the citizen follows the dossier from the lookup link
    citizen.goto(citizen.base + f"/tra-cuu/{dossier.lookup_token}/")
    expect(citizen.locator("#dossier-status")).to_have_text("Đã tiếp nhận, chờ phân công")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_public_lookup_opens_from_the_slips_qr_link(phone_page, page, world):
    from urllib.parse import urlsplit

    from django.test import RequestFactory

    from cqtt.dossiers.printouts.printing import receipt_context

    from .conftest import receive

    dossier = receive(world)
    # the slip the counter officer prints is a real PDF …
    login(page, "motcua")
    slip = page.request.get(page.base + f"/ho-so/{dossier.code}/in/phieu-tiep-nhan.pdf")
    assert slip.status == 200 and slip.body().startswith(b"%PDF")
    # … whose QR code carries the absolute lookup URL of this dossier on this server
    host = urlsplit(page.base).netloc
    context = receipt_context(RequestFactory().get("/", HTTP_HOST=host), dossier)
    assert context["lookup_url"] == f"{page.base}/tra-cuu/{dossier.lookup_token}/"
    assert "<svg" in context["qr_svg"]
    # the citizen scans it with a phone
    phone_page.goto(context["lookup_url"])
    expect(phone_page.locator("#dossier-status")).to_have_text("Đã tiếp nhận, chờ phân công")
    expect(phone_page.get_by_text(dossier.code)).to_be_visible()
    assert "Phạm Văn Bình" not in phone_page.content()
