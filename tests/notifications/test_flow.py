"""From a dossier change to the citizen's phone and mailbox: the outbox consumer writes the messages, the worker
sends them to local servers over real sockets, receipts mark them delivered."""

import json

import pytest
import time_machine

from cqtt.dossiers import services as dossiers
from cqtt.notifications import worker
from cqtt.notifications.models import Message, Recipient
from tests.dossiers.conftest import applicant, at, documents_for

NOW = at(2026, 11, 23, 9, 0)


def intake(world, capture, **notify):
    with capture(execute=True):
        return dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(**notify),
            documents=documents_for(world.birth),
            at=NOW,
            counter=world.counter,
        ).dossier


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_received_dossier_sends_sms_and_email_with_code_due_date_and_lookup_link(
    world, gateway, mailbox, frozen, django_capture_on_commit_callbacks
):
    d = intake(world, django_capture_on_commit_callbacks)
    messages = {m.channel: m for m in Message.objects.filter(subject_code=d.code)}
    assert set(messages) == {"sms", "email"}
    sms = messages["sms"]
    assert sms.status == "created" and sms.event == "received" and sms.to == "84912345678"
    assert d.code in sms.text and "27/11/2026" in sms.text  # 3 working days, 24/11 off in this calendar
    assert f"https://motcua.example.vn/tra-cuu/{d.lookup_token}/" in sms.text

    assert worker.run_once(batch=10) == 2
    assert len(gateway.posts) == 1
    post = gateway.posts[0]
    assert post == {"to": "84912345678", "text": sms.text, "reference": str(sms.pk)}
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.provider == "http" and sms.provider_id == "gw-1" and sms.attempts == 1
    assert sms.sent_at is not None

    assert len(mailbox.messages) == 1
    mail = mailbox.messages[0]
    assert mail["To"] == "binh@example.vn"
    assert d.code in mail["Subject"]
    assert mail["Message-ID"] == f"<{messages['email'].pk}@cqtt.local>"
    assert "/thong-bao/huy/" in mail["List-Unsubscribe"]
    body = mail.get_content()
    assert "Kính gửi ông/bà Phạm Văn Bình" in body and "Đăng ký khai sinh" in body
    messages["email"].refresh_from_db()
    assert messages["email"].status == "sent"


def test_the_consumer_running_twice_makes_each_message_once(
    world, gateway, frozen, django_capture_on_commit_callbacks
):
    from cqtt.core import outbox
    from cqtt.core.models import OutboxDelivery, OutboxEvent

    d = intake(world, django_capture_on_commit_callbacks, email="")
    event = OutboxEvent.objects.get(aggregate_id=d.pk, kind="dossier.receive")
    consumer = "cqtt.notifications.reactions.on_dossier_event"
    assert outbox.handle(event.pk, consumer) is False  # already handled once
    OutboxDelivery.objects.filter(event=event, consumer=consumer).delete()  # as if the record were lost
    assert outbox.handle(event.pk, consumer) is True
    assert Message.objects.filter(subject_code=d.code).count() == 1  # the key holds


def test_the_officer_unticks_sms_and_the_citizen_gets_only_email(
    world, gateway, frozen, django_capture_on_commit_callbacks
):
    d = intake(world, django_capture_on_commit_callbacks, notify_sms=False)
    assert list(Message.objects.filter(subject_code=d.code).values_list("channel", flat=True)) == ["email"]
    recipient = Recipient.objects.get(stream="dossier", aggregate_id=d.pk)
    assert recipient.sms == "" and recipient.email == "binh@example.vn"


