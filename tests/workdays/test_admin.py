import pytest
from django.urls import reverse

from cqtt.core.models import AuditEvent
from cqtt.workdays.models import CalendarOverride
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_an_override_added_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {
            "date": "2027-09-03",
            "kind": "holiday",
            "province": "",
            "name": "Nghỉ Quốc khánh",
            "reference": "Thông báo 1/TB-BNV",
            "note": "",
        },
    )

    assert response.status_code == 302
    assert CalendarOverride.objects.get().name == "Nghỉ Quốc khánh"
    assert AuditEvent.objects.filter(action="calendar_override.created").exists()


def test_the_admin_shows_a_duplicate_or_out_of_range_date_next_to_the_field(admin_client):
    url = reverse("admin:workdays_calendaroverride_add")
    data = {
        "date": "2027-09-03",
        "kind": "holiday",
        "province": "",
        "name": "Nghỉ",
        "reference": "",
        "note": "",
    }
    admin_client.post(url, data)

    duplicate = admin_client.post(url, data)
    out_of_range = admin_client.post(url, {**data, "date": "2050-01-03"})

    assert duplicate.status_code == 200
    assert "Đã có ngày điều chỉnh" in duplicate.text
    assert "2015–2040" in out_of_range.text
    assert CalendarOverride.objects.count() == 1


def test_the_admin_refuses_office_hours_out_of_order(admin_client):
    from tests.factories import make_commune

    commune = make_commune()
    response = admin_client.post(
        reverse("admin:workdays_workschedule_add"),
        {
            "unit": commune.pk,
            "morning_start": "07:30",
            "morning_end": "14:00",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
            "cutoff": "15:00",
        },
    )

    assert response.status_code == 200
    assert "Giờ làm việc phải theo thứ tự" in response.text
