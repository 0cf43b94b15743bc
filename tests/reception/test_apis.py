"""The reception API: the public schedule without personal data, sessions created published (400 naming the
earliest day under 5 working days), the register's visits; wrong unit 404, observer 403."""

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.reception.models import Session, Visit

from .conftest import NOW, at, new_session, new_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


SESSION = {
    "unit_code": "25747",
    "leader": "lanhdao",
    "starts_at": "2026-12-01T08:00:00+07:00",
    "place": "Phòng tiếp công dân UBND phường",
    "content": "Tiếp công dân định kỳ",
}


def test_a_session_five_working_days_ahead_is_created_published(world):
    response = api(world.leader).post(reverse("api:reception-sessions"), SESSION, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "published" and body["leader"] == "lanhdao"
    assert body["starts_at"] == "2026-12-01T08:00:00+07:00"


def test_a_session_under_five_working_days_is_400_naming_the_earliest_date(world):
    response = api(world.leader).post(
        reverse("api:reception-sessions"),
        {**SESSION, "starts_at": "2026-11-30T08:00:00+07:00"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["starts_at"][0]
    assert "Thứ Ba 01/12/2026" in message and "Điều 24" in message
    assert not Session.objects.exists()


def test_session_of_another_unit_is_404_and_the_observer_403(world):
    assert (
        api(world.counter_b).post(reverse("api:reception-sessions"), SESSION, format="json").status_code
        == 404
    )
    assert (
        api(world.observer).post(reverse("api:reception-sessions"), SESSION, format="json").status_code == 403
    )
    assert api().post(reverse("api:reception-sessions"), SESSION, format="json").status_code in (401, 403)


def test_staff_list_sessions_of_their_unit(world):
    new_session(world)
    rows = api(world.counter_a).get(reverse("api:reception-sessions") + "?unit=25747").json()["results"]
    assert len(rows) == 1
    assert api(world.counter_b).get(reverse("api:reception-sessions") + "?unit=25747").status_code == 404


def test_public_schedule_has_no_personal_data(world):
    session = new_session(world)
    new_visit(world, session=session)
    response = api().get(reverse("api:public-reception") + "?unit=25747")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["status"] for r in rows] == ["published"] and rows[0]["leader"] == "Lê Văn Thành"
    assert "Phạm Văn Bình" not in response.content.decode()
    assert api().get(reverse("api:public-reception")).status_code == 400
    assert api().get(reverse("api:public-reception") + "?unit=00000").status_code == 404


VISIT = {
    "unit_code": "25747",
    "person_name": "Phạm Văn Bình",
    "id_number": "079085001234",
    "content": "Đề nghị sửa đường hẻm 12 Bạch Đằng bị ngập khi mưa.",
    "kind": "petition",
}


def test_a_visit_is_recorded_by_the_counter_officer(world):
    response = api(world.counter_a).post(reverse("api:reception-visits"), VISIT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and body["answer_due_on"] == "2026-12-08" and body["status"] == "open"
    assert Visit.objects.get().received_by == world.counter_a


def test_a_group_visit_and_a_refusal_by_api(world):
    group = {**VISIT, "is_group": True, "people": 15, "representatives": "Ông Trần Văn Cường"}
    assert api(world.counter_a).post(reverse("api:reception-visits"), group, format="json").status_code == 201
    refused = {**VISIT, "refusal_ground": "persistent"}
    body = api(world.counter_a).post(reverse("api:reception-visits"), refused, format="json").json()
    assert body["status"] == "refused" and body["refusal_notice_due_on"] == "2026-11-27"


def test_bad_visit_is_400_field_by_field(world):
    response = api(world.counter_a).post(
        reverse("api:reception-visits"), {**VISIT, "id_number": "123", "is_group": True}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"id_number", "people", "representatives"}


def test_visits_list_masks_numbers_for_the_observer_and_404_for_another_unit(world):
    new_visit(world)
    rows = api(world.observer).get(reverse("api:reception-visits") + "?unit=25747").json()["results"]
    assert rows[0]["id_number"] == "********1234"
    assert api(world.observer).post(reverse("api:reception-visits"), VISIT, format="json").status_code == 403
    assert api(world.counter_b).get(reverse("api:reception-visits") + "?unit=25747").status_code == 404
    late = new_visit(world, now=at(2026, 11, 2, 9, 0))
    rows = (
        api(world.counter_a)
        .get(reverse("api:reception-visits") + "?unit=25747&overdue=true")
        .json()["results"]
    )
    assert [r["id"] for r in rows] == [late.pk]
