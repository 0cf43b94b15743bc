"""A complaint about an officer at a counter records the footage window and the counter's cameras (issue 15)."""

import datetime as dt

import pytest
from django.urls import reverse

from cqtt.complaints import services
from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent
from cqtt.units.models import Camera, Counter, FootageRequest, Office
from tests.dossiers.conftest import at

from .conftest import PERSON, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera(world):
    return Camera.objects.create(
        counter=world.counter, name="Camera quầy 1", recorder="NVR-1", retention_days=14
    )


def test_the_handler_records_the_footage_window_of_the_counter_the_person_names(world, camera):
    w = world
    case = receive(w, kind="complaint")
    when = at(2026, 12, 1, 9, 30)
    case = services.case_act(
        "footage", actor=w.leader, case=case, counter=w.counter, happened_at=when, officer=w.counter_a
    )
    request = FootageRequest.objects.get()
    assert (request.source, request.counter, request.officer) == ("complaint", w.counter, w.counter_a)
    assert (request.starts_at, request.ends_at) == (
        when - dt.timedelta(minutes=20),
        when + dt.timedelta(minutes=20),
    )
    assert list(request.cameras.all()) == [camera]
    assert request.retention_ends_at == request.ends_at + dt.timedelta(days=14)
    assert (
        case.code in request.reason and PERSON["full_name"] not in request.reason
    )  # the case, never the person
    event = case.events.filter(action="footage").get()
    assert event.data == {"footage_request": request.pk} and "quầy 1" in event.note
    assert AuditEvent.objects.filter(action="complaints.footage", object_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    ("field", "words"),
    [("counter", "Chọn một quầy của đơn vị"), ("happened_at", "không thể ở tương lai")],
)
def test_another_units_counter_or_a_moment_to_come_is_refused(world, field, words):
    w = world
    case = receive(w, kind="complaint")
    other = Counter.objects.create(office=Office.objects.create(unit=w.b, name="Một cửa B"), number=1)
    values = {"counter": w.counter, "happened_at": at(2026, 12, 1, 9, 30)}
    values[field] = other if field == "counter" else at(2026, 12, 3, 9, 0)
    with pytest.raises(ServiceError) as refused:
        services.case_act("footage", actor=w.leader, case=case, **values)
    assert words in refused.value.message_dict[field][0]
    assert not FootageRequest.objects.exists()
    assert not case.events.filter(action="footage").exists()


def test_the_case_page_form_keeps_what_was_typed_on_an_error_and_records_the_request(client, world, camera):
    w = world
    case = receive(w, kind="complaint")
    client.force_login(w.leader)
    url = reverse("complaints:act", args=[case.code, "footage"])
    page = client.get(reverse("complaints:detail", args=[case.code])).content.decode()
    assert 'data-action="footage"' in page and "Hộ tịch" in page
    bad = client.post(url, {"footage-counter": w.counter.pk, "footage-happened_at": "32/13/2026 9:00"})
    assert bad.status_code == 400 and "Thời điểm không hợp lệ" in bad.content.decode()
    good = client.post(
        url,
        {"footage-counter": w.counter.pk, "footage-happened_at": "2026-12-01T09:30", "version": case.version},
    )
    assert good.status_code == 302
    assert FootageRequest.objects.get().starts_at == at(2026, 12, 1, 9, 10)


def test_the_same_moment_twice_a_naive_time_or_an_overwritten_one_is_told(world, camera):
    w = world
    case = receive(w, kind="complaint")
    when = at(2026, 12, 1, 9, 30)
    services.case_act("footage", actor=w.leader, case=case, counter=w.counter, happened_at=when)
    cases = [
        ({"happened_at": when}, "Đã ghi yêu cầu trích xuất camera"),
        ({"happened_at": dt.datetime(2026, 12, 1, 9, 30)}, "Nhập thời điểm"),  # naive: refused, not a crash
        ({"happened_at": at(2026, 11, 1, 9, 30)}, "chỉ lưu hình 14 ngày"),
    ]
    for values, words in cases:
        with pytest.raises(ServiceError) as refused:
            services.case_act("footage", actor=w.leader, case=case, counter=w.counter, **values)
        assert words in refused.value.message_dict["happened_at"][0]
    assert FootageRequest.objects.count() == 1 and case.events.filter(action="footage").count() == 1


def test_the_officer_offered_is_the_officer_accepted(world, camera):
    from tests.factories import make_user

    w = world
    case = receive(w, kind="complaint")
    in_dept = make_user("vanthu", unit=w.dept, role="specialist", full_name="Văn Thư")
    outsider = make_user("canbo_b", unit=w.b, role="counter_officer", full_name="Cán Bộ B")
    from cqtt.complaints import selectors

    assert in_dept in selectors.case_staff(case) and outsider not in selectors.case_staff(case)
    services.case_act(
        "footage",
        actor=w.leader,
        case=case,
        counter=w.counter,
        happened_at=at(2026, 12, 1, 9, 0),
        officer=in_dept,
    )
    with pytest.raises(ServiceError) as refused:
        services.case_act(
            "footage",
            actor=w.leader,
            case=case,
            counter=w.counter,
            happened_at=at(2026, 12, 1, 10, 0),
            officer=outsider,
        )
    assert "không thuộc đơn vị" in refused.value.message_dict["officer"][0]


def test_the_case_page_links_its_footage_event_to_the_requests(client, world, camera):
    w = world
    case = receive(w, kind="complaint")
    services.case_act(
        "footage", actor=w.leader, case=case, counter=w.counter, happened_at=at(2026, 12, 1, 9, 30)
    )
    client.force_login(w.leader)
    page = client.get(reverse("complaints:detail", args=[case.code])).content.decode()
    assert "Xem các yêu cầu trích xuất camera" in page and reverse("units:footage") + "?unit=25747" in page
