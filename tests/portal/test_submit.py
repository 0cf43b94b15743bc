import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqtt.dossiers.models import Dossier, Status

from .conftest import pdf_file, png_file

pytestmark = pytest.mark.django_db

PHONE = "0912345678"
ID_NUMBER = "079085001234"


def submit_url(world, procedure=None, unit=None) -> str:
    procedure = procedure or world.birth
    unit = unit or world.a
    return reverse("portal:submit", args=[procedure.code]) + f"?unit={unit.code}"


def form_data(world, **over) -> dict:
    data = {
        "full_name": "Phạm Văn Bình",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "binh@example.vn",
        "address": "12 Đường Bạch Đằng",
        "delivery": "counter",
        "consent": "on",
    }
    first, second = world.birth.documents.all()
    data[f"doc_{first.pk}"] = pdf_file("to-khai.pdf")
    data[f"doc_{second.pk}"] = png_file("giay-chung-sinh.png")
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_submission_creates_an_online_dossier_with_its_stored_files(client, world):
    response = client.post(submit_url(world), form_data(world))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:submitted", args=[dossier.code])
    assert dossier.status == Status.SUBMITTED_ONLINE
    assert dossier.channel == "online" and dossier.delivery == "counter"
    assert dossier.receiving_unit == world.a
    assert dossier.applicant_name == "Phạm Văn Bình" and dossier.applicant_phone == PHONE
    assert dossier.due_at is None
    docs = list(dossier.documents.order_by("order"))
    assert [d.name for d in docs] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [d.required_document_id for d in docs] == [d.pk for d in world.birth.documents.all()]
    assert [d.content_type for d in docs] == ["application/pdf", "image/png"]
    for doc in docs:
        assert doc.size > 0 and default_storage.exists(doc.file.name)
    with docs[0].file.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert dossier.events.get().action == "submit-online"


def test_a_pdf_named_png_is_stored_as_pdf(client, world):
    first, second = world.birth.documents.all()
    data = form_data(world, **{f"doc_{second.pk}": pdf_file("chup-man-hinh.png")})
    client.post(submit_url(world), data)
    doc = Dossier.objects.get().documents.get(required_document=second)
    assert doc.content_type == "application/pdf"
    assert doc.file.name.endswith(".pdf")


def test_confirmation_shows_code_status_next_steps_and_lookup_link(client, world):
    response = client.post(submit_url(world), form_data(world), follow=True)
    dossier = Dossier.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert "Chờ tiếp nhận" in html
    assert "thời hạn giải quyết bắt đầu tính từ lúc tiếp nhận" in html
    assert reverse("portal:lookup_token", args=[dossier.lookup_token]) in html


def test_confirmation_page_is_only_for_the_session_that_submitted(client, world):
    from django.test import Client

    client.post(submit_url(world), form_data(world))
    code = Dossier.objects.get().code
    url = reverse("portal:submitted", args=[code])

    stranger = Client().get(url)

    assert stranger.status_code == 302 and stranger["Location"] == reverse("portal:lookup")
    assert client.get(url).status_code == 200


