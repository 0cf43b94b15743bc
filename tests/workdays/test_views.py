import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_page_without_input_shows_the_form_only(client):
    response = client.get(reverse("workdays:explain"))

    assert response.status_code == 200
    assert "Cách tính ngày hẹn trả kết quả" in response.text
    assert 'type="datetime-local"' in response.text
    assert 'id="due-at"' not in response.text


def test_the_page_explains_a_due_date_around_tet(client):
    response = client.get(
        reverse("workdays:explain"),
        {"received_at": "2026-02-13T10:00", "amount": "1", "unit": "working_days"},
    )

    assert response.status_code == 200
    assert "17:00, Thứ Hai 23/02/2026" in response.text
    assert "Giao thừa Tết Nguyên Đán" in response.text
    assert "Thứ Bảy 14/02/2026" in response.text


def test_a_comma_decimal_is_accepted(client):
    response = client.get(
        reverse("workdays:explain"),
        {"received_at": "2026-03-09T09:00", "amount": "2,5", "unit": "working_days"},
    )

    assert "11:30, Thứ Năm 12/03/2026" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received_at": "", "amount": "1", "unit": "working_days"}, "Vui lòng nhập ngày giờ tiếp nhận."),
        (
            {"received_at": "hôm qua", "amount": "1", "unit": "working_days"},
            "Ngày giờ tiếp nhận không hợp lệ",
        ),
        ({"received_at": "2050-01-03T10:00", "amount": "1", "unit": "working_days"}, "2015–2040"),
        ({"received_at": "2026-02-13T10:00", "amount": "1,3", "unit": "working_days"}, "theo bước 0,5"),
        (
            {"received_at": "2026-02-13T10:00", "amount": "", "unit": "working_hours"},
            "Vui lòng nhập thời hạn",
        ),
        ({"received_at": "2026-02-13T10:00", "amount": "1", "unit": "tuan"}, "Đơn vị tính phải là"),
        (
            {
                "received_at": "2026-02-13T10:00",
                "amount": "1",
                "unit": "working_days",
                "unit_code": "Xã Không Có",
            },
            "Không tìm thấy đơn vị",
        ),
    ],
)
def test_bad_input_shows_the_message_next_to_the_field_and_keeps_the_values(client, params, message):
    response = client.get(reverse("workdays:explain"), params)

    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'id="due-at"' not in response.text
    for value in params.values():
        if value and value != "tuan":
            assert f'value="{value}"' in response.text
