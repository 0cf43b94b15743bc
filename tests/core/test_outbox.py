"""The event outbox: written with the change, handed to each consumer after the commit, in effect once."""

import pytest
from django.core.management import call_command
from django.db import transaction

from cqtt.core import outbox
from cqtt.core.models import AuditEvent, OutboxDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

CONSUMER = "tests.core.test_outbox.record"


def record(event):
    """A consumer whose effect is a row: run twice, it must leave one."""
    AuditEvent.objects.create(
        occurred_at=event.created_at, action="test.reacted", object_type="outbox", object_id=str(event.pk)
    )


@pytest.fixture
def subscribed():
    outbox.subscribe("thu.*", CONSUMER)
    yield
    outbox.unsubscribe("thu.*", CONSUMER)


def test_consumers_run_after_the_commit_and_only_once(subscribed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = outbox.emit(stream="thu", aggregate_id=7, action="tao", payload={"a": 1})
    assert not AuditEvent.objects.filter(action="test.reacted").exists()  # nothing before the commit
    for callback in callbacks:
        callback()  # the commit: the task runs (immediate backend in tests)
    assert AuditEvent.objects.filter(action="test.reacted", object_id=str(event.pk)).count() == 1
    assert outbox.handle(event.pk, CONSUMER) is False  # handled twice: the effect of once
    assert AuditEvent.objects.filter(action="test.reacted").count() == 1
    assert OutboxDelivery.objects.get(event=event).consumer == CONSUMER


def test_an_event_rolled_back_with_its_change_is_never_handed_out(
    subscribed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.emit(stream="thu", aggregate_id=8, action="tao", payload={})
            raise RuntimeError("the change failed")
    assert not callbacks and not OutboxEvent.objects.filter(aggregate_id=8).exists()


def test_a_failing_consumer_leaves_no_delivery_and_can_run_again(monkeypatch):
    outbox.subscribe("hong.*", "tests.core.test_outbox.record")
    try:
        event = OutboxEvent.objects.create(
            stream="hong", aggregate_id=1, kind="hong.tao", payload={}, created_at="2026-11-24T10:00:00+07:00"
        )
        monkeypatch.setattr("tests.core.test_outbox.record", lambda e: (_ for _ in ()).throw(ValueError("x")))
        with pytest.raises(ValueError):
            outbox.handle(event.pk, CONSUMER)
        assert not OutboxDelivery.objects.exists()
        monkeypatch.undo()
        assert outbox.handle(event.pk, CONSUMER) is True
    finally:
        outbox.unsubscribe("hong.*", CONSUMER)


def test_outbox_dispatch_hands_out_what_a_crash_left(subscribed):
    # given an event whose task was never enqueued (written outside the emit path, as after a crash)
    event = OutboxEvent.objects.create(
        stream="thu", aggregate_id=9, kind="thu.tao", payload={}, created_at="2026-11-24T10:00:00+07:00"
    )
    assert outbox.pending(older_than_seconds=0) == [(event.pk, CONSUMER)]
    call_command("outbox_dispatch", "--older-than", "0", "--now")
    assert outbox.pending(older_than_seconds=0) == []
    assert AuditEvent.objects.filter(action="test.reacted", object_id=str(event.pk)).count() == 1


def broken(event):
    raise ValueError("this consumer is broken")


def test_one_task_per_event_runs_every_consumer_and_one_failing_does_not_stop_the_others(
    django_capture_on_commit_callbacks,
):
    from cqtt.core.tasks import outbox_event_task

    outbox.subscribe("ba.*", "tests.core.test_outbox.broken")
    outbox.subscribe("ba.*", CONSUMER)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            event = outbox.emit(stream="ba", aggregate_id=3, action="tao", payload={})
        assert len(callbacks) == 1  # one task for the event, whatever the number of consumers
        with pytest.raises(RuntimeError):
            outbox_event_task.call(event.pk, outbox.consumers_of(event.kind))
        assert AuditEvent.objects.filter(action="test.reacted", object_id=str(event.pk)).count() == 1
        assert list(OutboxDelivery.objects.filter(event=event).values_list("consumer", flat=True)) == [
            CONSUMER
        ]
        assert (event.pk, "tests.core.test_outbox.broken") in outbox.pending(older_than_seconds=-60)
    finally:
        outbox.unsubscribe("ba.*", "tests.core.test_outbox.broken")
        outbox.unsubscribe("ba.*", CONSUMER)


def test_the_relay_hands_events_out_after_the_commit_and_marks_them(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DELIVERY = "relay"
    outbox.subscribe("re.*", "tests.core.test_outbox.broken")
    outbox.subscribe("re.*", CONSUMER)
    outbox.subscribe("thu.*", CONSUMER)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            good = outbox.emit(stream="thu", aggregate_id=11, action="tao", payload={})
            bad = outbox.emit(stream="re", aggregate_id=12, action="tao", payload={})
            quiet = outbox.emit(stream="nobody", aggregate_id=13, action="tao", payload={})
        assert callbacks == []  # nothing enqueued: the row is the signal
        assert quiet.dispatched_at is not None  # nobody listens: never read by the relay
        assert outbox.relay_once(batch=10) == 1
        good.refresh_from_db()
        bad.refresh_from_db()
        assert good.dispatched_at is not None and bad.dispatched_at is None and bad.attempts == 1
        # the broken consumer did not stop the good one on the same event
        assert AuditEvent.objects.filter(action="test.reacted", object_id=str(bad.pk)).count() == 1
        assert AuditEvent.objects.filter(action="test.reacted", object_id=str(good.pk)).count() == 1
        for _ in range(outbox.MAX_ATTEMPTS):
            outbox.relay_once(batch=10)
        bad.refresh_from_db()
        assert bad.attempts == outbox.MAX_ATTEMPTS and bad.dispatched_at is None  # left for a person
        assert AuditEvent.objects.filter(action="test.reacted", object_id=str(bad.pk)).count() == 1  # once
    finally:
        outbox.unsubscribe("re.*", "tests.core.test_outbox.broken")
        outbox.unsubscribe("re.*", CONSUMER)
        outbox.unsubscribe("thu.*", CONSUMER)
