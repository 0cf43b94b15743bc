"""Counter cameras: the register, footage requests with their window and the reminder before the recorders
overwrite it, the once-per-rating reaction to a low rating, and who may see and change the pages."""

import pytest
import time_machine
from django.urls import reverse

from cqtt.accounts.models import Role
from cqtt.core import outbox
from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.dossiers import services as dossiers
from cqtt.ratings import services as ratings
from cqtt.ratings.models import Kiosk
from cqtt.ratings.selectors import kiosk_prompt
from cqtt.units import rules, selectors, services
from cqtt.units.models import Camera, FootageRequest
from cqtt.units.reactions import on_rating_rated
from tests.dossiers.conftest import applicant, at, documents_for, world  # noqa: F401
from tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345-test"


@pytest.fixture
def cams(world):  # noqa: F811
    w = world
    w.admin = make_user("quantri", unit=w.a, role=Role.UNIT_ADMIN, full_name="Đỗ Thu Trang")
    w.admin_b = make_user("quantri2", unit=w.b, role=Role.UNIT_ADMIN)
    w.counter.officers.add(w.counter_a)
    w.cam1 = services.camera_save(
        counter=w.counter, name="Camera quầy 1", recorder="192.168.1.20 kênh 1", retention_days=30
    )
    w.cam2 = services.camera_save(
        counter=w.counter, name="Camera toàn cảnh", recorder="192.168.1.20 kênh 2", retention_days=7
    )
    return w


def _client(client, user):
    client.force_login(user)
    return client


# --- rules and services -------------------------------------------------------------------------------------


def test_the_footage_window_surrounds_the_rating_and_the_shortest_retention_decides():
    t = at(2026, 11, 23, 9, 30)
    starts, ends = rules.footage_window(t)
    assert starts == at(2026, 11, 23, 9, 0) and ends == at(2026, 11, 23, 9, 35)
    assert rules.retention_ends(ends, [30, 7]) == at(2026, 11, 30, 9, 35)
    assert rules.retention_ends(ends, []) is None
    now = at(2026, 11, 28, 10, 0)
    assert rules.footage_due_soon(at(2026, 11, 30, 9, 35), now)
    assert not rules.footage_due_soon(at(2026, 12, 1, 9, 35), now)  # more than 2 days ahead
    assert not rules.footage_due_soon(at(2026, 11, 28, 9, 0), now)  # already overwritten


def test_a_footage_request_records_the_counter_cameras_and_when_retention_runs_out(cams):
    w = cams
    r = services.footage_request_open(
        counter=w.counter,
        starts_at=at(2026, 11, 23, 9, 0),
        ends_at=at(2026, 11, 23, 9, 35),
        reason="Khiếu nại về thái độ",
        source="complaint",
        source_ref="KN-1",
        actor=w.leader,
    )
    assert set(r.cameras.all()) == {w.cam1, w.cam2}
    assert r.retention_ends_at == at(2026, 11, 30, 9, 35)
    assert AuditEvent.objects.filter(action="footage.opened", object_id=str(r.pk)).exists()
    again = services.footage_request_open(
        counter=w.counter,
        starts_at=at(2026, 11, 23, 9, 0),
        ends_at=at(2026, 11, 23, 9, 35),
        reason="Khiếu nại về thái độ",
        source="complaint",
        source_ref="KN-1",
        actor=w.leader,
    )
    assert again.pk == r.pk and FootageRequest.objects.count() == 1


def test_the_reminder_lists_open_requests_whose_footage_expires_within_two_days(cams):
    w = cams
    soon = services.footage_request_open(
        counter=w.counter,
        starts_at=at(2026, 11, 23, 9, 0),
        ends_at=at(2026, 11, 23, 9, 35),
        reason="A",
        source="manual",
        source_ref="",
        actor=w.leader,
    )
    later = services.footage_request_open(
        counter=w.counter,
        starts_at=at(2026, 11, 26, 9, 0),
        ends_at=at(2026, 11, 26, 9, 35),
        reason="B",
        source="manual",
        source_ref="",
        actor=w.leader,
    )
    now = at(2026, 11, 29, 10, 0)
    assert list(selectors.footage_due_soon(unit=w.a, now=now)) == [soon]
    assert later not in selectors.footage_due_soon(unit=w.a, now=now)
    services.footage_request_close(footage=soon, outcome="pulled", note="Đã chép ra USB", actor=w.leader)
    assert list(selectors.footage_due_soon(unit=w.a, now=now)) == []
    assert AuditEvent.objects.filter(action="footage.pulled").exists()


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("name", {"name": "  "}),
        ("recorder", {"recorder": ""}),
        ("retention_days", {"retention_days": 0}),
        ("retention_days", {"retention_days": 1000}),
    ],
)
def test_a_camera_with_bad_input_is_refused_with_a_vietnamese_message(cams, field, data):
    base = {"name": "Camera", "recorder": "NVR", "retention_days": 30, **data}
    with pytest.raises(ServiceError) as refused:
        services.camera_save(counter=cams.counter, actor=cams.admin, **base)
    assert field in refused.value.message_dict


