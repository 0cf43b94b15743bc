"""Services of citizen reception: each transition of a session and of a visit, the refusals, the events, the
audit rows and the outbox events."""

import datetime as dt

import pytest

from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.feedback.models import FeedbackItem
from cqtt.reception import services
from cqtt.reception.models import ReceptionEvent, SessionStatus, VisitStatus

from .conftest import NOW, at, new_session, new_visit, visit_data

pytestmark = pytest.mark.django_db


def test_a_session_five_working_days_ahead_is_published_with_event_audit_and_outbox(world):
    session = new_session(world, when=at(2026, 12, 1, 8, 0))
    assert session.status == SessionStatus.PUBLISHED and session.published_at == NOW
    assert list(ReceptionEvent.objects.filter(session=session).values_list("action", flat=True)) == [
        "create",
        "publish",
    ]
    assert AuditEvent.objects.filter(action="reception.session.publish").count() == 1
    assert OutboxEvent.objects.filter(kind="reception.session_publish").count() == 1


def test_publication_under_five_working_days_names_the_rule_and_the_earliest_day(world):
    with pytest.raises(ServiceError) as refused:
        new_session(world, when=at(2026, 11, 30, 8, 0))
    message = refused.value.message_dict["starts_at"][0]
    assert "Điều 24" in message and "Thứ Ba 01/12/2026" in message


def test_a_draft_is_published_later_under_the_same_rule(world):
    draft = new_session(world, when=at(2026, 12, 1, 8, 0), publish=False)
    assert draft.status == SessionStatus.DRAFT
    with pytest.raises(ServiceError):
        services.session_publish(actor=world.leader, session=draft, at=at(2026, 11, 25, 9, 0))
    published = services.session_publish(actor=world.leader, session=draft, at=NOW)
    assert published.status == SessionStatus.PUBLISHED and published.version == 2


def test_the_leader_must_hold_the_leader_role_in_the_unit(world):
    with pytest.raises(ServiceError) as refused:
        services.session_create(
            actor=world.leader,
            unit=world.a,
            leader=world.counter_a,
            starts_at=at(2026, 12, 2, 8, 0),
            place="P",
        )
    assert "lãnh đạo" in refused.value.message_dict["leader"][0]


def test_a_postponement_publishes_the_new_date_and_keeps_the_old_one(world):
    session = new_session(world)
    # one working day ahead only: the law asks the new expected date be posted, not 5 days ahead
    later = services.session_postpone(
        actor=world.leader,
        session=session,
        new_starts_at=at(2026, 12, 3, 8, 0),
        reason="Chủ tịch đi họp đột xuất",
        at=at(2026, 12, 2, 7, 0),
    )
    assert later.status == SessionStatus.POSTPONED
    assert later.previous_starts_at == at(2026, 12, 2, 8, 0) and later.starts_at == at(2026, 12, 3, 8, 0)
    event = ReceptionEvent.objects.get(session=session, action="postpone")
    assert event.data["from"].startswith("2026-12-02T08:00")
    again = services.session_publish(actor=world.leader, session=later, at=at(2026, 12, 2, 7, 5))
    assert again.status == SessionStatus.PUBLISHED


def test_postponement_needs_a_reason_and_a_later_date(world):
    session = new_session(world)
    with pytest.raises(ServiceError) as refused:
        services.session_postpone(
            actor=world.leader, session=session, new_starts_at=at(2026, 12, 1, 8, 0), reason=""
        )
    assert set(refused.value.message_dict) == {"reason", "new_starts_at"}


def test_hold_cancel_and_the_table(world):
    session = new_session(world)
    with pytest.raises(ServiceError):
        services.session_hold(actor=world.leader, session=session, at=NOW)
    held = services.session_hold(actor=world.leader, session=session, at=at(2026, 12, 2, 11, 0))
    assert held.status == SessionStatus.HELD
    with pytest.raises(TransitionNotAllowed):
        services.session_cancel(actor=world.leader, session=held, reason="x", at=at(2026, 12, 2, 11, 0))
    other = new_session(world, when=at(2026, 12, 4, 8, 0))
    cancelled = services.session_cancel(actor=world.leader, session=other, reason="Trùng lịch họp", at=NOW)
    assert cancelled.status == SessionStatus.CANCELLED


