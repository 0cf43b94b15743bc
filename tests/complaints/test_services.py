"""The actions of the three processes: periods by kind and condition, the refusals of the tables, extensions,
suspension, conclusion on time or late, splitting, the redacted copy, and one event + audit + outbox per change."""

import pytest

from cqtt.complaints import services
from cqtt.complaints.models import Case, Status
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.models import AuditEvent, OutboxEvent
from tests.complaints.conftest import day, receive
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def accept(w, case, when=None, **kw):
    return services.case_accept(actor=w.leader, case=case, at=when or at(2026, 12, 2, 9, 0), **kw)


def test_denunciation_resolution_is_thirty_calendar_days_moved_off_a_rest_day(world):
    case = accept(world, receive(world))  # accepted Wed 2/12/2026
    assert case.status == Status.ACCEPTED and case.on_time is True
    # 30 days after 2/12 is Fri 1/1/2027, New Year's Day → the next working day, Mon 4/1/2027
    assert case.resolution_due_on == day(2027, 1, 4)
    due = services.case_explanation(case)
    assert due.counting == "calendar_days"
    assert "Bộ luật Dân sự" in due.explanation[-1]["reason"]


def test_the_unit_may_count_resolution_in_working_days_and_the_screen_says_it_is_a_setting(world):
    services.settings_save(
        actor=world.leader, unit=world.a, resolution_counting="working_days", petition_days=15
    )
    case = accept(world, receive(world, kind="complaint"))
    assert case.resolution_due_on == day(2027, 1, 14)  # 30 working days, New Year's Day skipped
    text = services.rules.explanation_text(services.case_explanation(case))
    assert "ngày làm việc" in text and "cài đặt" in text


@pytest.mark.parametrize(
    ("remote", "complex_", "instance", "days"),
    [
        (False, False, 1, 30),
        (False, True, 1, 45),
        (True, False, 1, 45),
        (True, True, 1, 60),
        (False, False, 2, 45),
        (True, True, 2, 70),
    ],
)
def test_complaint_periods_by_area_complexity_and_instance(world, remote, complex_, instance, days):
    case = receive(world, kind="complaint", remote_area=remote, complex=complex_, instance=instance)
    case = accept(world, case)
    assert services.case_explanation(case).amount == days


def test_a_denunciation_is_extended_twice_at_most_with_a_decision(world):
    case = accept(world, receive(world))
    with pytest.raises(ServiceError) as exc:
        services.case_extend(actor=world.leader, case=case, reason="Vụ việc phức tạp, cần xác minh thêm.")
    assert "decision_number" in exc.value.message_dict
    for n in (1, 2):
        case = services.case_extend(
            actor=world.leader,
            case=case,
            reason="Vụ việc phức tạp, cần xác minh thêm.",
            decision_number=f"{n}/QĐ-UBND",
        )
    assert case.extension_count == 2 and case.resolution_due_on == day(2027, 3, 5)
    with pytest.raises(TransitionNotAllowed, match="tối đa hai lần"):
        services.case_extend(
            actor=world.leader, case=case, reason="Thêm lần nữa cho chắc.", decision_number="3/QĐ"
        )


def test_a_complaint_extends_once_to_the_complex_period(world):
    case = accept(world, receive(world, kind="complaint"))
    case = services.case_extend(actor=world.leader, case=case, reason="Nhiều hộ liên quan, phải đo đạc lại.")
    assert case.complex and services.case_explanation(case).amount == 45
    with pytest.raises(TransitionNotAllowed):
        services.case_extend(actor=world.leader, case=case, reason="Nhiều hộ liên quan, phải đo đạc lại.")


def test_suspension_days_are_not_counted(world):
    case = accept(world, receive(world))
    due = case.resolution_due_on
    case = services.case_suspend(
        actor=world.leader,
        case=case,
        reason="Chờ kết quả giám định của cơ quan chuyên môn.",
        at=at(2026, 12, 3, 9, 0),
    )
    assert case.status == Status.SUSPENDED
    case = services.case_resume(actor=world.leader, case=case, at=at(2026, 12, 13, 9, 0))
    assert case.status == Status.ACCEPTED and case.resolution_due_on > due


def test_conclusion_after_the_deadline_is_late(world):
    case = accept(world, receive(world, kind="petition"))
    case = services.case_conclude(
        actor=world.leader,
        case=case,
        outcome="Đã sửa đèn đường và trả lời bằng văn bản.",
        at=at(2027, 2, 1, 9, 0),
    )
    assert case.status == Status.CONCLUDED and case.on_time is False and case.closed_on == day(2027, 2, 1)


