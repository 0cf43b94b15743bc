"""The notices' API and services around it: a dossier's messages for the staff of its unit (numbers masked),
providers' receipts and SMS replies behind the callback token, a retry by hand, a unit's own templates."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cqtt.accounts.models import Role
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.models import AuditEvent
from cqtt.dossiers import services as dossiers
from cqtt.notifications import rules, services, worker
from cqtt.notifications.models import Message, NoticeTemplate, Suppression
from tests.dossiers.conftest import applicant, at, documents_for
from tests.factories import make_user

from .conftest import make_message

NOW = at(2026, 11, 23, 9, 0)
PHONE = "84912345678"
LIST = "/api/v1/notifications/"
HTTP_RECEIPT = "/api/v1/notifications/callbacks/http/"
ESMS_RECEIPT = "/api/v1/notifications/callbacks/esms/"
INBOUND = "/api/v1/notifications/inbound/http/"
BEARER = {"HTTP_AUTHORIZATION": "Bearer cb-secret"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def intake(world, capture, *, when=NOW, **notify):
    with capture(execute=True):
        return dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(**notify),
            documents=documents_for(world.birth),
            at=when,
            counter=world.counter,
        ).dossier


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


# --- a dossier's messages ----------------------------------------------------------------------------------


def test_staff_of_the_unit_list_a_dossiers_messages_with_the_addresses_masked(
    world, gateway, mailbox, frozen, client, django_capture_on_commit_callbacks
):
    d = intake(world, django_capture_on_commit_callbacks)
    assert worker.run_once(batch=10) == 2
    other = intake(world, django_capture_on_commit_callbacks, phone="0987654321", email="")  # another dossier
    sms = Message.objects.get(subject_code=d.code, channel="sms")
    email = Message.objects.get(subject_code=d.code, channel="email")

    r = client.get(LIST, {"dossier": d.code}, **auth(world.counter_a))
    assert r.status_code == 200, r.content
    rows = {row["channel"]: row for row in r.json()}
    assert set(rows) == {"sms", "email"}
    row = rows["sms"]
    assert row == {
        "id": str(sms.pk),
        "channel": "sms",
        "to_masked": "091****678",
        "status": "sent",
        "attempts": 1,
        "created_at": row["created_at"],
        "sent_at": row["sent_at"],
        "event": "received",
    }
    assert dt.datetime.fromisoformat(row["created_at"]) == NOW == sms.created_at
    assert dt.datetime.fromisoformat(row["sent_at"]) == NOW == sms.sent_at
    assert rows["email"]["to_masked"] == "b***@example.vn" and rows["email"]["id"] == str(email.pk)
    assert rows["email"]["status"] == "sent"
    text = r.content.decode()
    assert "912345678" not in text and "binh@" not in text  # never the full address
    assert other.code not in text

    waiting = client.get(LIST, {"dossier": other.code}, **auth(world.leader)).json()
    assert [(m["channel"], m["to_masked"], m["status"], m["sent_at"]) for m in waiting] == [
        ("sms", "098****321", "created", None)
    ]


def test_the_list_is_newest_first(world, frozen, client):
    first = make_message(world.a, at=NOW - dt.timedelta(hours=1), event="received")
    second = make_message(world.a, at=NOW, event="result_ready")
    r = client.get(LIST, {"dossier": first.subject_code}, **auth(world.counter_a))
    assert [m["id"] for m in r.json()] == [str(second.pk), str(first.pk)]


def test_another_ward_and_the_observer_see_no_message(world, frozen, client):
    m = make_message(world.a, at=NOW)
    assert len(client.get(LIST, {"dossier": m.subject_code}, **auth(world.counter_a)).json()) == 1
    for user in (world.counter_b, world.specialist_b, world.observer):
        r = client.get(LIST, {"dossier": m.subject_code}, **auth(user))
        assert r.status_code == 200 and r.json() == [], user


def test_one_message_is_read_in_the_readers_scope_and_a_bad_id_finds_nothing(world, frozen):
    from cqtt.notifications import selectors

    m = make_message(world.a, at=NOW)
    assert selectors.message_for(user=world.counter_a, pk=m.pk) == m
    assert selectors.message_for(user=world.counter_a, pk=str(m.pk)) == m
    assert selectors.message_for(user=world.counter_b, pk=m.pk) is None
    assert selectors.message_for(user=world.observer, pk=m.pk) is None
    for bad in ("not-a-message-id", "", None, 12):
        assert selectors.message_for(user=world.counter_a, pk=bad) is None, bad


def test_the_list_needs_a_signed_in_user_and_a_dossier_code(world, frozen, client):
    m = make_message(world.a, at=NOW)
    r = client.get(LIST, {"dossier": m.subject_code})
    assert r.status_code == 401
    headers = auth(world.counter_a)
    r = client.get(LIST, **headers)
    assert r.status_code == 400 and "dossier" in r.json()["errors"]
    for bad in ("", "   ", "x" * 41):
        r = client.get(LIST, {"dossier": bad}, **headers)
        assert r.status_code == 400 and "dossier" in r.json()["errors"], bad


# --- receipts ----------------------------------------------------------------------------------------------


def sent_sms(world, **kw):
    m = make_message(world.a, at=NOW, **kw)
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "sent"
    return m


def test_a_gateway_receipt_marks_the_message_delivered(world, gateway, frozen, client):
    m = sent_sms(world)
    frozen.move_to(NOW + dt.timedelta(seconds=5))
    r = post(client, HTTP_RECEIPT, {"reference": str(m.pk), "status": "delivered"}, **BEARER)
    assert r.status_code == 200 and r.json() == {"matched": True}
    m.refresh_from_db()
    assert m.status == "delivered" and m.delivered_at == NOW + dt.timedelta(seconds=5)
    # a second receipt for the same message changes nothing
    r = post(client, HTTP_RECEIPT, {"reference": str(m.pk), "status": "failed"}, **BEARER)
    assert r.json() == {"matched": False}
    m.refresh_from_db()
    assert m.status == "delivered"


def test_a_receipt_may_name_the_gateways_id_or_say_failed_with_a_reason(world, gateway, frozen, client):
    m = sent_sms(world)
    r = post(client, HTTP_RECEIPT, {"id": m.provider_id, "status": "failed", "reason": "máy tắt"}, **BEARER)
    assert r.json() == {"matched": True}
    m.refresh_from_db()
    assert m.status == "permanent-failure" and m.failure == "máy tắt" and m.delivered_at is None


def test_a_receipt_for_no_message_of_ours_matches_nothing(world, gateway, frozen, client):
    m = sent_sms(world)
    for body in (
        {"reference": "00000000-0000-0000-0000-000000000000", "status": "delivered"},
        {"reference": "not-a-message-id", "status": "delivered"},
        {"id": "gw-999", "status": "delivered"},
        {"status": "delivered"},
    ):
        r = post(client, HTTP_RECEIPT, body, **BEARER)
        assert r.status_code == 200 and r.json() == {"matched": False}, body
    r = post(client, HTTP_RECEIPT, {"reference": str(m.pk), "status": "read"}, **BEARER)
    assert r.status_code == 400
    m.refresh_from_db()
    assert m.status == "sent"


def test_a_receipt_without_the_callback_token_is_not_found(world, gateway, notify_settings, frozen, client):
    m = sent_sms(world)
    body = {"reference": str(m.pk), "status": "delivered"}
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": "Token cb-secret"}):
        assert post(client, HTTP_RECEIPT, body, **headers).status_code == 404, headers
    assert post(client, f"{HTTP_RECEIPT}?token=wrong", body).status_code == 404
    m.refresh_from_db()
    assert m.status == "sent"
    # no token configured: nothing is accepted, not even an empty one
    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "CALLBACK_TOKEN": ""}
    assert post(client, HTTP_RECEIPT, body, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert post(client, f"{HTTP_RECEIPT}?token=", body).status_code == 404
    m.refresh_from_db()
    assert m.status == "sent"


def test_the_token_may_come_in_the_query(world, gateway, frozen, client):
    m = sent_sms(world)
    r = post(client, f"{HTTP_RECEIPT}?token=cb-secret", {"reference": str(m.pk), "status": "delivered"})
    assert r.json() == {"matched": True}


def test_an_esms_delivery_report_marks_the_message_delivered(world, esms, frozen, client):
    m = sent_sms(world)
    assert m.provider == "esms" and m.provider_id
    still = client.get(ESMS_RECEIPT, {"token": "cb-secret", "SMSID": m.provider_id, "SendSuccess": "0"})
    assert still.status_code == 200 and still.json() == {"matched": False}  # on its way
    m.refresh_from_db()
    assert m.status == "sent"
    assert client.get(ESMS_RECEIPT, {"token": "wrong", "SMSID": m.provider_id}).status_code == 404
    assert client.get(ESMS_RECEIPT, {"SMSID": m.provider_id, "SendSuccess": "1"}).status_code == 404

    r = client.get(ESMS_RECEIPT, {"token": "cb-secret", "SMSID": m.provider_id, "SendSuccess": "1"})
    assert r.status_code == 200 and r.json() == {"matched": True}
    m.refresh_from_db()
    assert m.status == "delivered" and m.delivered_at == NOW


def test_an_esms_failure_report_by_request_id(world, esms, frozen, client):
    m = sent_sms(world)
    r = client.get(
        ESMS_RECEIPT,
        {
            "token": "cb-secret",
            "RequestId": str(m.pk),
            "SendSuccess": "0",
            "SendFailed": "1",
            "SendStatus": "4",
        },
    )
    assert r.json() == {"matched": True}
    m.refresh_from_db()
    assert m.status == "permanent-failure" and "SendStatus 4" in m.failure
    # the gateway's receipt endpoint does not take eSMS's messages
    m2 = sent_sms(world, to="84987654321")
    r = post(client, HTTP_RECEIPT, {"reference": str(m2.pk), "status": "delivered"}, **BEARER)
    assert r.json() == {"matched": False}


# --- SMS replies -------------------------------------------------------------------------------------------


def test_an_opt_out_reply_stops_the_citizens_messages(
    world, gateway, frozen, client, django_capture_on_commit_callbacks
):
    d = intake(world, django_capture_on_commit_callbacks)
    waiting = Message.objects.get(subject_code=d.code, channel="sms")
    email = Message.objects.get(subject_code=d.code, channel="email")
    other = make_message(world.a, at=NOW, to="84987654321")

    r = post(client, INBOUND, {"from": "0912345678", "text": "TC"}, **BEARER)
    assert r.status_code == 200 and r.json() == {"opted_out": True}
    row = Suppression.objects.get()
    assert (row.channel, row.address) == ("sms", PHONE)
    waiting.refresh_from_db()
    assert waiting.status == "permanent-failure" and "từ chối" in waiting.failure
    email.refresh_from_db()
    other.refresh_from_db()
    assert email.status == "created" and other.status == "created"  # another channel, another number
    assert AuditEvent.objects.filter(action="notifications.suppression.create").count() == 1

    assert worker.run_once(batch=10) == 2  # the e-mail and the other number's SMS
    assert [p["to"] for p in gateway.posts] == ["84987654321"]

    later = intake(world, django_capture_on_commit_callbacks, when=NOW + dt.timedelta(hours=1))
    assert list(Message.objects.filter(subject_code=later.code).values_list("channel", flat=True)) == [
        "email"
    ]

    again = post(client, INBOUND, {"from": "+84912345678", "text": "tc"}, **BEARER)
    assert again.json() == {"opted_out": False}  # already stopped
    assert Suppression.objects.count() == 1


def test_an_opt_out_stops_zalo_too_and_other_words_change_nothing(
    world, zalo, frozen, client, django_capture_on_commit_callbacks
):
    NoticeTemplate.objects.create(
        unit=world.a, event="received", channel="zalo", body="ZNS", zalo_template_id="231456"
    )
    r = post(client, INBOUND, {"from": "0912345678", "text": "Cảm ơn"}, **BEARER)
    assert r.json() == {"opted_out": False}
    assert not Suppression.objects.exists()
    assert post(client, INBOUND, {"text": "TC"}, **BEARER).status_code == 400
    assert post(client, INBOUND, {"from": "0912345678", "text": "TC"}).status_code == 404

    z = make_message(world.a, at=NOW, channel="zalo", template_id="231456")
    r = post(client, INBOUND, {"from": "0912345678", "text": " từ chối "}, **BEARER)
    assert r.json() == {"opted_out": True}
    z.refresh_from_db()
    assert z.status == "permanent-failure"
    d = intake(world, django_capture_on_commit_callbacks, notify_zalo=True, email="")
    assert not Message.objects.filter(subject_code=d.code).exists()


# --- a retry by hand ---------------------------------------------------------------------------------------


def failed_sms(world, gateway, code=400):
    gateway.script = [code]
    m = make_message(world.a, at=NOW)
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    return m


def test_a_counter_officer_retries_a_failed_message(world, gateway, frozen):
    m = failed_sms(world, gateway)
    assert m.status == "permanent-failure"
    frozen.move_to(NOW + dt.timedelta(hours=1))
    again = services.message_retry(actor=world.counter_a, message=m)
    assert again.status == "created"
    m.refresh_from_db()
    assert (m.status, m.attempts, m.failure) == ("created", 0, "")
    assert m.next_attempt_at == NOW + dt.timedelta(hours=1)
    event = AuditEvent.objects.get(action="notifications.message.retry")
    assert event.actor == world.counter_a and event.object_id == str(m.pk)
    assert event.unit_code == world.a.code
    assert event.changes == {"status": ["permanent-failure", "created"]}

    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 1
    assert list(gateway.delivered) == [str(m.pk)]


def test_a_technical_failure_can_be_retried_by_the_leader(world, gateway, frozen):
    m = failed_sms(world, gateway, code=401)
    assert m.status == "technical-failure"
    services.message_retry(actor=world.leader, message=m)
    m.refresh_from_db()
    assert m.status == "created"


def test_only_the_units_counter_officers_leaders_and_admins_may_retry(world, gateway, frozen):
    m = failed_sms(world, gateway)
    for user in (world.counter_b, world.observer, world.specialist):
        with pytest.raises(PermissionDenied):
            services.message_retry(actor=user, message=m)
    m.refresh_from_db()
    assert m.status == "permanent-failure"
    assert not AuditEvent.objects.filter(action="notifications.message.retry").exists()
    admin = make_user("qtv", unit=world.a, role=Role.UNIT_ADMIN)
    services.message_retry(actor=admin, message=m)
    m.refresh_from_db()
    assert m.status == "created"


def test_a_sent_message_or_an_invalid_number_cannot_be_retried(world, gateway, frozen):
    m = sent_sms(world)
    with pytest.raises(TransitionNotAllowed):
        services.message_retry(actor=world.counter_a, message=m)
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 1
    waiting = make_message(world.a, at=NOW, to="84987654321")
    with pytest.raises(TransitionNotAllowed):
        services.message_retry(actor=world.counter_a, message=waiting)
    landline = make_message(
        world.a, at=NOW, to="02743822123", status="permanent-failure", failure="không phải số di động"
    )
    with pytest.raises(TransitionNotAllowed):
        services.message_retry(actor=world.counter_a, message=landline)
    landline.refresh_from_db()
    assert landline.status == "permanent-failure"


# --- a unit's templates ------------------------------------------------------------------------------------


def test_a_template_naming_a_placeholder_the_notice_lacks_is_refused(world, frozen):
    with pytest.raises(ServiceError) as refused:
        services.template_save(
            actor=world.leader,
            unit=world.a,
            event="received",
            channel="sms",
            body="Hồ sơ ((ma_ho_so)): ((so_tien))",
        )
    [problem] = refused.value.message_dict["body"]
    assert "((so_tien))" in problem
    for name in rules.placeholders_of("received"):
        assert f"(({name.name}))" in problem
    assert "((ly_do))" not in problem  # not offered by this notice
    assert not NoticeTemplate.objects.exists()

    # an online submission has no appointment yet
    with pytest.raises(ServiceError) as refused:
        services.template_save(
            actor=world.leader, unit=world.a, event="submitted", channel="sms", body="Hẹn ((ngay_hen))"
        )
    assert "((ngay_hen))" in refused.value.message_dict["body"][0]
    # nor may the subject of an e-mail name one
    with pytest.raises(ServiceError) as refused:
        services.template_save(
            actor=world.leader,
            unit=world.a,
            event="received",
            channel="email",
            subject="((khong_co))",
            body="Hồ sơ ((ma_ho_so))",
        )
    assert "((khong_co))" in refused.value.message_dict["body"][0]


def test_a_counter_officer_cannot_write_the_units_templates(world, frozen):
    with pytest.raises(PermissionDenied):
        services.template_save(
            actor=world.counter_a, unit=world.a, event="received", channel="sms", body="Hồ sơ ((ma_ho_so))"
        )


def test_a_saved_template_words_the_next_notice(world, gateway, frozen, django_capture_on_commit_callbacks):
    before = intake(world, django_capture_on_commit_callbacks, email="")
    old = Message.objects.get(subject_code=before.code).text
    assert old.startswith(world.a.full_name)

    services.template_save(
        actor=world.leader,
        unit=world.a,
        event="received",
        channel="sms",
        body="  Ho so ((ma_ho_so)) da nhan,\n hen tra ((ngay_hen)).  ",
    )
    event = AuditEvent.objects.get(action="notifications.template.save")
    assert event.actor == world.leader and event.unit_code == world.a.code
    d = intake(world, django_capture_on_commit_callbacks, email="", when=NOW + dt.timedelta(minutes=5))
    sms = Message.objects.get(subject_code=d.code)
    assert sms.text == f"Ho so {d.code} da nhan, hen tra 27/11/2026."
    assert Message.objects.get(subject_code=before.code).text == old  # a message made stays as it was

    # the other ward keeps the built-in wording
    with django_capture_on_commit_callbacks(execute=True):
        b = dossiers.dossier_intake(
            actor=world.counter_b,
            procedure_code=world.birth.code,
            applicant=applicant(email=""),
            documents=documents_for(world.birth),
            at=NOW + dt.timedelta(minutes=10),
        ).dossier
    assert Message.objects.get(subject_code=b.code).text.startswith(world.b.full_name)

    # switched off: no SMS for this notice
    services.template_save(
        actor=world.leader, unit=world.a, event="received", channel="sms", body="", is_active=False
    )
    off = intake(world, django_capture_on_commit_callbacks, when=NOW + dt.timedelta(minutes=15))
    assert list(Message.objects.filter(subject_code=off.code).values_list("channel", flat=True)) == ["email"]


def test_zalo_s_signed_webhook_marks_a_zns_message_delivered_and_an_unsigned_one_is_404(
    world, settings, client
):
    import hashlib

    from cqtt.notifications.models import Message

    settings.NOTIFY = {**settings.NOTIFY, "ZALO_APP_ID": "app-1", "ZALO_OA_SECRET": "oa-secret"}
    m = Message.objects.create(
        key="z:1",
        unit=world.a,
        event="received",
        channel="zalo",
        to="84912345678",
        text="t",
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
        status="sent",
        provider="zalo",
        provider_id="zmsg-9",
    )
    body = json.dumps(
        {
            "app_id": "app-1",
            "event_name": "user_received_message",
            "timestamp": "1764590000000",
            "message": {"msg_id": "zmsg-9", "delivery_time": "1764590000000"},
        }
    ).encode()
    mac = hashlib.sha256(b"app-1" + body + b"1764590000000" + b"oa-secret").hexdigest()
    url = "/api/v1/notifications/callbacks/zalo/"
    bad = client.post(url, body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE="mac=" + "0" * 64)
    assert bad.status_code == 404
    r = client.post(url, body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=f"mac={mac}")
    assert r.status_code == 200 and r.json() == {"matched": True}
    m.refresh_from_db()
    assert m.status == "delivered" and m.delivered_at is not None


# --- eSMS's MO (a citizen's SMS to the unit's service number) ----------------------------------------------

ESMS_INBOUND = "/api/v1/notifications/inbound/esms/"


def _mo(client, *, token="cb-secret", **params):
    """eSMS's MO request as eSMS sends it: a GET with its parameters (the token in the registered URL)."""
    query = {
        "sender": PHONE,
        "content": "TC",
        "keyword": "TC",
        "serviceNumber": "8079",
        "smsid": "f0e1d2c3-0001",
        "receiverTime": "20261123090000",
        "cpid": "CP001",
        **params,
    }
    if token is not None:
        query["token"] = token
    return client.get(ESMS_INBOUND, query)


