"""Printed forms: Mẫu 01, 02, 03 (A5), the control slip (A4); access, content, QR payload and the bundled font."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from fontTools.ttLib import TTFont

from cqtt.dossiers import services as s
from cqtt.dossiers.printouts import printing
from cqtt.dossiers.selectors import access_dossier, dossier_lookup_path

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db

MM = 96 / 25.4  # CSS px per millimetre
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
VIETNAMESE = (
    "Đăng ký khai sinh — Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc ỹỷựữửừứợỡởờớộ"
)


def _request(user):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.user = user
    return request


def _page_size(document) -> tuple[float, float]:
    page = document.pages[0]
    return page.width, page.height


def _url(name, dossier):
    return reverse(f"dossiers:{name}", args=[dossier.code])


def _supplemented(world, *, items=("Bản sao CCCD của mẹ",), reason="Thiếu giấy tờ"):
    return s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth, missing=1),
        missing_items=list(items),
        supplement_reason=reason,
        at=at(2026, 11, 23, 9, 0),
    ).dossier


def _refused_at_intake(world, reason="Việc khai sinh đã được đăng ký tại nơi khác"):
    return s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth),
        refusal_reason=reason,
        at=at(2026, 11, 23, 9, 0),
    ).dossier


# --- Mẫu 01 ------------------------------------------------------------------------------------------------


def test_receipt_slip_is_an_inline_pdf_named_after_the_code(world, client):
    d = receive(world)
    client.force_login(world.counter_a)
    response = client.get(_url("print_receipt", d))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{d.code}-mau-01.pdf"'
    assert response.content.startswith(b"%PDF")


def test_receipt_slip_is_one_a5_portrait_page(world):
    d = access_dossier(user=world.counter_a, code=receive(world).code)
    document = printing.render_document(
        "dossiers/print/receipt.html", printing.receipt_context(_request(world.counter_a), d)
    )
    assert _page_size(document) == pytest.approx(A5, abs=1)
    assert len(document.pages) == 1


def test_receipt_slip_with_four_long_documents_still_fits_one_page(world):
    from cqtt.dossiers.services import DocumentData, dossier_intake

    from .conftest import applicant

    long_names = [
        "Dự thảo hợp đồng, giao dịch về chuyển nhượng quyền sử dụng đất và tài sản gắn liền với đất",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "Giấy tờ tùy thân của người yêu cầu (hộ chiếu, thẻ căn cước hoặc giấy tờ có ảnh) — xuất trình",
        "Văn bản ủy quyền có chứng thực (nếu người nộp không phải người yêu cầu chứng thực)",
    ]
    d = dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=[DocumentData(name=n) for n in long_names],
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    d = access_dossier(user=world.counter_a, code=d.code)
    document = printing.render_document(
        "dossiers/print/receipt.html", printing.receipt_context(_request(world.counter_a), d)
    )
    assert len(document.pages) == 1


def test_receipt_slip_shows_the_code_applicant_appointment_and_book_entry(world):
    world.office.phone = "0274 3822 123"
    world.office.save()
    d = access_dossier(user=world.counter_a, code=receive(world).code)
    html = printing.render_html(
        "dossiers/print/receipt.html", printing.receipt_context(_request(world.counter_a), d)
    )
    for text in (
        d.code,
        "Phạm Văn Bình",
        "079085001234",
        "12 Đường Bạch Đằng",
        "binh@example.vn",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Bản chính",
        "3 ngày làm việc",
        "09 giờ 00 phút, ngày 23 tháng 11 năm 2026",
        "17 giờ 00 phút, ngày 27 tháng 11 năm 2026",
        "Quyển số: 2026, Số thứ tự: 01",
        "Số: 01/2026",
        "UBND PHƯỜNG THỦ DẦU MỘT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thủ Dầu Một, ngày 23 tháng 11 năm 2026",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Hà",
        "8.000 đ",
        "0274 3822 123",
        "http://localhost/tra-cuu/",
    ):
        assert text in html, text


def test_qr_code_encodes_the_absolute_public_lookup_url(world):
    d = access_dossier(user=world.counter_a, code=receive(world).code)
    request = _request(world.counter_a)
    url = printing.lookup_url(request, d)
    assert url == f"http://localhost{dossier_lookup_path(d)}"
    assert url.endswith(f"/{d.lookup_token}/")
    context = printing.receipt_context(request, d)
    assert context["lookup_url"] == url
    assert context["qr_svg"] == printing.qr_svg(url)
    html = printing.render_html("dossiers/print/receipt.html", context)
    assert printing.qr_svg(url) in html and "<svg" in html


def test_receipt_of_a_dossier_not_yet_received_is_404(world, client):
    d = _supplemented(world)
    client.force_login(world.counter_a)
    assert client.get(_url("print_receipt", d)).status_code == 404


def test_user_of_another_commune_gets_404_for_every_form(world, client):
    d = receive(world)
    client.force_login(world.counter_b)
    for name in ("print_receipt", "print_supplement", "print_refusal", "print_control"):
        assert client.get(_url(name, d)).status_code == 404, name


def test_anonymous_user_is_sent_to_the_login_page(world, client):
    d = receive(world)
    response = client.get(_url("print_receipt", d))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["specialist", "leader", "observer"])
def test_any_staff_role_that_sees_the_dossier_may_print(world, client, who):
    d = receive(world)
    client.force_login(getattr(world, who))
    assert client.get(_url("print_control", d)).status_code == 200


def test_unknown_code_is_404(world, client):
    client.force_login(world.counter_a)
    assert client.get(reverse("dossiers:print_receipt", args=["KHONG-CO"])).status_code == 404


# --- Mẫu 02 ------------------------------------------------------------------------------------------------


def test_supplement_slip_lists_every_item_of_the_request(world, client):
    items = ["Bản sao CCCD của mẹ", "Giấy xác nhận nơi cư trú"]
    d = _supplemented(world, items=items, reason="Thiếu căn cứ xác định quan hệ mẹ con")
    d = access_dossier(user=world.counter_a, code=d.code)
    supplement = printing.latest_supplement(d)
    html = printing.render_html(
        "dossiers/print/supplement.html",
        printing.supplement_context(_request(world.counter_a), d, supplement),
    )
    for text in [*items, "Giấy chứng sinh", "Thiếu căn cứ xác định quan hệ mẹ con", d.code, "Phạm Văn Bình"]:
        assert text in html, text
    assert html.count("<li>") == 3
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html
    client.force_login(world.counter_a)
    response = client.get(_url("print_supplement", d))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="{d.code}-mau-02.pdf"'


def test_supplement_slip_prints_the_latest_request_during_appraisal(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    d, _req = s.dossier_request_supplement(
        actor=world.specialist,
        dossier=d,
        items=["Bản sao giấy kết hôn"],
        reason="X",
        at=at(2026, 11, 24, 9, 0),
    )
    d = s.dossier_receive_supplement(actor=world.counter_a, dossier=d, at=at(2026, 11, 25, 9, 0))
    d, _req = s.dossier_request_supplement(
        actor=world.specialist, dossier=d, items=["Văn bản ủy quyền"], reason="Y", at=at(2026, 11, 26, 9, 0)
    )
    d = access_dossier(user=world.counter_a, code=d.code)
    supplement = printing.latest_supplement(d)
    html = printing.render_html(
        "dossiers/print/supplement.html",
        printing.supplement_context(_request(world.counter_a), d, supplement),
    )
    assert "Văn bản ủy quyền" in html and "Bản sao giấy kết hôn" not in html
    assert "Trong quá trình giải quyết" in html
    assert "Trần Minh Đức" in html


def test_supplement_slip_is_a5(world):
    d = access_dossier(user=world.counter_a, code=_supplemented(world).code)
    context = printing.supplement_context(_request(world.counter_a), d, printing.latest_supplement(d))
    assert _page_size(printing.render_document("dossiers/print/supplement.html", context)) == pytest.approx(
        A5, abs=1
    )


def test_supplement_slip_without_a_request_is_404(world, client):
    d = receive(world)
    client.force_login(world.counter_a)
    assert client.get(_url("print_supplement", d)).status_code == 404


# --- Mẫu 03 ------------------------------------------------------------------------------------------------


def test_refusal_slip_at_intake_gives_the_reason_in_words(world, client):
    d = _refused_at_intake(world, reason="Việc khai sinh đã được đăng ký tại nơi khác")
    d = access_dossier(user=world.counter_a, code=d.code)
    context = printing.refusal_context(_request(world.counter_a), d)
    html = printing.render_html("dossiers/print/refusal.html", context)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ" in html
    assert "Việc khai sinh đã được đăng ký tại nơi khác" in html
    assert "Phạm Văn Bình" in html and d.code in html and "Nguyễn Thị Hà" in html
    assert _page_size(printing.render_document("dossiers/print/refusal.html", context)) == pytest.approx(
        A5, abs=1
    )
    client.force_login(world.counter_a)
    response = client.get(_url("print_refusal", d))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="{d.code}-mau-03.pdf"'


def test_refusal_after_appraisal_has_its_own_title(world):
    d = s.dossier_assign(actor=world.leader, dossier=receive(world), assignee=world.specialist)
    d = s.dossier_refuse(
        actor=world.leader,
        dossier=d,
        reason="Người yêu cầu không có quyền đăng ký",
        at=at(2026, 11, 25, 9, 0),
    )
    d = access_dossier(user=world.counter_a, code=d.code)
    html = printing.render_html(
        "dossiers/print/refusal.html", printing.refusal_context(_request(world.counter_a), d)
    )
    assert "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in html
    assert "Người yêu cầu không có quyền đăng ký" in html
    assert "Lê Văn Thành" in html


def test_refusal_slip_for_a_received_dossier_is_404(world, client):
    d = receive(world)
    client.force_login(world.counter_a)
    assert client.get(_url("print_refusal", d)).status_code == 404


# --- control slip ------------------------------------------------------------------------------------------


def test_control_slip_has_one_row_per_step_with_its_verdict(world, client):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    d = s.dossier_submit(actor=world.specialist, dossier=d, at=at(2026, 11, 25, 15, 0))
    d = access_dossier(user=world.counter_a, code=d.code)
    context = printing.control_context(_request(world.counter_a), d)
    assert [row["seq"] for row in context["steps"]] == [1, 2, 3]
    assert context["steps"][0]["timeliness"] in {"Trước hạn", "Đúng hạn", "Quá hạn"}
    assert context["steps"][2]["timeliness"] == ""  # still open
    html = printing.render_html("dossiers/print/control.html", context)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    assert "Trần Minh Đức" in html and "Đang xử lý" in html
    assert "10:00<br>23/11/2026" in html
    document = printing.render_document("dossiers/print/control.html", context)
    assert _page_size(document) == pytest.approx(A4, abs=1)
    client.force_login(world.counter_a)
    assert client.get(_url("print_control", d)).content.startswith(b"%PDF")


# --- formatting and font -----------------------------------------------------------------------------------


def test_dates_follow_the_nd30_padding_rules_in_vietnam_time():
    assert printing.long_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert printing.long_date(dt.date(2026, 11, 23)) == "ngày 23 tháng 11 năm 2026"
    assert printing.long_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    utc = dt.datetime(2026, 11, 22, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 23rd in Vietnam
    assert printing.fmt_datetime(utc) == "01:30 23/11/2026"
    assert printing.long_datetime(utc) == "01 giờ 30 phút, ngày 23 tháng 11 năm 2026"


def test_place_is_the_commune_name_without_its_kind(world):
    assert printing.place_and_date(world.a, dt.date(2026, 2, 1)) == "Thủ Dầu Một, ngày 01 tháng 02 năm 2026"


def test_bundled_font_covers_vietnamese():
    for filename, _weight, _style in printing.FONT_FACES:
        cmap = TTFont(printing.FONT_DIR / filename).getBestCmap()
        missing = {ch for ch in VIETNAMESE + VIETNAMESE.upper() if ord(ch) not in cmap}
        assert not missing, (filename, missing)
    assert (printing.FONT_DIR / "OFL.txt").read_text().startswith("Liberation Serif")


def test_forms_use_only_the_bundled_font():
    document = printing.html_to_document(f"<p>{VIETNAMESE}</p><p><b>{VIETNAMESE}</b></p><p><i>x</i></p>")
    assert document.write_pdf().startswith(b"%PDF")  # fonts are collected while drawing
    names = {font.name.decode() for font in document.fonts.values()}
    assert len(names) == 3 and all(
        name.endswith(("+CQTT-Serif", "+CQTT-Serif-Bold", "+CQTT-Serif-Italic")) for name in names
    ), names


def test_printing_never_fetches_other_files_or_the_network():
    fetcher = printing._url_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/x.png", "https://example.com/a.css"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = (printing.FONT_DIR / printing.FONT_FACES[0][0]).as_uri()
    response = fetcher.fetch(font)
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


def test_supplement_and_refusal_slips_are_numbered_per_unit_and_year(world):
    from cqtt.dossiers.services import dossier_intake

    from .conftest import applicant, documents_for

    def intake(**kw):
        return dossier_intake(
            actor=world.counter_a,
            procedure_code="1.001193",
            applicant=applicant(),
            documents=documents_for(world.birth),
            at=at(2026, 11, 23, 9, 0),
            **kw,
        ).dossier

    first = intake(missing_items=["Bản sao CCCD"])
    second = intake(missing_items=["Giấy chứng sinh"])
    refused = intake(refusal_reason="Không thuộc thẩm quyền")
    assert [first.supplements.get().number, second.supplements.get().number] == [1, 2]
    assert refused.refusal_number == 1
    request = _request(world.counter_a)
    supplement = printing.latest_supplement(second)
    html = printing.render_html(
        "dossiers/print/supplement.html", printing.supplement_context(request, second, supplement)
    )
    assert "02/2026/PYCBS" in html
    html = printing.render_html("dossiers/print/refusal.html", printing.refusal_context(request, refused))
    assert "01/2026/PTC" in html
