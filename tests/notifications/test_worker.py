"""The worker against real local servers: retries with backoff, the answers that end a message, reconciling a
batch left in `sending` by a dead worker, Zalo with its SMS fallback, the eSMS adapter, and claims that never
share a message."""

import datetime as dt
import socket
import threading

import pytest
import time_machine
from django.db import connection

from cqtt.notifications import adapters, rules, selectors, services, worker
from cqtt.notifications.models import Message, NoticeTemplate
from tests.dossiers.conftest import applicant, at, documents_for

from .conftest import make_message

NOW = at(2026, 11, 23, 9, 0)
PHONE = "84912345678"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def stuck_after() -> float:
    return worker.conf("STUCK_AFTER_SECONDS", 300)


def intake(world, capture, **notify):
    from cqtt.dossiers import services as dossiers

    with capture(execute=True):
        return dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(**notify),
            documents=documents_for(world.birth),
            at=NOW,
            counter=world.counter,
        ).dossier


# --- answers of the gateway --------------------------------------------------------------------------------


def test_a_503_is_a_temporary_failure_retried_after_30_seconds(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    gateway.script = [503]
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "temporary-failure"
    assert m.attempts == 1
    assert m.failure == "HTTP 503"
    assert m.next_attempt_at == NOW + dt.timedelta(seconds=30) == NOW + rules.retry_delay(1)
    assert m.sending_since is None and m.claim == "" and m.sent_at is None
    assert gateway.delivered == {}

    frozen.move_to(NOW + dt.timedelta(seconds=29))
    assert worker.run_once(batch=10) == 0  # not due yet
    assert len(gateway.posts) == 1

    frozen.move_to(NOW + dt.timedelta(seconds=30))
    assert worker.run_once(batch=10) == 1  # the gateway has recovered
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 2 and m.failure == "" and m.provider_id == "gw-1"
    assert m.sent_at == NOW + dt.timedelta(seconds=30)
    assert list(gateway.delivered) == [str(m.pk)]


def test_after_the_last_attempt_a_temporary_failure_becomes_a_technical_failure(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    gateway.script = [503] * (rules.MAX_ATTEMPTS + 1)
    now = NOW
    for attempt in range(1, rules.MAX_ATTEMPTS):
        assert worker.run_once(batch=10) == 1
        m.refresh_from_db()
        assert (m.status, m.attempts) == ("temporary-failure", attempt)
        delay = dt.timedelta(seconds=rules.BACKOFF_SECONDS[attempt - 1])
        assert m.next_attempt_at == now + delay
        frozen.move_to(m.next_attempt_at - dt.timedelta(seconds=1))
        assert worker.run_once(batch=10) == 0
        now = m.next_attempt_at
        frozen.move_to(now)

    assert worker.run_once(batch=10) == 1  # the last attempt
    m.refresh_from_db()
    assert m.status == "technical-failure"
    assert m.attempts == rules.MAX_ATTEMPTS == 8
    assert "HTTP 503" in m.failure and str(rules.MAX_ATTEMPTS) in m.failure
    assert len(gateway.posts) == rules.MAX_ATTEMPTS and gateway.delivered == {}

    frozen.move_to(now + dt.timedelta(days=2))
    assert worker.run_once(batch=10) == 0  # never tried again by itself
    assert len(gateway.posts) == rules.MAX_ATTEMPTS
    assert selectors.failure_counts(unit_ids=[world.a.pk]) == {world.a.pk: 1}  # the unit's alert


def test_a_400_is_a_permanent_failure_never_retried(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    gateway.script = [400]
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert (m.status, m.attempts, m.failure, m.provider) == ("permanent-failure", 1, "HTTP 400", "http")
    frozen.move_to(NOW + dt.timedelta(days=1))
    assert worker.run_once(batch=10) == 0
    assert len(gateway.posts) == 1
    assert Message.objects.count() == 1  # an SMS has no fallback
    assert selectors.failure_counts(unit_ids=[world.a.pk]) == {}  # not a technical failure: no alert


def test_a_401_is_a_technical_failure_never_retried(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    gateway.script = [401]
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert (m.status, m.attempts, m.failure) == ("technical-failure", 1, "HTTP 401")
    frozen.move_to(NOW + dt.timedelta(days=1))
    assert worker.run_once(batch=10) == 0
    assert len(gateway.posts) == 1
    assert selectors.failure_counts(unit_ids=[world.a.pk]) == {world.a.pk: 1}


def test_a_gateway_that_is_down_is_a_temporary_failure(world, notify_settings, frozen):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notify_settings.NOTIFY = {
        **notify_settings.NOTIFY,
        "SMS_GATEWAY_URL": f"http://127.0.0.1:{port}/sms",
        "SMS_BACKEND": "",
    }
    adapters.reset()
    m = make_message(world.a, at=NOW)
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "temporary-failure" and m.failure == "ConnectError"
    assert m.next_attempt_at == NOW + dt.timedelta(seconds=30)


def test_the_gateway_token_goes_as_a_bearer_token(world, gateway, notify_settings, frozen):
    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "SMS_GATEWAY_TOKEN": "gw-token"}
    adapters.reset()
    make_message(world.a, at=NOW)
    assert worker.run_once(batch=10) == 1
    assert gateway.headers[0]["authorization"] == "Bearer gw-token"


def test_messages_go_oldest_first_and_a_batch_takes_no_more_than_its_size(world, gateway, frozen):
    late = make_message(world.a, at=NOW - dt.timedelta(minutes=1), to="84912345671")
    early = make_message(world.a, at=NOW - dt.timedelta(minutes=5), to="84912345672")
    future = make_message(world.a, at=NOW + dt.timedelta(minutes=5), to="84912345673")
    assert worker.run_once(batch=1) == 1
    assert [p["reference"] for p in gateway.posts] == [str(early.pk)]
    assert worker.run_once(batch=10) == 1
    assert [p["reference"] for p in gateway.posts] == [str(early.pk), str(late.pk)]
    future.refresh_from_db()
    assert future.status == "created" and future.attempts == 0


# --- e-mail ------------------------------------------------------------------------------------------------


def test_an_email_carries_its_unsubscribe_link_and_a_refused_address_fails_permanently(
    world, mailbox, frozen
):
    ok = make_message(world.a, at=NOW, channel="email", to="binh@example.vn", text="Kính gửi ông Bình")
    bounce = make_message(world.a, at=NOW, channel="email", to="bounce@example.vn", text="Kính gửi")
    assert worker.run_once(batch=10) == 2
    ok.refresh_from_db()
    bounce.refresh_from_db()
    assert ok.status == "sent" and ok.provider_id == f"<{ok.pk}@cqtt.local>"
    assert bounce.status == "permanent-failure" and bounce.failure == "SMTP: 550"
    assert Message.objects.count() == 2  # no fallback for an e-mail
    [mail] = mailbox.messages
    link = services.unsubscribe_url(ok)
    assert mail["List-Unsubscribe"].strip() == f"<{link}>"  # a long header is folded
    body = mail.get_content()
    assert body.startswith("Kính gửi ông Bình")
    assert body.rstrip().splitlines()[-2:] == ["—", f"Ngừng nhận thư thông báo: {link}"]
    assert services.unsubscribe_target(link.rstrip("/").rsplit("/", 1)[1]) == ("email", "binh@example.vn")


# --- reconcile ---------------------------------------------------------------------------------------------


def test_a_stuck_message_of_an_idempotent_gateway_is_sent_again_with_the_same_reference(
    world, gateway, frozen
):
    m = make_message(world.a, at=NOW)
    [held] = worker.claim(batch=10)  # the dead worker's batch
    assert held.pk == m.pk and held.status == "sending" and held.attempts == 1 and held.claim
    adapters.adapter_for("sms").send(held)  # it reached the gateway; then the worker died before recording
    assert list(gateway.delivered) == [str(m.pk)]

    frozen.move_to(NOW + dt.timedelta(seconds=stuck_after() + 1))
    assert worker.reconcile() == (1, 0)
    m.refresh_from_db()
    assert m.status == "created" and m.sending_since is None and m.claim == ""
    assert m.next_attempt_at == NOW + dt.timedelta(seconds=stuck_after() + 1)

    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 2
    assert m.provider_id == "gw-1"  # the gateway's answer to the first post: the same message
    assert [p["reference"] for p in gateway.posts] == [str(m.pk), str(m.pk)]  # posted twice …
    assert list(gateway.delivered) == [str(m.pk)]  # … delivered once
    assert gateway.deliveries_per_reference()[str(m.pk)] == 2


def test_a_stuck_email_is_marked_for_a_person_and_not_sent_again(world, gateway, mailbox, frozen):
    email = make_message(world.a, at=NOW, channel="email", to="binh@example.vn")
    sms = make_message(world.a, at=NOW)
    held = worker.claim(batch=10)
    assert {m.pk for m in held} == {email.pk, sms.pk}
    held_email = next(m for m in held if m.channel == "email")
    adapters.adapter_for("email").send(held_email)  # it went out; the worker died before recording
    assert len(mailbox.messages) == 1

    frozen.move_to(NOW + dt.timedelta(seconds=stuck_after() + 1))
    assert worker.reconcile() == (1, 1)
    email.refresh_from_db()
    assert email.status == "technical-failure" and email.sending_since is None and email.claim == ""
    assert "gián đoạn" in email.failure
    assert worker.run_once(batch=10) == 1  # the SMS only
    assert len(mailbox.messages) == 1
    email.refresh_from_db()
    assert email.status == "technical-failure"
    assert selectors.failure_counts(unit_ids=[world.a.pk]) == {world.a.pk: 1}

    # a person checked: the citizen did not get it; sent again by hand
    services.message_retry(actor=world.counter_a, message=email)
    assert worker.run_once(batch=10) == 1
    assert len(mailbox.messages) == 2
    email.refresh_from_db()
    assert email.status == "sent"


def test_a_message_sending_for_less_than_the_limit_is_left_alone(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    held = worker.claim(batch=10)
    frozen.move_to(NOW + dt.timedelta(seconds=stuck_after() - 1))
    assert worker.reconcile() == (0, 0)
    m.refresh_from_db()
    assert m.status == "sending" and m.claim == held[0].claim and m.sending_since == NOW
    assert worker.run_once(batch=10) == 0  # not claimed by another run either
    # the slow worker finishes its batch
    worker.record([worker._send(x) for x in held])
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 1 and len(gateway.posts) == 1


def test_a_worker_that_was_only_slow_cannot_overwrite_the_claim_that_replaced_its_own(world, gateway, frozen):
    m = make_message(world.a, at=NOW)
    gateway.script = [503]  # what the slow worker will hear
    slow = worker.claim(batch=10)
    frozen.move_to(NOW + dt.timedelta(seconds=stuck_after() + 1))
    assert worker.reconcile() == (1, 0)
    fresh = worker.claim(batch=10)
    assert [x.pk for x in fresh] == [m.pk] and fresh[0].claim != slow[0].claim

    worker.record([worker._send(x) for x in slow])  # the 503, recorded too late: ignored
    m.refresh_from_db()
    assert m.status == "sending" and m.claim == fresh[0].claim and m.failure == ""
    worker.record([worker._send(x) for x in fresh])
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 2
    assert list(gateway.delivered) == [str(m.pk)]


# --- Zalo --------------------------------------------------------------------------------------------------


def zalo_template(world, **over):
    return NoticeTemplate.objects.create(
        unit=world.a,
        event="received",
        channel="zalo",
        body="Mẫu ZNS tiếp nhận hồ sơ",
        zalo_template_id=over.pop("zalo_template_id", "231456"),
        **over,
    )


def test_a_citizen_who_said_yes_to_zalo_gets_a_zns_message(
    world, zalo, gateway, frozen, django_capture_on_commit_callbacks
):
    zalo_template(world)
    d = intake(world, django_capture_on_commit_callbacks, notify_zalo=True, email="")
    [m] = Message.objects.filter(subject_code=d.code)
    assert m.channel == "zalo" and m.to == PHONE and m.template_id == "231456" and m.status == "created"
    assert m.template_data["ma_ho_so"] == d.code
    assert m.template_data["ngay_hen"] == "27/11/2026"
    assert m.template_data["tra_cuu"] == f"https://motcua.example.vn/tra-cuu/{d.lookup_token}/"
    assert all(v for v in m.template_data.values())  # empty values are left out

    assert worker.run_once(batch=10) == 1
    assert zalo.posts == [
        {
            "phone": PHONE,
            "template_id": "231456",
            "template_data": m.template_data,
            "tracking_id": str(m.pk),
        }
    ]
    assert zalo.tokens == ["zt"]
    assert gateway.posts == []  # no SMS besides
    m.refresh_from_db()
    assert m.status == "sent" and m.provider == "zalo" and m.provider_id == "z1"


def test_without_the_citizens_yes_or_an_active_template_the_notice_goes_by_sms(
    world, zalo, gateway, frozen, django_capture_on_commit_callbacks
):
    template = zalo_template(world)
    d = intake(world, django_capture_on_commit_callbacks, email="")  # the citizen did not tick Zalo
    assert list(Message.objects.filter(subject_code=d.code).values_list("channel", flat=True)) == ["sms"]

    template.is_active = False
    template.save()
    d = intake(world, django_capture_on_commit_callbacks, notify_zalo=True, email="")
    assert list(Message.objects.filter(subject_code=d.code).values_list("channel", flat=True)) == ["sms"]
    assert worker.run_once(batch=10) == 2
    assert zalo.posts == [] and len(gateway.delivered) == 2


def test_a_citizen_zalo_refuses_gets_the_notice_by_sms_instead(
    world, zalo, gateway, frozen, django_capture_on_commit_callbacks
):
    zalo_template(world)
    zalo.refuse.add(PHONE)
    d = intake(world, django_capture_on_commit_callbacks, notify_zalo=True, email="")
    [z] = Message.objects.filter(subject_code=d.code)
    assert worker.run_once(batch=10) == 1
    z.refresh_from_db()
    assert z.status == "permanent-failure" and z.failure.startswith("Zalo -118")
    fallback = Message.objects.get(fallback_of=z)
    assert fallback.channel == "sms" and fallback.to == PHONE and fallback.text == z.text
    assert fallback.status == "created" and fallback.subject_code == d.code and fallback.event == "received"
    assert gateway.posts == []

    assert worker.run_once(batch=10) == 1
    assert gateway.posts == [{"to": PHONE, "text": z.text, "reference": str(fallback.pk)}]
    fallback.refresh_from_db()
    assert fallback.status == "sent" and fallback.provider == "http"
    assert worker.run_once(batch=10) == 0
    assert Message.objects.filter(subject_code=d.code).count() == 2  # one fallback only
    assert len(zalo.posts) == 1


# --- eSMS --------------------------------------------------------------------------------------------------


def test_esms_gets_its_json_with_the_message_id_as_request_id(world, esms, frozen):
    m = make_message(world.a, at=NOW, text="Hồ sơ 25747-261123-0001 đã được tiếp nhận")
    ascii_ = make_message(world.a, at=NOW, to="84987654321", text="Ho so da tiep nhan")
    assert worker.run_once(batch=10) == 2
    bodies = {p["RequestId"]: p for p in esms.posts}
    assert bodies[str(m.pk)] == {
        "ApiKey": "key",
        "SecretKey": "secret",
        "Brandname": "UBND-TDM",
        "Phone": PHONE,
        "Content": m.text,
        "SmsType": "2",
        "IsUnicode": "1",
        "Sandbox": "0",
        "RequestId": str(m.pk),
        "CallbackUrl": "https://motcua.example.vn/api/v1/notifications/callbacks/esms/?token=cb-secret",
    }
    assert bodies[str(ascii_.pk)]["IsUnicode"] == "0"
    m.refresh_from_db()
    assert m.status == "sent" and m.provider == "esms" and m.provider_id == esms.seen[str(m.pk)]


def test_esms_answering_that_the_request_id_was_already_taken_counts_as_sent(world, esms, frozen):
    m = make_message(world.a, at=NOW)
    [held] = worker.claim(batch=10)
    assert adapters.adapter_for("sms").send(held).result == adapters.ACCEPTED  # then the worker died
    frozen.move_to(NOW + dt.timedelta(seconds=stuck_after() + 1))
    assert worker.reconcile() == (1, 0)  # eSMS dedupes on RequestId
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "sent" and m.attempts == 2 and m.failure == ""
    assert [p["RequestId"] for p in esms.posts] == [str(m.pk), str(m.pk)]
    assert list(esms.seen) == [str(m.pk)]  # one SMS to the phone


def test_esms_refusing_the_credentials_is_a_technical_failure(world, esms, notify_settings, frozen):
    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "ESMS_SECRET_KEY": "wrong"}
    adapters.reset()
    m = make_message(world.a, at=NOW)
    assert worker.run_once(batch=10) == 1
    m.refresh_from_db()
    assert m.status == "technical-failure" and m.failure.startswith("eSMS 101")
    frozen.move_to(NOW + dt.timedelta(days=1))
    assert worker.run_once(batch=10) == 0
    assert len(esms.posts) == 1 and esms.seen == {}


# --- claims ------------------------------------------------------------------------------------------------


def test_two_claims_never_return_the_same_message(world, frozen):
    made = [make_message(world.a, at=NOW, to=f"8491234567{i}") for i in range(5)]
    first = worker.claim(batch=3)
    second = worker.claim(batch=3)
    assert len(first) == 3 and len(second) == 2
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert {m.pk for m in first} | {m.pk for m in second} == {m.pk for m in made}
    assert len({m.claim for m in first}) == 1 and len({m.claim for m in second}) == 1
    assert first[0].claim != second[0].claim
    assert all(m.status == "sending" and m.attempts == 1 and m.sending_since == NOW for m in first + second)
    assert worker.claim(batch=3) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent claims need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_on_postgres_never_share_a_message(world):
    from django.db import connections
    from django.utils import timezone

    past = timezone.now() - dt.timedelta(minutes=1)
    made = {make_message(world.a, at=past, to=f"849{i:08d}").pk for i in range(60)}
    start = threading.Barrier(4)
    taken: list[list] = [[] for _ in range(4)]
    errors = []

    def take(n):
        try:
            start.wait()
            while batch := worker.claim(batch=7):
                taken[n].extend(m.pk for m in batch)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    every = [pk for ids in taken for pk in ids]
    assert len(every) == len(set(every)) == 60
    assert set(every) == made
    assert set(Message.objects.values_list("status", "attempts")) == {("sending", 1)}
