import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import make_commune

pytestmark = pytest.mark.django_db
URL = "/api/v1/workdays/due-date/"


@pytest.fixture
def api():
    return APIClient()


def test_due_date_around_tet_2026_with_explanation(api):
    response = api.get(
        URL, {"received_at": "2026-02-13T10:00:00+07:00", "amount": "1", "unit": "working_days"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-02-23T17:00:00+07:00"
    assert body["explanation"][0] == {"date": "2026-02-13", "reason": "Ngày tiếp nhận, không tính"}
    assert {"date": "2026-02-17", "reason": "Tết Nguyên Đán"} in body["explanation"]
    assert body["explanation"][-1] == {"date": "2026-02-23", "reason": "Ngày làm việc thứ 1"}


def test_naive_received_at_is_vietnam_time_and_other_offsets_are_converted(api):
    naive = api.get(URL, {"received_at": "2026-03-09T15:01", "unit": "same_day"}).json()
    utc = api.get(URL, {"received_at": "2026-03-09T07:59:00Z", "unit": "same_day"}).json()

    assert naive["due_at"] == "2026-03-10T17:00:00+07:00"
    assert utc["due_at"] == "2026-03-09T17:00:00+07:00"  # 14:59 in Hà Nội


def test_an_unencoded_plus_in_the_offset_is_tolerated(api):
    response = api.get(URL + "?received_at=2026-03-09T10:00:00+07:00&amount=0.5&unit=working_days")

    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-03-10T11:30:00+07:00"


def test_working_hours_and_a_units_province_calendar(api):
    commune = make_commune()
    response = api.get(
        URL,
        {
            "received_at": "2026-03-13T16:00:00+07:00",
            "amount": "2",
            "unit": "working_hours",
            "unit_code": commune.code,
        },
    )

    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-03-16T08:30:00+07:00"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"amount": "1", "unit": "working_days"}, "received_at", "Vui lòng nhập thời điểm tiếp nhận"),
        (
            {"received_at": "13/02/2026 hôm qua", "amount": "1", "unit": "working_days"},
            "received_at",
            "không hợp lệ",
        ),
        (
            {"received_at": "2026-02-30T10:00", "amount": "1", "unit": "working_days"},
            "received_at",
            "không hợp lệ",
        ),
        (
            {"received_at": "2050-01-03T10:00", "amount": "1", "unit": "working_days"},
            "received_at",
            "2015–2040",
        ),
        (
            {"received_at": "2040-12-31T10:00", "amount": "5", "unit": "working_days"},
            "received_at",
            "ngoài lịch",
        ),
        ({"received_at": "2026-02-13T10:00", "amount": "-1", "unit": "working_days"}, "amount", "bước 0,5"),
        ({"received_at": "2026-02-13T10:00", "amount": "1.25", "unit": "working_days"}, "amount", "bước 0,5"),
        ({"received_at": "2026-02-13T10:00", "amount": "abc", "unit": "working_days"}, "amount", "một số"),
        ({"received_at": "2026-02-13T10:00", "amount": "NaN", "unit": "working_days"}, "amount", "một số"),
        ({"received_at": "2026-02-13T10:00", "unit": "working_days"}, "amount", "Vui lòng nhập thời hạn"),
        ({"received_at": "2026-02-13T10:00", "amount": "1", "unit": "weeks"}, "unit", "working_days"),
        ({"received_at": "2026-02-13T10:00", "amount": "1"}, "unit", "Vui lòng chọn đơn vị tính"),
        (
            {"received_at": "2026-02-13T10:00", "amount": "1", "unit": "working_days", "unit_code": "XX999"},
            "unit_code",
            "Không tìm thấy đơn vị",
        ),
    ],
)
def test_bad_input_answers_400_with_the_fields_message(api, params, field, message):
    response = api.get(URL, params)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert message in " ".join(body["errors"][field])


def test_the_endpoint_is_in_the_openapi_schema(api):
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/workdays/due-date/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"received_at", "amount", "unit", "unit_code"}


@pytest.mark.parametrize("amount", ["0", "1", None])
def test_same_day_accepts_zero_one_or_no_amount(amount):
    params = {"received_at": "2026-11-23T15:01:00+07:00", "unit": "same_day"}
    if amount is not None:
        params["amount"] = amount
    r = APIClient().get("/api/v1/workdays/due-date/", params)
    assert r.status_code == 200, r.json()
    assert r.json()["due_at"] == "2026-11-25T17:00:00+07:00"  # after the cut-off; 24/11 is Culture Day
