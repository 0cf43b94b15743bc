"""The API: the public list of a unit's dialogues with commitments and on-time flags (no personal data), one
dialogue, and the staff endpoints that mark a commitment done or dropped (404 for another unit, 403 for the
observer, 409 for a state the table refuses)."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.dialogues import services
from tests.dialogues.conftest import commit, held, plan

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_the_public_list_gives_public_dialogues_with_commitments_and_on_time_flags(world, frozen_clock):
    d = held(world)
    plan(world, topic="Chưa công bố")
    done = commit(world, d, days=1)
    services.commitment_complete(
        actor=world.leader, commitment=done, done_on=dt.date(2026, 11, 23), evidence="Xong."
    )
    commit(world, d, days=1, text="Sửa ổ gà đường Yersin")
    response = api().get(reverse("api:public-dialogues"), {"unit": "25747"})
    assert response.status_code == 200
    [row] = response.json()
    assert row["code"] == d.code and row["kept_on_time"] == 1 and row["total"] == 2
    flags = {c["text"]: (c["kept_on_time"], c["overdue"]) for c in row["commitments"]}
    assert flags == {"Dẹp chợ tạm trên đường Yersin": (True, False), "Sửa ổ gà đường Yersin": (None, True)}
    assert world.specialist.full_name not in response.content.decode()
    assert api().get(reverse("api:public-dialogues"), {"unit": "nope"}).status_code == 404
    assert api().get(reverse("api:public-dialogue", args=[d.code])).json()["total"] == 2


def test_staff_mark_a_commitment_done_through_the_api(world, frozen_clock):
    d = held(world)
    c = commit(world, d, days=5)
    url = reverse("api:dialogue-commitment-complete", args=[c.pk])
    body = {"done_on": "2026-11-24", "evidence": "Đã dẹp chợ tạm.", "version": c.version}
    assert api(world.specialist_b).post(url, body, format="json").status_code == 404
    assert api(world.observer).post(url, body, format="json").status_code == 403
    bad = api(world.specialist).post(url, {"done_on": "2026-12-30", "evidence": "x"}, format="json")
    assert bad.status_code == 400 and "done_on" in bad.json()["errors"]
    response = api(world.specialist).post(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["kept_on_time"] is True
    again = api(world.leader).post(
        reverse("api:dialogue-commitment-drop", args=[c.pk]), {"reason": "Thôi"}, format="json"
    )
    assert again.status_code == 409