def test_a_window_ending_before_it_starts_or_without_reason_is_refused(cams):
    with pytest.raises(ServiceError) as refused:
        services.footage_request_open(
            counter=cams.counter,
            starts_at=at(2026, 11, 23, 10),
            ends_at=at(2026, 11, 23, 9),
            reason="",
            source="manual",
            source_ref="",
            actor=cams.leader,
        )
    assert {"reason", "ends_at"} <= set(refused.value.message_dict)


def test_camera_names_are_stored_nfc(cams):
    decomposed = "Camera qu\u0061\u0302\u0300y"  # "quầy" with combining marks
    cam = services.camera_save(counter=cams.counter, name=decomposed, recorder="NVR", retention_days=10)
    cam.refresh_from_db()
    assert cam.name == "Camera quầy"


# --- the reaction to a low rating -----------------------------------------------------------------------------


def _event(payload, pk=1):
    return OutboxEvent.objects.create(
        stream="rating",
        aggregate_id=pk,
        kind="rating.rated",
        payload=payload,
        created_at=at(2026, 11, 23, 9, 3),
    )


def test_a_low_rating_at_a_counter_opens_one_request_however_often_the_event_is_handled(cams):
    w = cams
    event = _event(
        {
            "counter_id": w.counter.pk,
            "officer_id": w.counter_a.pk,
            "rated_at": at(2026, 11, 23, 9, 2).isoformat(),
            "low": True,
            "dossier_code": "X",
        }
    )
    on_rating_rated(event)
    on_rating_rated(event)
    r = FootageRequest.objects.get()
    assert r.source == "rating" and r.source_ref == f"rating:{event.aggregate_id}"
    assert r.officer_id == w.counter_a.pk and r.ends_at == at(2026, 11, 23, 9, 7)
    assert AuditEvent.objects.filter(action="footage.opened").count() == 1


def test_a_good_rating_or_one_without_a_counter_opens_nothing(cams):
    on_rating_rated(_event({"counter_id": cams.counter.pk, "low": False}, pk=2))
    on_rating_rated(_event({"counter_id": None, "low": True}, pk=3))
    on_rating_rated(_event({"counter_id": 999999, "low": True}, pk=4))
    assert not FootageRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_kiosk_rating_of_unsatisfied_reaches_the_units_app_through_the_outbox(
    cams, django_capture_on_commit_callbacks
):
    w = cams
    when = at(2026, 11, 23, 9, 0)
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        d = dossiers.dossier_intake(
            actor=w.counter_a,
            procedure_code=w.birth.code,
            applicant=applicant(),
            documents=documents_for(w.birth),
            at=when,
            counter=w.counter,
        ).dossier
    prompt = kiosk_prompt(counter=w.counter, at=at(2026, 11, 23, 9, 1))
    kiosk = Kiosk.objects.create(counter=w.counter, secret_hash="x")
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_submit(
            dossier=d,
            level="unsatisfied",
            reasons=["long_wait"],
            channel="kiosk",
            source=f"kiosk:{kiosk.pk}",
            kiosk=kiosk,
            prompt=prompt,
            client_id="abc",
            rated_at=at(2026, 11, 23, 9, 2),
            at=at(2026, 11, 23, 9, 3),
        )
    event = OutboxEvent.objects.get(kind="rating.rated")
    assert event.payload["counter_id"] == w.counter.pk and event.payload["low"] is True
    r = FootageRequest.objects.get()
    assert r.counter == w.counter and r.officer_id == w.counter_a.pk
    assert r.starts_at == at(2026, 11, 23, 8, 32) and r.retention_ends_at == at(2026, 11, 30, 9, 7)
    # the relay handing it out again does nothing
    assert outbox.handle(event.pk, "cqtt.units.reactions.on_rating_rated") is False
    assert FootageRequest.objects.count() == 1