def test_wrong_unit_is_not_in_scope_and_the_observer_cannot_write(world):
    session = new_session(world)
    with pytest.raises(NotInScope):
        services.session_cancel(actor=world.counter_b, session=session, reason="x", at=NOW)
    with pytest.raises(PermissionDenied):
        services.session_cancel(actor=world.observer, session=session, reason="x", at=NOW)
    with pytest.raises(PermissionDenied):
        new_visit(world, actor=world.observer)
    with pytest.raises(NotInScope):
        services.visit_record(actor=world.counter_b, unit=world.a, data=visit_data(), at=NOW)


def test_a_visit_is_numbered_and_its_answer_is_due_in_ten_working_days(world):
    first, second = new_visit(world), new_visit(world)
    assert (first.number, second.number) == (1, 2)
    assert first.status == VisitStatus.OPEN and first.answer_due_on == dt.date(2026, 12, 8)
    assert OutboxEvent.objects.filter(kind="reception.visit_record").count() == 2
    audit = AuditEvent.objects.filter(action="reception.visit.record").first()
    assert "079085001234" not in str(audit.changes)


def test_bad_visit_input_is_refused_field_by_field(world):
    with pytest.raises(ServiceError) as refused:
        new_visit(
            world,
            data=visit_data(
                person_name=" ",
                id_number="12345",
                phone="0912",
                kind="other",
                is_group=True,
                people=3,
                within_competence=False,
            ),
        )
    assert set(refused.value.message_dict) >= {
        "person_name",
        "id_number",
        "phone",
        "kind",
        "people",
        "representatives",
        "guidance",
    }


def test_text_is_stored_nfc(world):
    decomposed = "Nguye\u0302\u0303n Va\u0306n A"
    visit = new_visit(world, over={"person_name": decomposed})
    assert visit.person_name == "Nguyễn Văn A"


def test_a_group_visit_keeps_its_representatives(world):
    visit = new_visit(
        world, over={"is_group": True, "people": 12, "representatives": "Ông Trần Văn Cường; Bà Lê Thị Dung"}
    )
    assert visit.is_group and visit.people == 12


def test_answer_on_time_and_late(world):
    on_time = services.visit_answer(
        actor=world.counter_a,
        visit=new_visit(world),
        kind="accepted",
        answer="Đã thụ lý",
        at=at(2026, 12, 8, 16, 0),
    )
    assert on_time.on_time is True and on_time.status == VisitStatus.ANSWERED
    late = services.visit_answer(
        actor=world.counter_a,
        visit=new_visit(world),
        kind="forwarded",
        answer="Chuyển",
        at=at(2026, 12, 9, 9, 0),
    )
    assert late.on_time is False
    with pytest.raises(TransitionNotAllowed):
        services.visit_answer(
            actor=world.counter_a, visit=late, kind="accepted", answer="x", at=at(2026, 12, 9, 9, 0)
        )


def test_a_refusal_on_a_persistent_ground_needs_the_notice_within_three_working_days(world):
    visit = new_visit(world, refusal_ground="persistent")
    assert visit.status == VisitStatus.REFUSED and visit.refusal_notice_due_on == dt.date(2026, 11, 27)
    noticed = services.visit_refusal_notice(actor=world.counter_a, visit=visit, at=at(2026, 11, 26, 9, 0))
    assert noticed.refusal_notice_on == dt.date(2026, 11, 26)
    plain = new_visit(world, refusal_ground="threatening")
    assert plain.refusal_notice_due_on is None
    with pytest.raises(ServiceError):
        services.visit_refusal_notice(actor=world.counter_a, visit=plain, at=NOW)


def test_documents_received_for_the_receipt(world):
    visit = services.visit_receive_documents(
        actor=world.counter_a,
        visit=new_visit(world),
        documents=[services.DocumentData("Đơn kiến nghị", 2, "Bản chính"), services.DocumentData("", 1)],
        at=NOW,
    )
    assert visit.documents == [{"name": "Đơn kiến nghị", "pages": 2, "condition": "Bản chính"}]
    with pytest.raises(ServiceError):
        services.visit_receive_documents(actor=world.counter_a, visit=visit, documents=[], at=NOW)


def test_a_petition_becomes_a_feedback_item_with_one_call(world):
    visit = services.visit_to_feedback(actor=world.counter_a, visit=new_visit(world), at=NOW)
    item = FeedbackItem.objects.get(code=visit.feedback_code)
    assert item.unit == world.a and item.kind == "recommendation" and item.sender_name == "Phạm Văn Bình"
    assert "Tiếp công dân" in item.subject
    with pytest.raises(TransitionNotAllowed):
        services.visit_to_feedback(actor=world.counter_a, visit=visit, at=NOW)
    complaint = new_visit(world, over={"kind": "complaint"})
    with pytest.raises(ServiceError):
        services.visit_to_feedback(actor=world.counter_a, visit=complaint, at=NOW)


def test_conclusion_with_tasks_due_in_working_days_and_completion(world):
    session = new_session(world)
    services.session_hold(actor=world.leader, session=session, at=at(2026, 12, 2, 11, 0))
    conclusion = services.conclusion_issue(
        actor=world.leader,
        session=session,
        text="Giao Phòng Kinh tế kiểm tra việc ngập hẻm 12 Bạch Đằng.",
        tasks=[services.TaskData("Kiểm tra hiện trường", "Phòng Kinh tế", 5)],
        at=at(2026, 12, 2, 15, 0),
    )
    task = conclusion.tasks.get()
    assert task.due_on == dt.date(2026, 12, 9)
    with pytest.raises(PermissionDenied):
        services.conclusion_issue(actor=world.counter_a, session=session, text="x", tasks=[], at=NOW)
    done = services.task_complete(
        actor=world.counter_a, task=task, result="Đã nạo vét cống", at=at(2026, 12, 4, 9, 0)
    )
    assert done.status == "done" and done.done_on == dt.date(2026, 12, 4)
    assert ReceptionEvent.objects.filter(session=session, action="complete_task").exists()


def test_a_complaint_becomes_a_case_with_one_call_and_its_acceptance_answers_the_visit(
    world, django_capture_on_commit_callbacks
):
    from cqtt.complaints import services as complaints
    from cqtt.complaints.models import Case

    visit = new_visit(
        world, over={"kind": "complaint", "content": "Khiếu nại quyết định xử phạt xây dựng số 12."}
    )
    visit = services.visit_to_case(actor=world.counter_a, visit=visit, at=NOW)
    case = Case.objects.get(code=visit.case_code)
    assert (case.kind, case.channel, case.source, case.source_ref) == (
        "complaint",
        "in_person",
        "reception_visit",
        str(visit.pk),
    )
    with pytest.raises(TransitionNotAllowed):
        services.visit_to_feedback(actor=world.counter_a, visit=visit, at=NOW)
    # the leader accepts the case: the outbox tells reception, which records the visit's answer (Art. 28)
    with django_capture_on_commit_callbacks(execute=True):
        complaints.case_accept(actor=world.leader, case=case, at=at(2026, 11, 26, 9, 0))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ANSWERED and visit.answer_kind == "accepted" and visit.on_time is True
    assert ReceptionEvent.objects.filter(visit=visit, action="answer", actor=None).exists()


def test_a_report_is_not_a_case(world):
    with pytest.raises(ServiceError):
        services.visit_to_case(actor=world.counter_a, visit=new_visit(world, over={"kind": "report"}), at=NOW)


def test_follow_up_fills_the_register_columns_and_needs_a_result(world):
    visit = new_visit(world)
    with pytest.raises(ServiceError):
        services.visit_follow_up(actor=world.counter_a, visit=visit, follow_up=" ", at=NOW)
    visit = services.visit_follow_up(
        actor=world.counter_a,
        visit=visit,
        follow_up="Phòng Kinh tế đã nạo vét",
        accepting_body="Phòng Kinh tế",
        at=NOW,
    )
    assert visit.follow_up == "Phòng Kinh tế đã nạo vét" and visit.accepting_body == "Phòng Kinh tế"
    assert visit.status == VisitStatus.OPEN
    assert OutboxEvent.objects.filter(kind="reception.visit_follow_up").exists()