def test_confirmation_of_another_code_redirects_even_for_a_submitter(client, world):
    client.post(submit_url(world), form_data(world))
    other = client.post(submit_url(world), form_data(world))
    assert other.status_code == 302
    response = client.get(reverse("portal:submitted", args=["25747-000000-9999"]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:lookup")


def test_bad_input_keeps_what_was_typed_and_asks_to_choose_files_again(client, world):
    response = client.post(
        submit_url(world),
        form_data(world, phone="12345", id_number="0790850012", email="binh@", delivery="online"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert 'value="Phạm Văn Bình"' in html
    assert 'value="12 Đường Bạch Đằng"' in html
    assert 'value="12345"' in html
    assert "Số điện thoại không đúng định dạng" in html
    assert "12 chữ số" in html
    assert "thư điện tử không hợp lệ" in html
    assert "hãy chọn lại tất cả các tệp đính kèm" in html
    assert re.search(r'value="online"[^>]*checked', html)


def test_a_refused_upload_is_reported_next_to_its_document(client, world):
    first, _second = world.birth.documents.all()
    text = SimpleUploadedFile("to-khai.pdf", b"chi la van ban", content_type="application/pdf")
    response = client.post(submit_url(world), form_data(world, **{f"doc_{first.pk}": text}))
    html = response.content.decode()
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert "Tệp “Tờ khai đăng ký khai sinh” không phải PDF, JPEG hay PNG" in html


def test_every_required_document_needs_a_file(client, world):
    _first, second = world.birth.documents.all()
    response = client.post(submit_url(world), form_data(world, **{f"doc_{second.pk}": None}))
    assert response.status_code == 400
    assert "Chưa chọn tệp cho “Giấy chứng sinh”" in response.content.decode()
    assert not Dossier.objects.exists()


def test_consent_to_personal_data_processing_is_required(client, world):
    response = client.post(submit_url(world), form_data(world, consent=None))
    assert response.status_code == 400
    assert "đồng ý xử lý dữ liệu cá nhân" in response.content.decode()
    assert not Dossier.objects.exists()


def test_post_delivery_needs_an_address(client, world):
    response = client.post(submit_url(world), form_data(world, delivery="post", address=""))
    assert response.status_code == 400
    assert "cần địa chỉ để gửi" in response.content.decode()


def test_form_shows_one_upload_per_required_document_and_the_consent(client, world):
    response = client.get(submit_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    for doc in world.birth.documents.all():
        assert f'name="doc_{doc.pk}"' in html and doc.name in html
    assert 'type="file"' in html and 'accept=".pdf,.jpg,.jpeg,.png' in html
    assert "Nghị định 13/2023/NĐ-CP" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_procedure_submitted_only_in_person_cannot_be_submitted_online(client, world):
    assert world.copy.online_level == "truc_tiep"
    url = submit_url(world, procedure=world.copy)

    page = client.get(url)
    posted = client.post(url, form_data(world))

    assert "chưa nộp được trực tuyến" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert posted.status_code == 400
    assert not Dossier.objects.exists()


def test_a_commune_not_offering_the_procedure_is_not_accepted(client, world):
    from tests.factories import make_commune

    elsewhere = make_commune(world.city, code="26000", name="Phường Khác")
    response = client.post(submit_url(world, unit=elsewhere), form_data(world))
    assert response.status_code == 404
    assert "không thực hiện thủ tục này" in response.content.decode()
    assert not Dossier.objects.exists()


def test_without_a_commune_the_page_lists_the_communes_offering_it(client, world):
    response = client.get(reverse("portal:submit", args=[world.birth.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"?unit={world.a.code}" in html and f"?unit={world.b.code}" in html


def test_unknown_procedure_is_404(client, world):
    assert client.get(reverse("portal:submit", args=["9.999999"])).status_code == 404


def test_choose_page_lists_only_procedures_that_can_be_submitted_online(client, world):
    response = client.get(reverse("portal:submit_choose"))
    html = response.content.decode()
    assert world.birth.name in html
    assert world.copy.name not in html
    assert reverse("portal:submit", args=[world.birth.code]) in html


def test_choose_page_carries_the_chosen_commune_to_the_form(client, world):
    response = client.get(
        reverse("portal:submit_choose"), {"province": world.city.code, "unit": world.a.code, "q": "khai sinh"}
    )
    html = response.content.decode()
    assert reverse("portal:submit", args=[world.birth.code]) + f"?unit={world.a.code}" in html
    assert f'<option value="{world.a.code}" selected>' in html


def test_submissions_are_rate_limited_per_address(client, world, settings):
    settings.PORTAL_SUBMIT_RATE = "2/h"
    for _ in range(2):
        assert client.post(submit_url(world), form_data(world)).status_code == 302
    response = client.post(submit_url(world), form_data(world))
    assert response.status_code == 429
    assert Dossier.objects.count() == 2


def test_full_width_digits_typed_on_a_phone_are_stored_as_ascii(client, world):
    response = client.post(
        submit_url(world),
        form_data(world, id_number="０７９０ ８５００ １２３４", phone="０９１２３４５６７８"),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_number, dossier.applicant_phone) == (ID_NUMBER, PHONE)
