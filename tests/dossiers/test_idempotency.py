"""POST /api/v1/dossiers/ with an `Idempotency-Key`: a retry gets the first answer instead of a second dossier."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.dossiers.models import Dossier, IdempotencyKey
from cqtt.dossiers.services import idempotency_keys_purge
from tests.factories import make_user

from .test_apis import BODY, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers/"


def post(api: APIClient, body: dict, key: str | None = "lan-gui-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(URL, body, format="json", **headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_no_second_dossier(world):
    api = client_for(world.counter_a)
    first = post(api, BODY)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    # when the client lost the answer and sends the same request again
    again = post(api, BODY)
    # then
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    key = IdempotencyKey.objects.get()
    assert (key.user, key.key, key.response_status) == (world.counter_a, "lan-gui-1", 201)
    assert key.response_body == first.json()


def test_the_same_key_with_another_body_is_422_in_vietnamese(world):
    api = client_for(world.counter_a)
    assert post(api, BODY).status_code == 201
    other = {**BODY, "applicant": {**BODY["applicant"], "full_name": "Trần Thị Cúc"}}
    r = post(api, other)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới."
    )
    assert Dossier.objects.count() == 1


def test_keys_are_per_user(world):
    other_officer = make_user("motcua3", unit=world.a, role=Role.COUNTER_OFFICER)
    assert post(client_for(world.counter_a), BODY).status_code == 201
    r = post(client_for(other_officer), BODY)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    assert Dossier.objects.count() == 2


def test_different_keys_and_no_key_each_create_a_dossier(world):
    api = client_for(world.counter_a)
    assert post(api, BODY, key="a").status_code == 201
    assert post(api, BODY, key="b").status_code == 201
    assert post(api, BODY, key=None).status_code == 201
    assert post(api, BODY, key=None).status_code == 201
    assert Dossier.objects.count() == 4
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.parametrize(
    "key", ["", "x" * 101, "khóa-có-dấu", "tab\there"], ids=["empty", "101", "non-ascii", "tab"]
)
def test_a_malformed_key_is_400(world, key):
    r = post(client_for(world.counter_a), BODY, key=key)
    assert r.status_code == 400
    assert r.json()["errors"]["Idempotency-Key"] == [
        "Idempotency-Key phải gồm 1 đến 100 ký tự ASCII in được."
    ]
    assert not Dossier.objects.exists()


def test_a_key_of_100_printable_characters_is_accepted(world):
    assert post(client_for(world.counter_a), BODY, key="K-" + "9" * 96 + " ~").status_code == 201


def test_a_refused_request_does_not_use_up_its_key(world):
    api = client_for(world.counter_a)
    bad = {**BODY, "procedure_code": "9.999999"}
    assert post(api, bad).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(api, BODY).status_code == 201


def test_a_key_older_than_a_day_is_forgotten(world):
    api = client_for(world.counter_a)
    assert post(api, BODY).status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    # the old answer is not replayed and the key can be used again, even for another body
    other = {**BODY, "applicant": {**BODY["applicant"], "full_name": "Trần Thị Cúc"}}
    r = post(api, other)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    assert Dossier.objects.count() == 2
    assert IdempotencyKey.objects.get().response_body == r.json()


def test_purge_removes_only_keys_older_than_a_day(world):
    api = client_for(world.counter_a)
    post(api, BODY, key="old")
    post(api, BODY, key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_purge_command_says_how_many_keys_it_removed(world):
    from io import StringIO

    from django.core.management import call_command

    api = client_for(world.counter_a)
    post(api, BODY, key="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    out = StringIO()
    call_command("idempotency_keys_purge", stdout=out)
    assert "Đã xóa 1 khóa Idempotency-Key quá hạn." in out.getvalue()
    assert not IdempotencyKey.objects.exists()


def test_the_header_is_in_the_schema(world):
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    create = schema["paths"]["/api/v1/dossiers/"]["post"]
    (header,) = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header" and header.get("required", False) is False
    assert header["schema"]["maxLength"] == 100
    assert "422" in create["responses"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_key_at_once_create_exactly_one_dossier(world):
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def send():
        try:
            api = client_for(world.counter_a)
            barrier.wait(timeout=20)
            r = post(api, BODY, key="cung-luc")
            answers.append((r.status_code, r.json(), r.headers.get("Idempotent-Replayed")))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Dossier.objects.count() == 1
    assert sorted(a[0] for a in answers) == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert sorted(str(a[2]) for a in answers) == ["None", "true"]
    assert IdempotencyKey.objects.count() == 1