# --- pages: who sees and who changes ---------------------------------------------------------------------------


def test_the_unit_admin_registers_a_camera_and_bad_input_keeps_what_was_typed(cams, client):
    c = _client(client, cams.admin)
    url = reverse("units:cameras") + "?unit=25747"
    bad = c.post(
        url,
        {
            "unit": "25747",
            "counter": cams.counter.pk,
            "name": "Camera sảnh",
            "recorder": "",
            "retention_days": "x",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Camera sảnh" in body and "Nhập địa chỉ hoặc vị trí đầu ghi." in body
    ok = c.post(
        url,
        {
            "unit": "25747",
            "counter": cams.counter.pk,
            "name": "Camera sảnh",
            "recorder": "NVR 2",
            "retention_days": "15",
            "is_active": "on",
        },
    )
    assert ok.status_code == 302
    assert Camera.objects.filter(name="Camera sảnh", retention_days=15).exists()
    assert AuditEvent.objects.filter(action="camera.created", actor=cams.admin).exists()


def test_a_leader_opens_a_footage_request_and_sees_the_reminder(cams, client):
    c = _client(client, cams.leader)
    url = reverse("units:footage") + "?unit=25747"
    with time_machine.travel(at(2026, 11, 29, 10, 0), tick=False):
        response = c.post(
            url,
            {
                "unit": "25747",
                "counter": cams.counter.pk,
                "starts_at": "23/11/2026 09:00",
                "ends_at": "23/11/2026 09:40",
                "reason": "Phản ánh GY-1",
                "source_ref": "GY-1",
            },
        )
        assert response.status_code == 302
        page = c.get(url).content.decode()
    assert "Sắp hết hạn lưu hình" in page and "hết hạn lưu hình lúc 09:40 30/11/2026" in page


@pytest.mark.parametrize("who", ["observer", "province"])
def test_readers_see_the_pages_but_cannot_change_them(cams, client, who):
    user = (
        cams.observer
        if who == "observer"
        else make_user("tinh", unit=cams.city, role=Role.PROVINCIAL_SUPERVISOR)
    )
    c = _client(client, user)
    page = c.get(reverse("units:cameras") + "?unit=25747")
    assert page.status_code == 200 and "Camera quầy 1" in page.content.decode()
    assert "Thêm camera" not in page.content.decode()
    post = c.post(
        reverse("units:cameras") + "?unit=25747",
        {"unit": "25747", "counter": cams.counter.pk, "name": "X", "recorder": "Y", "retention_days": "3"},
    )
    assert post.status_code == 403
    assert c.post(reverse("units:camera", args=[cams.cam1.pk]), {"name": "X"}).status_code == 403


def test_counter_officers_of_the_unit_get_403(cams, client):
    c = _client(client, cams.counter_a)
    assert c.get(reverse("units:cameras") + "?unit=25747").status_code == 403
    assert c.get(reverse("units:footage") + "?unit=25747").status_code == 403


def test_wrong_unit_staff_get_404_for_every_camera_page(cams, client):
    r = services.footage_request_open(
        counter=cams.counter,
        starts_at=at(2026, 11, 23, 9),
        ends_at=at(2026, 11, 23, 9, 30),
        reason="A",
        source="manual",
        source_ref="",
        actor=None,
    )
    other = make_province("01", "Thành phố Hà Nội")
    outsider_province = make_user("tinh01", unit=other, role=Role.PROVINCIAL_SUPERVISOR)
    for user in (cams.admin_b, outsider_province):
        c = _client(client, user)
        assert c.get(reverse("units:cameras") + "?unit=25747").status_code == 404
        assert c.get(reverse("units:footage") + "?unit=25747").status_code == 404
        assert c.get(reverse("units:camera", args=[cams.cam1.pk])).status_code == 404
        assert c.post(reverse("units:footage_close", args=[r.pk]), {"outcome": "pulled"}).status_code == 404
        assert c.get(reverse("units:cameras") + "?unit=%00").status_code == 404
    r.refresh_from_db()
    assert r.status == "open"