def test_supplement_extension_result_and_return_each_notify(
    world, gateway, frozen, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    d = intake(world, capture, email="")
    with capture(execute=True):
        d = dossiers.dossier_assign(
            actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
        )
    with capture(execute=True):
        d, _req = dossiers.dossier_request_supplement(
            actor=world.specialist,
            dossier=d,
            items=["Giấy chứng sinh bản chính"],
            reason="Bản sao không rõ",
            at=at(2026, 11, 23, 11, 0),
        )
    with capture(execute=True):
        d = dossiers.dossier_receive_supplement(actor=world.specialist, dossier=d, at=at(2026, 11, 24, 9, 0))
    with capture(execute=True):
        d = dossiers.dossier_extend(
            actor=world.leader,
            dossier=d,
            reason="Chờ xác minh",
            new_due_at=at(2026, 12, 3, 16, 0),
            at=at(2026, 11, 25, 9, 0),
        )
    with capture(execute=True):
        d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=at(2026, 11, 26, 9, 0))
        d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 26, 10, 0))
        d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=at(2026, 11, 26, 11, 0))
    with capture(execute=True):
        d = dossiers.dossier_return_result(
            actor=world.counter_a, dossier=d, collected_by="B", at=at(2026, 11, 27, 8, 0)
        )
    texts = dict(
        Message.objects.filter(subject_code=d.code).order_by("created_at").values_list("event", "text")
    )
    assert list(texts) == ["received", "supplement_requested", "extended", "early_result", "returned"]
    assert "Giấy chứng sinh bản chính" in texts["supplement_requested"]
    assert "xin lỗi" in texts["extended"] and "03/12/2026" in texts["extended"]
    assert "sớm hơn ngày hẹn" in texts["early_result"]
    assert "Phường Thủ Dầu Một" in texts["returned"] or world.a.full_name in texts["returned"]


def test_a_unit_that_sends_without_diacritics_sends_gsm7(
    world, gateway, frozen, django_capture_on_commit_callbacks
):
    from cqtt.accounts.models import Role
    from cqtt.notifications import services
    from tests.factories import make_user

    admin = make_user("qtv", unit=world.a, role=Role.UNIT_ADMIN)
    services.settings_save(actor=admin, unit=world.a, sms_without_diacritics=True, hotline="0274 3822 123")
    d = intake(world, django_capture_on_commit_callbacks, email="")
    sms = Message.objects.get(subject_code=d.code)
    assert sms.text.isascii() and "da tiep nhan ho so" in sms.text


def test_a_landline_number_fails_permanently_with_its_reason_and_is_never_sent(
    world, gateway, frozen, django_capture_on_commit_callbacks
):
    d = intake(world, django_capture_on_commit_callbacks, phone="02743822123", email="")
    sms = Message.objects.get(subject_code=d.code)
    assert sms.status == "permanent-failure" and "không phải số di động" in sms.failure
    assert worker.run_once(batch=10) == 0
    assert gateway.posts == []


def test_the_api_intake_takes_the_notify_object(
    world, gateway, frozen, client, django_capture_on_commit_callbacks
):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.counter_a)
    body = {
        "procedure_code": world.birth.code,
        "unit_code": world.a.code,
        "applicant": {"full_name": "Lê Thị Hoa", "phone": "0987654321", "email": "hoa@example.vn"},
        "notify": {"sms": False, "email": True, "zalo": False},
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/api/v1/dossiers/",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert list(Message.objects.filter(subject_code=code).values_list("channel", flat=True)) == ["email"]
    bad = {**body, "applicant": {"full_name": "Lê Thị Hoa", "phone": "0987654321"}, "notify": {"email": True}}
    r = client.post(
        "/api/v1/dossiers/",
        json.dumps(bad),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert r.status_code == 400
    assert "thư điện tử" in json.dumps(r.json()["errors"], ensure_ascii=False)


def test_the_logs_show_the_masked_number_only(
    world, notify_settings, frozen, caplog, django_capture_on_commit_callbacks
):
    import logging

    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "SMS_GATEWAY_URL": "", "SMS_BACKEND": "console"}
    from cqtt.notifications import adapters

    adapters.reset()
    d = intake(
        world, django_capture_on_commit_callbacks, email="", phone="02743822123"
    )  # a landline: refused
    intake(world, django_capture_on_commit_callbacks, email="")
    with caplog.at_level(logging.INFO):
        worker.run_once(batch=10)
    logged = caplog.text
    assert "091****678" in logged
    for secret in ("0912345678", "84912345678", "02743822123", d.lookup_token, "Phạm Văn Bình"):
        assert secret not in logged
