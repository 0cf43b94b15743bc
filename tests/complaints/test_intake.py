"""Intake: the first deadline by kind, the sealed identity, the redacted copy, bad input in Vietnamese."""

import pytest

from cqtt.complaints import services
from cqtt.complaints.models import Case, Identity, Status
from cqtt.core.errors import PermissionDenied, ServiceError
from cqtt.core.models import AuditEvent, OutboxEvent
from tests.complaints.conftest import CONTENT, PERSON, day, receive
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_a_denunciation_gets_seven_working_days_and_its_copy_hides_the_denouncer(world):
    case = receive(world)  # Tuesday 1/12/2026
    assert case.code.startswith("TC-25747-26")
    assert case.status == Status.RECEIVED
    assert case.acceptance_due_on == day(2026, 12, 10)  # 7 working days, the weekend skipped
    assert case.forward_due_on == day(2026, 12, 8)  # 5 working days
    assert "Phạm Thị Hồng" not in case.content and "0912345678" not in case.content
    assert "Trần Văn Tư" in case.content  # the person denounced stays
    assert Identity.objects.get(case=case).full_name == PERSON["full_name"]
    assert case.handler == world.leader  # received by a leader: the designated handler


def test_nothing_of_the_identity_reaches_the_event_the_audit_or_the_outbox(world):
    case = receive(world)
    for text in (
        str(list(AuditEvent.objects.filter(object_id=str(case.pk)).values())),
        str(list(OutboxEvent.objects.filter(stream="complaints").values())),
        str(list(case.events.values())),
    ):
        for secret in PERSON.values():
            assert secret not in text


def test_complaint_acceptance_is_ten_working_days_and_a_late_complaint_is_flagged(world):
    case = receive(world, kind="complaint", decision_known_on=day(2026, 8, 1))
    assert case.acceptance_due_on == day(2026, 12, 15)
    event = case.events.get(action="receive")
    assert "thời hiệu khiếu nại 90 ngày" in event.note
    deadline = event.data["deadline"]
    assert deadline["counting"] == "working_days" and deadline["source"].startswith("Luật Khiếu nại")
    assert [d["reason"] for d in deadline["days"] if d["date"] == "2026-12-05"] == ["Không tính: Thứ Bảy"]


def test_a_counter_officer_receives_but_is_not_the_handler(world):
    case = receive(world, actor=world.counter_a)
    assert case.handler is None


def test_a_denunciation_without_a_name_is_anonymous(world):
    case = receive(world, person={}, content="Có người bán hàng lấn chiếm vỉa hè trước chợ phường hằng ngày.")
    assert case.anonymous


def test_bad_input_is_refused_in_vietnamese_with_nothing_saved(world):
    with pytest.raises(ServiceError) as exc:
        services.case_receive(
            actor=world.leader,
            unit=world.a,
            kind="khieu-nai",
            received_on=day(2027, 1, 1),
            channel="fax",
            person={"full_name": "A", "id_number": "123", "phone": "12"},
            content="ngắn",
            at=at(2026, 12, 1, 9, 0),
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"kind", "received_on", "channel", "content", "person.id_number", "person.phone"}
    assert "sau hôm nay" in errors["received_on"][0]
    assert not Case.objects.exists()


def test_outsiders_and_the_observer_cannot_receive(world):
    for who in (world.counter_b, world.observer):
        with pytest.raises(PermissionDenied):
            receive(world, actor=who)
    assert not Case.objects.exists()


def test_codes_count_per_unit_kind_and_year(world):
    a = receive(world)
    b = receive(world)
    c = receive(world, kind="complaint")
    assert a.code.endswith("00001") and b.code.endswith("00002") and c.code == "KN-25747-2600001"
    assert CONTENT  # the fixture's text names the denouncer: checked redacted above
