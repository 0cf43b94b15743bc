"""A complaint or denunciation recognised in the feedback inbox becomes a case; a denunciation's sender leaves
the inbox for the sealed record."""

import pytest

from cqtt.complaints.models import Case
from cqtt.feedback import services as feedback
from cqtt.feedback.models import FeedbackItem
from tests.dossiers.conftest import at
from tests.feedback.conftest import submit

pytestmark = pytest.mark.django_db


def _move(w, item, track, callbacks):
    with callbacks(execute=True):
        feedback.feedback_move_to_complaints(
            actor=w.counter_a,
            item=item,
            track=track,
            reason="Đây là tố cáo cán bộ.",
            at=at(2026, 11, 25, 9, 0),
        )


def test_a_denunciation_moved_from_the_inbox_is_a_sealed_case(world, django_capture_on_commit_callbacks):
    item = submit(world, content="Tôi là Phạm Văn Bình, tố cáo cán bộ thu tiền sai quy định khi làm giấy tờ.")
    _move(world, item, "denunciation", django_capture_on_commit_callbacks)
    case = Case.objects.get(source="feedback", source_ref=item.code)
    assert case.kind == "denunciation" and case.received_on == at(2026, 11, 24, 0, 0).date()
    assert case.identity.full_name == "Phạm Văn Bình" and case.identity.phone == "0912345678"
    assert "Phạm Văn Bình" not in case.content
    item = FeedbackItem.objects.get(pk=item.pk)
    assert item.sender_name == "" and item.sender_phone == "" and "Phạm Văn Bình" not in item.content


def test_a_complaint_moved_keeps_the_inbox_item_and_is_made_once(world, django_capture_on_commit_callbacks):
    item = submit(
        world, content="Tôi khiếu nại quyết định xử phạt vi phạm hành chính số 12/QĐ-XPHC của phường."
    )
    _move(world, item, "complaint", django_capture_on_commit_callbacks)
    case = Case.objects.get(source_ref=item.code)
    assert case.kind == "complaint" and case.handler is None  # moved by the desk: a leader accepts it
    assert FeedbackItem.objects.get(pk=item.pk).sender_name == "Phạm Văn Bình"
    from cqtt.complaints.reactions import on_feedback_event
    from cqtt.core.models import OutboxEvent

    on_feedback_event(OutboxEvent.objects.get(kind="feedback.move_to_complaints"))
    assert Case.objects.filter(source_ref=item.code).count() == 1


def test_a_moved_denunciation_leaves_no_trace_of_the_sender_in_the_inbox(
    world, django_capture_on_commit_callbacks
):
    from cqtt.feedback.models import FeedbackEvent
    from cqtt.notifications.models import Message

    item = submit(
        world,
        subject="Tố cáo của Phạm Văn Bình",
        content="Tôi là Phạm Văn Bình, tố cáo cán bộ thu tiền sai quy định khi làm giấy tờ.",
    )
    assert Message.objects.filter(subject_code=item.code).exists()
    with django_capture_on_commit_callbacks(execute=True):
        feedback.feedback_move_to_complaints(
            actor=world.counter_a,
            item=item,
            track="denunciation",
            reason="Đơn tố cáo của ông Bình về cán bộ.",
        )
    item = FeedbackItem.objects.get(pk=item.pk)
    assert "Bình" not in item.subject and "Bình" not in item.reason and item.sender_key == ""
    assert not any(
        "Bình" in n for n in FeedbackEvent.objects.filter(item=item).values_list("note", flat=True)
    )
    assert not Message.objects.filter(subject_code=item.code).exists()
    assert not any(item.code in t for t in Message.objects.values_list("text", flat=True))
