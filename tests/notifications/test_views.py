"""The notices' staff pages and the citizen's unsubscribe page."""

import pytest
import time_machine

from cqtt.accounts.models import Role
from cqtt.core.models import AuditEvent
from cqtt.dossiers import services as dossiers
from cqtt.notifications import services, worker
from cqtt.notifications.models import Message, NoticeTemplate, Suppression
from tests.dossiers.conftest import applicant, at, documents_for
from tests.factories import make_user

NOW = at(2026, 11, 23, 9, 0)


@pytest.fixture
def sent(world, gateway, django_capture_on_commit_callbacks):
    """A dossier of ward A received with a phone and an e-mail address; its SMS sent, its e-mail waiting."""
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        d = dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(),
            documents=documents_for(world.birth),
            at=NOW,
        ).dossier
    Message.objects.filter(subject_code=d.code, channel="email").update(next_attempt_at=at(2030, 1, 1))
    assert worker.run_once(batch=10) == 1  # the SMS, to the local gateway
    return d


def test_the_dossier_page_part_lists_its_messages_masked_with_their_status(world, sent, client):
    client.force_login(world.counter_a)
    r = client.get(f"/thong-bao/ho-so/{sent.code}/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "091****678" in html and "0912345678" not in html
    assert "Đã gửi" in html  # the SMS
    assert sent.code in html
    assert 'data-testid="dossier-messages"' in html
    page = client.get(f"/ho-so/{sent.code}/")
    assert f"/thong-bao/ho-so/{sent.code}/" in page.content.decode()  # loaded into the dossier page


def test_staff_of_another_ward_and_the_observer_see_no_message(world, sent, client):
    for user in (world.counter_b, world.observer):
        client.force_login(user)
        html = client.get(f"/thong-bao/ho-so/{sent.code}/").content.decode()
        assert "091****678" not in html and "Chưa có tin nhắn nào" in html
    client.force_login(world.counter_b)
    assert sent.code not in client.get("/thong-bao/").content.decode()


def test_a_failed_message_is_retried_by_hand_from_the_unit_list_with_an_audit_event(world, sent, client):
    message = Message.objects.get(subject_code=sent.code, channel="sms")
    Message.objects.filter(pk=message.pk).update(status="technical-failure", failure="HTTP 401")
    client.force_login(world.counter_a)
    page = client.get("/thong-bao/?status=failed")
    html = page.content.decode()
    assert 'data-testid="failure-alert"' in html and "HTTP 401" in html
    r = client.post(f"/thong-bao/tin/{message.pk}/gui-lai/", {"next": "/thong-bao/"})
    assert r.status_code == 302
    message.refresh_from_db()
    assert message.status == "created" and message.attempts == 0
    assert AuditEvent.objects.filter(action="notifications.message.retry", object_id=str(message.pk)).exists()
    client.force_login(world.counter_b)
    assert client.post(f"/thong-bao/tin/{message.pk}/gui-lai/").status_code == 404  # not theirs


def test_the_staff_home_warns_of_messages_that_need_a_person(world, sent, client):
    Message.objects.filter(subject_code=sent.code).update(status="technical-failure")
    client.force_login(world.leader)
    html = client.get("/thong-bao/canh-bao/").content.decode()
    assert "lỗi kỹ thuật" in html and world.a.full_name in html
    client.force_login(world.counter_b)
    assert "lỗi kỹ thuật" not in client.get("/thong-bao/canh-bao/").content.decode()


def test_the_leader_edits_a_template_with_preview_and_counter_and_bad_placeholders_are_refused(world, client):
    client.force_login(world.leader)
    page = client.get(f"/thong-bao/mau/received/sms/?unit={world.a.code}")
    assert page.status_code == 200 and 'data-testid="sms-counter"' in page.content.decode()
    preview = client.post(
        f"/thong-bao/mau/received/sms/xem-truoc/?unit={world.a.code}",
        {"body": "Hồ sơ ((ma_ho_so)) hẹn ((ngay_hen))", "unit": world.a.code},
    )
    html = preview.content.decode()
    assert "Hồ sơ 25747-261201-0001 hẹn 05/12/2026" in html
    assert "UCS-2" in html and "1 tin nhắn" in html
    bad = client.post(
        f"/thong-bao/mau/received/sms/?unit={world.a.code}",
        {"body": "Hồ sơ ((ma_ho_so)) ((khong_co))", "is_active": "on", "unit": world.a.code},
    )
    assert bad.status_code == 400 and "((khong_co))" in bad.content.decode()
    assert not NoticeTemplate.objects.exists()
    ok = client.post(
        f"/thong-bao/mau/received/sms/?unit={world.a.code}",
        {"body": "Đã nhận hồ sơ ((ma_ho_so)).", "is_active": "on", "unit": world.a.code},
    )
    assert ok.status_code == 302
    t = NoticeTemplate.objects.get(unit=world.a, event="received", channel="sms")
    assert t.body == "Đã nhận hồ sơ ((ma_ho_so))."
    assert AuditEvent.objects.filter(action="notifications.template.save").exists()


def test_a_counter_officer_cannot_edit_templates_nor_settings(world, client):
    client.force_login(world.counter_a)
    assert client.get("/thong-bao/mau/").status_code == 403
    assert client.get("/thong-bao/cai-dat/").status_code == 403
    assert client.get("/thong-bao/mau/nope/sms/").status_code == 404


def test_the_unit_admin_sets_quiet_hours_both_or_none(world, client):
    admin = make_user("qtv", unit=world.a, role=Role.UNIT_ADMIN)
    client.force_login(admin)
    r = client.post(
        "/thong-bao/cai-dat/", {"unit": world.a.code, "quiet_start": "21:00", "hotline": "0274 3822 123"}
    )
    assert r.status_code == 400 and "cả giờ bắt đầu và giờ kết thúc" in r.content.decode()
    r = client.post(
        "/thong-bao/cai-dat/",
        {"unit": world.a.code, "quiet_start": "21:00", "quiet_end": "07:00", "sms_without_diacritics": "on"},
    )
    assert r.status_code == 302
    config = services.unit_settings(world.a)
    assert config.sms_without_diacritics and str(config.quiet_end) == "07:00:00"


def test_the_citizen_unsubscribes_by_the_link_in_an_email(world, sent, client):
    email = Message.objects.get(subject_code=sent.code, channel="email")
    url = services.unsubscribe_url(email).replace("https://motcua.example.vn", "")
    page = client.get(url)
    assert page.status_code == 200 and "b***@example.vn" in page.content.decode()
    assert not Suppression.objects.exists()
    done = client.post(url)
    assert 'data-testid="unsubscribed"' in done.content.decode()
    assert Suppression.objects.filter(channel="email", address="binh@example.vn").exists()
    email.refresh_from_db()
    assert email.status == "permanent-failure"  # the waiting e-mail is not sent
    assert client.get("/thong-bao/huy/not-a-token/").status_code == 404


def test_staff_see_the_citizen_s_lookup_link_shortened(world, sent, client):
    client.force_login(world.leader)
    html = client.get(f"/thong-bao/ho-so/{sent.code}/").content.decode()
    assert sent.lookup_token not in html and "/tra-cuu/…/" in html


def test_each_role_sees_only_the_notice_links_it_may_follow(world, sent, client):
    from tests.letters.test_views import _links

    Message.objects.filter(subject_code=sent.code).update(status="technical-failure")
    admin = make_user("qtv", unit=world.a, role=Role.UNIT_ADMIN)
    # the staff home's alert: "view and resend" for those who may resend, "view" for the specialist
    for user, label in (
        (world.counter_a, "Xem và gửi lại"),
        (world.leader, "Xem và gửi lại"),
        (admin, "Xem và gửi lại"),
        (world.specialist, "Xem các tin này"),
    ):
        client.force_login(user)
        links = _links(client.get("/thong-bao/canh-bao/").content.decode(), "notify-alert")
        assert set(links) == {label}, user.username
        page = client.get(links[label])
        assert page.status_code == 200
        assert ("Gửi lại</button>" in page.content.decode()) is (label == "Xem và gửi lại")
    # the templates page links to the settings only for the unit administrator, who may open them; the
    # messages page to the templates only for the leader and the administrator
    for user, pages in (
        (world.counter_a, {"/thong-bao/": set()}),
        (world.specialist, {"/thong-bao/": set()}),
        (world.leader, {"/thong-bao/": {"Mẫu thông báo"}, "/thong-bao/mau/": {"Tin đã gửi"}}),
        (admin, {"/thong-bao/": {"Mẫu thông báo"}, "/thong-bao/mau/": {"Tin đã gửi", "Cài đặt"}}),
    ):
        client.force_login(user)
        for url, names in pages.items():
            html = client.get(f"{url}?unit={world.a.code}").content.decode()
            links = _links(html, "notify-nav")
            assert set(links) == names, (user.username, url)
            for href in links.values():
                assert client.get(href).status_code == 200, href
    for user in (world.counter_a, world.specialist):
        client.force_login(user)
        assert client.get(f"/thong-bao/mau/?unit={world.a.code}").status_code == 403
    client.force_login(world.leader)
    assert client.get(f"/thong-bao/cai-dat/?unit={world.a.code}").status_code == 403


def _held_sms(world, unit, when, n=1):
    """An SMS notice made at `when` for a dossier of `unit`, through the path every notice takes."""
    from cqtt.notifications.models import Recipient

    recipient = Recipient.objects.create(stream="dossier", aggregate_id=n, sms="0912345678", created_at=when)
    (message,) = services.messages_for_event(
        key_prefix=f"test-{n}",
        unit=unit,
        recipient=recipient,
        event="received",
        values={"ma_ho_so": f"X-{n}"},
        subject_code=f"X-{n}",
        at=when,
    )
    return message


def test_clearing_the_quiet_hours_releases_the_messages_they_held(world, gateway, client):
    import datetime as dt

    admin = make_user("qtv", unit=world.a, role=Role.UNIT_ADMIN)
    services.settings_save(
        actor=admin, unit=world.a, sms_without_diacritics=False, quiet_start=dt.time(21), quiet_end=dt.time(7)
    )
    services.settings_save(
        actor=None, unit=world.b, sms_without_diacritics=False, quiet_start=dt.time(21), quiet_end=dt.time(7)
    )
    night = at(2026, 11, 23, 22, 0)
    held = _held_sms(world, world.a, night)
    theirs = _held_sms(world, world.b, night, n=2)  # another ward's quiet hours are its own
    retrying = _held_sms(world, world.a, at(2026, 11, 23, 12, 0), n=3)  # waits for its retry, not the night
    Message.objects.filter(pk=retrying.pk).update(
        status="temporary-failure", attempts=1, next_attempt_at=at(2026, 11, 24, 7, 0)
    )
    assert held.next_attempt_at == at(2026, 11, 24, 7, 0)
    with time_machine.travel(at(2026, 11, 23, 22, 30), tick=False):
        assert worker.run_once(batch=10) == 0  # the night holds them
        client.force_login(admin)
        r = client.post("/thong-bao/cai-dat/", {"unit": world.a.code, "quiet_start": "", "quiet_end": ""})
        assert r.status_code == 302
        held.refresh_from_db()
        assert held.next_attempt_at == at(2026, 11, 23, 22, 30)
        assert worker.run_once(batch=10) == 1
    held.refresh_from_db()
    assert held.status == "sent" and [p["to"] for p in gateway.posts] == ["84912345678"]
    for other in (theirs, retrying):
        other.refresh_from_db()
        assert other.next_attempt_at == at(2026, 11, 24, 7, 0)
    event = AuditEvent.objects.filter(action="notifications.settings.save").latest("pk")
    assert "1 tin đang chờ hết giờ yên tĩnh được gửi sớm hơn" in event.summary


def test_narrower_quiet_hours_release_their_messages_at_the_new_end_and_wider_ones_hold_nothing_longer(world):
    import datetime as dt

    def save(start, end, when):
        with time_machine.travel(when, tick=False):
            services.settings_save(
                actor=None, unit=world.a, sms_without_diacritics=False, quiet_start=start, quiet_end=end
            )

    save(dt.time(21), dt.time(7), at(2026, 11, 23, 20, 0))
    message = _held_sms(world, world.a, at(2026, 11, 23, 21, 30))
    save(dt.time(21), dt.time(8), at(2026, 11, 23, 23, 0))  # later: what waits is not held back further
    message.refresh_from_db()
    assert message.next_attempt_at == at(2026, 11, 24, 7, 0)
    save(None, None, at(2026, 11, 23, 23, 0))  # back to no hours after the wider ones: released
    message.refresh_from_db()
    assert message.next_attempt_at == at(2026, 11, 23, 23, 0)
    save(dt.time(21), dt.time(7), at(2026, 11, 23, 23, 0))
    Message.objects.filter(pk=message.pk).update(next_attempt_at=at(2026, 11, 24, 7, 0))  # held again
    save(dt.time(22), dt.time(6), at(2026, 11, 23, 23, 30))  # still night under the new hours: their new end
    message.refresh_from_db()
    assert message.next_attempt_at == at(2026, 11, 24, 6, 0)
    save(dt.time(0, 30), dt.time(5), at(2026, 11, 24, 0, 15))  # outside the new hours: at once
    message.refresh_from_db()
    assert message.next_attempt_at == at(2026, 11, 24, 0, 15)