def _client_response(r) -> dict[str, str]:
    from xml.etree import ElementTree

    assert r.status_code == 200 and r["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(r.content)
    assert root.tag == "ClientResponse"
    return {child.tag: child.text or "" for child in root}


def test_an_esms_mo_with_an_opt_out_word_stops_the_number_and_answers_esms_client_response(
    world, notify_settings, frozen, client
):
    waiting = make_message(world.a, at=NOW, to=PHONE)
    other = make_message(world.a, at=NOW, to="84987654321")
    answer = _client_response(_mo(client))
    assert answer == {
        "Message": "Da ngung gui tin nhan thong bao ho so toi so nay.",
        "Smsid": "f0e1d2c3-0001",
        "Receiver": PHONE,
    }
    row = Suppression.objects.get()
    assert (row.channel, row.address, row.reason) == ("sms", PHONE, "trả lời tin nhắn")
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == "permanent-failure" and other.status == "created"
    assert AuditEvent.objects.filter(action="notifications.suppression.create").count() == 1
    # eSMS sends an MO again when it got no answer: the same answer, nothing more
    assert _client_response(_mo(client))["Message"].startswith("Da ngung gui")
    assert Suppression.objects.count() == 1


def test_an_esms_mo_after_the_service_s_keyword_and_other_words_and_bad_requests(
    world, notify_settings, frozen, client
):
    # a word that is not an opt-out changes nothing, and says how to stop
    answer = _client_response(_mo(client, content="Cảm ơn cán bộ", keyword="Cảm"))
    assert answer["Message"] == "Tin nhan tu dong, khong nhan tra loi. Nhan TC de ngung nhan thong bao ho so."
    assert not Suppression.objects.exists()
    # the unit's service keyword in front of the citizen's word
    _client_response(_mo(client, content="UBNDTDM huỷ", keyword="UBNDTDM", sender="84987654321"))
    assert Suppression.objects.get().address == "84987654321"
    # the same token check as every callback: without it, or with another, nothing is done
    assert _mo(client, token=None, sender="84911111111").status_code == 404
    assert _mo(client, token="wrong", sender="84911111111").status_code == 404
    r = client.post(f"{ESMS_INBOUND}?token=cb-secret", {"sender": "84911111111", "content": "TC"})
    assert r.status_code == 405
    assert _mo(client, sender="").status_code == 400
    assert Suppression.objects.count() == 1


def test_an_esms_mo_must_carry_esms_sign_when_the_private_key_is_set(world, notify_settings, frozen, client):
    import base64
    import hashlib

    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "ESMS_MO_PRIVATE_KEY": "17417a0d20114d36"}
    raw = "CP001" + "f0e1d2c3-0001" + "TC" + "20261123090000" + "17417a0d20114d36"
    sign = base64.b64encode(hashlib.md5(raw.encode()).digest()).decode()
    assert _mo(client).status_code == 404  # unsigned
    assert _mo(client, sign="AAAA" + sign[4:]).status_code == 404
    assert _mo(client, sign=sign, content="TC ").status_code == 404  # signed for another text
    assert not Suppression.objects.exists()
    assert _client_response(_mo(client, sign=sign))["Receiver"] == PHONE
    assert Suppression.objects.filter(address=PHONE).exists()
