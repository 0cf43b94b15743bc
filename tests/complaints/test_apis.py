"""The complaints API exactly as issue 14 names it: intake → 201 with the acceptance deadline and its
explanation; the case redacted unless the handler reveals with a logged reason; the actions; the access log."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.complaints.models import IdentityAccess
from tests.complaints.conftest import CONTENT, PERSON

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


BODY = {
    "unit_code": "25747",
    "kind": "denunciation",
    "received_on": "2026-12-01",
    "channel": "in_person",
    "person": {k: PERSON[k] for k in ("full_name", "id_number", "address", "phone")},
    "content": CONTENT,
    "remote_area": False,
    "complex": False,
}


def test_intake_answers_201_with_the_deadline_and_its_explanation(world):
    r = api(world.leader).post(reverse("api:complaints"), BODY, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["kind"] == "denunciation" and body["status"] == "received"
    assert body["acceptance_due_on"] == "2026-12-10"
    assert body["explanation"][0]["reason"].startswith("Ngày bắt đầu tính")
    assert "Luật Tố cáo 2018, Điều 24" in body["rule"]["text"]
    assert body["person"] is None and PERSON["full_name"] not in str(body)


def test_bad_input_is_400_in_vietnamese(world):
    r = api(world.leader).post(
        reverse("api:complaints"),
        {**BODY, "kind": "rumour", "channel": "fax", "received_on": "01/12/2026"},
        format="json",
    )
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert set(errors) >= {"kind", "channel", "received_on"} and "YYYY-MM-DD" in errors["received_on"][0]


def test_the_case_is_redacted_unless_the_handler_reveals_it_with_a_reason(world, leader2):
    code = api(world.leader).post(reverse("api:complaints"), BODY, format="json").json()["code"]
    url = reverse("api:complaint", args=[code])
    assert api(world.specialist).get(url).json()["person"] is None
    assert api(leader2).get(url + "?reveal=1&reason=Tôi muốn biết ai đã gửi").status_code == 403
    assert api(world.leader).get(url + "?reveal=1").status_code == 400
    r = api(world.leader).get(url + "?reveal=1&reason=Mời người tố cáo bổ sung chứng cứ")
    assert r.status_code == 200 and r.json()["person"]["full_name"] == PERSON["full_name"]
    assert IdentityAccess.objects.get().via == "api"
    log = api(world.leader).get(reverse("api:complaint-access-log", args=[code])).json()
    assert log[0]["user"] == world.leader.username and log[0]["reason"] == "Mời người tố cáo bổ sung chứng cứ"
    assert api(world.specialist).get(reverse("api:complaint-access-log", args=[code])).status_code == 403
    assert api(world.counter_b).get(url).status_code == 404
    assert api().get(url).status_code in (401, 403)


def test_the_actions_by_api(world):
    client = api(world.leader)
    code = client.post(reverse("api:complaints"), BODY, format="json").json()["code"]
    act = lambda a, **data: client.post(reverse(f"api:complaint-{a}", args=[code]), data, format="json")  # noqa: E731
    assert act("accept").json()["status"] == "accepted"
    assert act("assign", assignee=world.specialist.username).status_code == 200
    assert act("assign", assignee="nobody").status_code == 400
    r = act("extend", reason="Vụ việc phức tạp, nhiều người liên quan.", decision_number="01/QĐ-UBND")
    assert r.status_code == 200 and r.json()["extension_count"] == 1
    assert act("refuse", reason="Không đủ điều kiện thụ lý theo luật.").status_code == 409
    r = act("conclude", outcome="Tố cáo đúng một phần, đã xử lý kỷ luật.", decision_number="02/KL-UBND")
    assert r.json()["status"] == "concluded"
    assert act("withdraw", reason="Người tố cáo rút đơn ngày 5/12.").status_code == 409


def test_the_list_is_scoped_and_never_carries_the_person(world):
    api(world.leader).post(reverse("api:complaints"), BODY, format="json")
    mine = api(world.counter_a).get(reverse("api:complaints")).json()
    assert mine["count"] == 1 and PERSON["full_name"] not in str(mine) and PERSON["phone"] not in str(mine)
    assert api(world.counter_b).get(reverse("api:complaints")).json()["count"] == 0
    assert api(world.counter_b).post(reverse("api:complaints"), BODY, format="json").status_code == 403