def test_the_tables_refuse_wrong_roles_and_states(world):
    case = receive(world)
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=world.counter_a, case=case)
    with pytest.raises(TransitionNotAllowed):
        services.case_resume(actor=world.leader, case=case)
    with pytest.raises(PermissionDenied):  # the observer reads, never writes; another ward sees nothing
        services.case_accept(actor=world.observer, case=case)
    from cqtt.core.errors import NotInScope

    with pytest.raises(NotInScope):
        services.case_accept(actor=world.counter_b, case=case)


def test_an_anonymous_denunciation_is_checked_as_information(world):
    case = receive(world, person={}, content="Có người xây nhà trái phép trên đất công ở tổ 5, khu phố 2.")
    case = services.case_treat_as_information(
        actor=world.leader, case=case, reason="Giấu tên nhưng nội dung cụ thể, có địa điểm rõ."
    )
    assert case.status == Status.INFORMATION
    case = services.case_conclude(
        actor=world.leader, case=case, outcome="Đã kiểm tra, lập biên bản.", decision_number="12/BB"
    )
    assert case.status == Status.CONCLUDED


def test_a_mixed_letter_is_split_into_linked_cases_with_the_same_sealed_person(world):
    case = receive(world, kind="complaint")
    made = services.case_split(
        actor=world.leader,
        case=case,
        parts=[
            {"kind": "denunciation", "content": "Cán bộ địa chính nhận tiền để xác nhận sai nguồn gốc đất."},
            {"kind": "petition", "content": "Đề nghị sửa đường ống thoát nước ở khu phố 3."},
        ],
    )
    assert [c.kind for c in made] == ["denunciation", "petition"]
    assert all(
        c.split_from == case and c.source == "split" and c.received_on == case.received_on for c in made
    )
    assert made[0].identity.full_name == case.identity.full_name
    with pytest.raises(ServiceError) as exc:
        services.case_split(actor=world.leader, case=case, parts=[{"kind": "x", "content": "ngắn"}])
    assert "parts.0.kind" in exc.value.message_dict


def test_the_redacted_copy_may_not_name_the_person(world):
    case = receive(world)
    with pytest.raises(ServiceError):
        services.case_redact(
            actor=world.leader, case=case, content="Bà PHAM THI HONG tố cáo cán bộ địa chính."
        )
    case = services.case_redact(
        actor=world.leader, case=case, content="Người tố cáo [đã che] tố cáo cán bộ địa chính."
    )
    assert case.content.startswith("Người tố cáo")


def test_every_change_leaves_an_event_an_audit_row_and_an_outbox_row(world):
    case = receive(world, kind="complaint")
    case = accept(world, case)
    case = services.case_assign(
        actor=world.leader, case=case, assignee=world.specialist.username, at=at(2026, 12, 2, 10, 0)
    )
    case = services.case_note(
        actor=world.specialist,
        case=case,
        note="Đã làm việc với hộ liền kề.",
        action="dialogue",
        at=at(2026, 12, 3, 9, 0),
    )
    case = services.case_conclude(
        actor=world.leader,
        case=case,
        outcome="Giữ nguyên quyết định.",
        decision_number="5/QĐ-UBND",
        at=at(2026, 12, 4, 9, 0),
    )
    actions = ["receive", "accept", "assign", "dialogue", "conclude"]
    assert list(case.events.values_list("action", flat=True)) == actions
    assert list(
        OutboxEvent.objects.filter(stream="complaints").order_by("pk").values_list("kind", flat=True)
    ) == [f"complaints.{a}" for a in actions]
    assert AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="complaints.").count() == 5


def test_the_complainant_is_told_by_sms_but_the_denouncer_never(world):
    from cqtt.notifications.models import Message

    accept(world, receive(world, kind="complaint"))
    accept(world, receive(world, kind="denunciation"))
    texts = list(Message.objects.values_list("subject_code", flat=True))
    assert texts and all(code.startswith("KN-") for code in texts)


def test_bad_dates_are_refused(world):
    case = receive(world)
    with pytest.raises(ServiceError, match="sau hôm nay"):
        accept(world, case, accepted_on=day(2027, 1, 1))
    with pytest.raises(ServiceError, match="trước ngày nhận"):
        accept(world, case, accepted_on=day(2026, 11, 1))
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED
