"""The services: every transition of a dialogue, a question and a commitment, the refusals (scope 404, role 403,
state 409, bad input with the field), and the trail each change leaves (event row, audit row, outbox event)."""

import datetime as dt

import pytest

from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.dialogues import services
from cqtt.dialogues.models import DialogueEvent, QuestionSource
from cqtt.feedback import services as feedback
from tests.dialogues.conftest import announced, at, commit, held, plan

pytestmark = pytest.mark.django_db


def test_a_dialogue_goes_from_planned_to_minutes_published_leaving_a_trail(world):
    d = plan(world)
    assert d.status == "planned" and d.code.startswith("DT-")
    d = services.dialogue_announce(actor=world.specialist, dialogue=d, at=at(2026, 11, 2, 9, 0))
    assert d.status == "announced" and d.announced_at == at(2026, 11, 2, 9, 0)
    d = services.dialogue_hold(actor=world.leader, dialogue=d, attendees=85, at=at(2026, 11, 20, 11, 0))
    assert d.status == "held" and d.attendees == 85
    d = services.dialogue_publish_minutes(
        actor=world.leader,
        dialogue=d,
        attendees=90,
        summary="Người dân nêu 12 ý kiến về chợ tạm.",
        at=at(2026, 11, 21, 9, 0),
    )
    assert d.status == "minutes_published" and d.version == 4
    actions = list(DialogueEvent.objects.filter(dialogue=d).values_list("action", flat=True))
    assert actions == ["plan", "announce", "hold", "publish_minutes"]
    assert AuditEvent.objects.filter(
        action="dialogues.dialogue.publish_minutes", object_id=str(d.pk)
    ).exists()
    outbox = OutboxEvent.objects.filter(stream="dialogues", aggregate_id=d.pk).order_by("pk")
    assert [e.kind for e in outbox] == [
        "dialogues.dialogue_plan",
        "dialogues.dialogue_announce",
        "dialogues.dialogue_hold",
        "dialogues.dialogue_publish_minutes",
    ]


def test_the_annual_dialogue_names_the_front_as_co_organiser(world):
    with pytest.raises(ServiceError) as refused:
        plan(world, co_organiser="")
    assert "co_organiser" in refused.value.message_dict
    assert plan(world, kind="thematic", co_organiser="").kind == "thematic"


def test_bad_input_names_its_fields(world):
    with pytest.raises(ServiceError) as refused:
        services.dialogue_plan(
            actor=world.leader, unit=world.a, kind="x", topic="", starts_at=None, place="", chair=""
        )
    assert {"kind", "topic", "starts_at", "place", "chair"} <= set(refused.value.message_dict)


def test_another_units_staff_gets_not_in_scope_and_the_observer_is_refused(world):
    d = plan(world)
    with pytest.raises(NotInScope):
        services.dialogue_announce(actor=world.specialist_b, dialogue=d)
    with pytest.raises(NotInScope):
        plan(world, actor=world.specialist_b)
    with pytest.raises(PermissionDenied):
        services.dialogue_announce(actor=world.observer, dialogue=d)
    with pytest.raises(PermissionDenied):
        plan(world, actor=world.observer)
    with pytest.raises(PermissionDenied):  # cancelling is the leader's
        services.dialogue_cancel(actor=world.specialist, dialogue=d, reason="Trùng lịch họp")


def test_a_state_the_table_refuses_is_a_conflict(world):
    d = plan(world)
    with pytest.raises(TransitionNotAllowed):
        services.dialogue_publish_minutes(
            actor=world.leader, dialogue=d, attendees=1, summary="Tóm tắt biên bản"
        )
    d = services.dialogue_cancel(actor=world.leader, dialogue=d, reason="Trùng lịch họp Hội đồng")
    assert d.status == "cancelled" and d.cancel_reason == "Trùng lịch họp Hội đồng"
    with pytest.raises(TransitionNotAllowed):
        services.dialogue_announce(actor=world.leader, dialogue=d)


def test_a_dialogue_is_not_recorded_as_held_before_its_time(world):
    d = announced(world)
    with pytest.raises(ServiceError):
        services.dialogue_hold(actor=world.leader, dialogue=d, at=at(2026, 11, 19, 9, 0))


def test_a_citizen_asks_an_announced_dialogue_only(world):
    d = plan(world)
    with pytest.raises(TransitionNotAllowed):
        services.question_ask(dialogue=d, text="Khi nào dẹp chợ tạm đường Yersin?")
    d = services.dialogue_announce(actor=world.leader, dialogue=d)
    q = services.question_ask(dialogue=d, text="Khi nào dẹp chợ tạm đường Yersin?", phone="0912 345 678")
    assert q.source == QuestionSource.WEB and q.status == "received" and q.asker_phone == "0912345678"
    assert DialogueEvent.objects.filter(target="question", target_id=q.pk, action="ask").exists()
    with pytest.raises(ServiceError) as refused:
        services.question_ask(dialogue=d, text="Ngắn", phone="12")
    assert set(refused.value.message_dict) == {"text", "phone"}


def test_staff_pull_an_item_of_the_units_feedback_inbox_once_without_the_senders_data(world):
    d = announced(world)
    item = feedback.feedback_submit(
        unit=world.a,
        kind="recommendation",
        content="Tôi là Phạm Văn Bình, số 0912345678: đề nghị lắp đèn hẻm 12.",
        channel="web",
        sender=feedback.SenderData(name="Phạm Văn Bình", phone="0912345678"),
    )
    q = services.question_from_feedback(actor=world.specialist, dialogue=d, feedback_code=item.code.lower())
    assert q.source == "feedback" and q.feedback_code == item.code
    assert "0912345678" not in q.text and "Phạm Văn Bình" not in q.text and "đèn hẻm 12" in q.text
    with pytest.raises(ServiceError):  # once
        services.question_from_feedback(actor=world.specialist, dialogue=d, feedback_code=item.code)
    other = feedback.feedback_submit(
        unit=world.b, kind="report", content="Ổ gà đường số 5 rất sâu.", channel="web"
    )
    with pytest.raises(ServiceError):  # another unit's item is not found
        services.question_from_feedback(actor=world.specialist, dialogue=d, feedback_code=other.code)


def test_questions_are_moderated_then_answered_once_the_dialogue_was_held(world):
    d = announced(world)
    first = services.question_ask(dialogue=d, text="Khi nào dẹp chợ tạm đường Yersin?")
    second = services.question_ask(dialogue=d, text="Bao giờ dẹp chợ tạm trên đường Yersin ạ?")
    spam = services.question_ask(dialogue=d, text="Quảng cáo bán hàng online giá rẻ")
    first = services.question_accept(actor=world.specialist, question=first)
    second = services.question_merge(actor=world.specialist, question=second, into=first)
    assert second.status == "merged" and second.merged_into_id == first.pk
    spam = services.question_reject(actor=world.specialist, question=spam, reason="Không liên quan")
    assert spam.status == "rejected"
    with pytest.raises(TransitionNotAllowed):  # not answered before the meeting
        services.question_answer(actor=world.leader, question=first, answer="Trong tháng 12.")
    services.dialogue_hold(actor=world.leader, dialogue=d, at=at(2026, 11, 20, 11, 0))
    first = services.question_answer(
        actor=world.leader, question=first, answer="Trong tháng 12.", answered_by="Chủ tịch"
    )
    assert first.status == "answered" and first.answer == "Trong tháng 12."
    with pytest.raises(TransitionNotAllowed):  # an answered question is not merged
        services.question_merge(actor=world.leader, question=first, into=spam)
    with pytest.raises(PermissionDenied):
        services.question_accept(actor=world.observer, question=spam)


def test_a_commitment_due_in_working_days_is_done_on_time_or_late_or_dropped(world):
    d = held(world)  # Friday 20/11/2026
    c = commit(world, d, days=5)  # Tuesday 24/11 is Vietnamese Culture Day, a holiday from 2026
    assert c.due_date == dt.date(2026, 11, 30) and c.due_days == 5 and c.status == "open"
    c = services.commitment_complete(
        actor=world.specialist,
        commitment=c,
        done_on=dt.date(2026, 11, 30),
        evidence="Đã dẹp chợ tạm.",
        at=at(2026, 11, 30, 16, 0),
    )
    assert c.status == "done"
    late = commit(world, d, days=2)
    late = services.commitment_complete(
        actor=world.leader,
        commitment=late,
        done_on=dt.date(2026, 11, 30),
        evidence="Đã lắp đèn.",
        at=at(2026, 11, 30, 16, 0),
    )
    events = OutboxEvent.objects.filter(kind="dialogues.commitment_complete").order_by("pk")
    assert [e.payload["kept_on_time"] for e in events] == [True, False]
    dropped = commit(world, d, days=10)
    with pytest.raises(PermissionDenied):
        services.commitment_drop(actor=world.specialist, commitment=dropped, reason="Không còn kinh phí")
    dropped = services.commitment_drop(actor=world.leader, commitment=dropped, reason="Dự án chuyển cho quận")
    assert dropped.status == "dropped"
    with pytest.raises(TransitionNotAllowed):
        services.commitment_complete(
            actor=world.leader, commitment=dropped, done_on=dt.date(2026, 11, 30), evidence="x"
        )
    assert AuditEvent.objects.filter(action="dialogues.commitment.drop", object_id=str(dropped.pk)).exists()


def test_a_commitment_date_typed_in_must_be_a_working_day_after_the_dialogue(world):
    d = held(world)
    with pytest.raises(ServiceError) as refused:
        commit(world, d, days=None, due_date=dt.date(2026, 11, 29))  # a Sunday
    assert "Chủ nhật" in refused.value.message_dict["due_date"][0]
    with pytest.raises(ServiceError):
        commit(world, d, days=None, due_date=dt.date(2026, 11, 19))
    c = commit(world, d, days=None, due_date=dt.date(2026, 12, 15))
    assert c.due_days is None and c.due_date == dt.date(2026, 12, 15)


def test_a_commitment_needs_a_held_dialogue_an_owner_of_the_unit_and_a_date_not_in_the_future(world):
    d = announced(world)
    with pytest.raises(TransitionNotAllowed):
        commit(world, d)
    d = services.dialogue_hold(actor=world.leader, dialogue=d, at=at(2026, 11, 20, 11, 0))
    with pytest.raises(ServiceError) as refused:
        services.commitment_add(
            actor=world.leader, dialogue=d, text="Sửa đường hẻm 12", owner=world.counter_b, days=3
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ServiceError):
        services.commitment_add(
            actor=world.leader, dialogue=d, text="Sửa đường hẻm 12", owner=world.observer, days=3
        )
    c = commit(world, d)
    with pytest.raises(ServiceError) as refused:
        services.commitment_complete(
            actor=world.leader,
            commitment=c,
            done_on=dt.date(2026, 11, 25),
            evidence="Xong",
            at=at(2026, 11, 24, 9, 0),
        )
    assert "done_on" in refused.value.message_dict
    with pytest.raises(NotInScope):
        services.commitment_complete(
            actor=world.specialist_b, commitment=c, done_on=dt.date(2026, 11, 23), evidence="x"
        )
