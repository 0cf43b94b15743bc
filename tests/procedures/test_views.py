import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from cqtt.procedures.models import Procedure
from tests.factories import make_user

from .test_importing import GOOD, rows_to_csv

pytestmark = pytest.mark.django_db


def test_catalogue_lists_and_searches(client, catalogue):
    response = client.get(reverse("procedures:catalogue"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" not in html


def test_catalogue_filters_by_unit_and_offers_communes_of_province(client, catalogue, commune, province):
    response = client.get(reverse("procedures:catalogue"), {"unit": commune.code})
    html = response.content.decode()
    assert "Đăng ký kết hôn" in html and "Chứng thực bản sao" not in html
    assert f'<option value="{commune.code}" selected>' in html
    assert f'<option value="{province.code}" selected>' in html


def test_catalogue_htmx_request_gets_results_fragment(client, catalogue):
    response = client.get(reverse("procedures:catalogue"), {"q": "kết hôn"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "Đăng ký kết hôn" in html and 'hx-swap-oob="true"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 101}, "tối đa 100 ký tự"),
        ({"unit": "99999"}, "Không có đơn vị mã “99999”"),
        ({"unit": "<script>"}, "Mã đơn vị không hợp lệ"),
        ({"field": "ZZ"}, "Lĩnh vực đã chọn không có trong danh mục"),
    ],
)
def test_catalogue_bad_input_shows_message_and_keeps_input(client, catalogue, params, message):
    response = client.get(reverse("procedures:catalogue"), params | {"q": params.get("q", "khai sinh")})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="' + params.get("q", "khai sinh") + '"' in html


def test_catalogue_pin_query_count(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("procedures:catalogue"), {"q": "đăng ký", "unit": "25747"})


def test_detail_shows_documents_fees_duration_and_units(client, catalogue):
    response = client.get(reverse("procedures:detail", args=["1.001193"]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Giấy chứng sinh",
        "Trong ngày",
        "Một phần",
        "Phường Sài Gòn",
        "Phường Tân Định",
        "Không thu",
    ]:
        assert text in html
    marriage = client.get(reverse("procedures:detail", args=["DP.HT.02"])).content.decode()
    assert "8.000 đ" in marriage and "3 ngày làm việc" in marriage


def test_detail_of_unknown_code_is_404(client, catalogue):
    assert client.get(reverse("procedures:detail", args=["0.000000"])).status_code == 404


def test_blank_form_download(client, catalogue):
    document = catalogue["birth"].documents.first()
    document.blank_form.save("to-khai.docx", ContentFile(b"form"), save=True)
    html = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    url = reverse("procedures:blank_form", args=["1.001193", document.pk])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"form"
    other = catalogue["birth"].documents.last()
    assert client.get(reverse("procedures:blank_form", args=["1.001193", other.pk])).status_code == 404


def test_import_page_requires_login_and_role(client, commune):
    url = reverse("procedures:import")
    assert client.get(url).status_code == 302
    client.force_login(make_user(unit=commune, role="counter_officer"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": io.BytesIO(b"x")}).status_code == 403


def test_import_page_good_file(client, civil, commune, commune2):
    client.force_login(make_user(unit=commune, role="unit_admin", username="admin25747"))
    client.force_login(make_user(is_superuser=True))
    upload = rows_to_csv([GOOD])
    upload.name = "dm.csv"
    response = client.post(reverse("procedures:import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Đã nhập xong: 1 thủ tục mới" in response.content.decode()
    assert Procedure.objects.filter(code="1.001193").exists()


def test_import_page_bad_file_shows_error_table(client, civil, commune):
    client.force_login(make_user(unit=commune, role="unit_admin"))
    upload = rows_to_csv([GOOD | {"units": "25747, 00004"}, GOOD | {"code": "B.1", "duration": "nhanh"}])
    upload.name = "dm.csv"
    response = client.post(reverse("procedures:import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "chưa nhập dòng nào" in html and "Không có đơn vị mã “00004”" in html and "Thời hạn “nhanh”" in html
    )
    assert Procedure.objects.count() == 0


def test_import_page_without_file(client, commune):
    client.force_login(make_user(unit=commune, role="unit_admin"))
    response = client.post(reverse("procedures:import"), {})
    assert response.status_code == 400 and "Hãy chọn tệp cần nhập." in response.content.decode()


def test_export_for_staff_only(client, catalogue, commune):
    url = reverse("procedures:export")
    assert client.get(url).status_code == 302
    client.force_login(make_user(unit=commune, role="counter_officer"))
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    # the officer sees the versions its commune offers, listing only its own commune
    assert {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)} == {
        "1.001193",
        "DP.HT.02",
    }
    csv_response = client.get(url, {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Đăng ký khai sinh" in csv_response.content.decode("utf-8-sig")
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_export_refused_to_user_without_role(client):
    client.force_login(make_user())
    assert client.get(reverse("procedures:export")).status_code == 403
