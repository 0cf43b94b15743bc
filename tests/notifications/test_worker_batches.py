"""The worker's claim and record: a batch is claimed in two statements and its outcomes written one UPDATE per
outcome, each message still guarded by its claim."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqtt.notifications import adapters, worker
from cqtt.notifications.models import Message
from tests.factories import make_commune

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def make_messages(n: int, *, channel: str = "sms", at: dt.datetime = NOW) -> list[Message]:
    unit = make_commune()
    return Message.objects.bulk_create(
        Message(
            key=f"t:{i}:{channel}",
            unit=unit,
            event="received",
            channel=channel,
            to=f"8491234{i:04d}",
            text=f"tin {i}",
            created_at=at,
            next_attempt_at=at + dt.timedelta(seconds=i),
        )
        for i in range(n)
    )


def statements(ctx, verb: str) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(verb)]


def test_claim_takes_the_oldest_due_in_two_statements_and_answers_them_as_stored():
    make_messages(5)
    with CaptureQueriesContext(connection) as ctx:
        claimed = worker.claim(batch=3, now=NOW + dt.timedelta(minutes=1))
    assert len(statements(ctx, "SELECT")) == 1 and len(statements(ctx, "UPDATE")) == 1
    assert [m.text for m in claimed] == ["tin 0", "tin 1", "tin 2"]
    token = claimed[0].claim
    assert token and all(m.claim == token for m in claimed)
    for m in claimed:
        stored = Message.objects.get(pk=m.pk)
        state = ("sending", 1, token, NOW + dt.timedelta(minutes=1))
        assert (m.status, m.attempts, m.claim, m.sending_since) == state
        assert (stored.status, stored.attempts, stored.claim, stored.sending_since) == state
    again = worker.claim(batch=10, now=NOW + dt.timedelta(minutes=1))
    assert [m.text for m in again] == ["tin 3", "tin 4"] and again[0].claim != token
    assert worker.claim(batch=10, now=NOW + dt.timedelta(minutes=1)) == []


def test_record_writes_one_update_per_outcome_with_each_provider_id():
    make_messages(6)
    claimed = worker.claim(batch=6, now=NOW + dt.timedelta(minutes=1))
    outcomes = [adapters.Outcome(adapters.ACCEPTED, provider_id=f"gw-{i}") for i in range(4)] + [
        adapters.Outcome(adapters.TEMPORARY, reason="HTTP 503"),
        adapters.Outcome(adapters.TEMPORARY, reason="HTTP 503"),
    ]
    at = NOW + dt.timedelta(minutes=2)
    with CaptureQueriesContext(connection) as ctx:
        worker.record([(m, o, "http") for m, o in zip(claimed, outcomes, strict=True)], at=at)
    assert len(statements(ctx, "UPDATE")) == 2
    stored = {m.text: m for m in Message.objects.all()}
    for i in range(4):
        m = stored[f"tin {i}"]
        assert (m.status, m.provider_id, m.provider, m.sent_at, m.claim, m.sending_since) == (
            "sent",
            f"gw-{i}",
            "http",
            at,
            "",
            None,
        )
    for i in (4, 5):
        m = stored[f"tin {i}"]
        assert m.status == "temporary-failure" and m.failure == "HTTP 503" and m.provider_id == ""
        assert m.next_attempt_at > at and m.sent_at is None and m.claim == ""


def test_record_leaves_a_message_another_claim_holds_now():
    make_messages(3)
    claimed = worker.claim(batch=3, now=NOW + dt.timedelta(minutes=1))
    # the first was reconciled and claimed again by another worker meanwhile
    Message.objects.filter(pk=claimed[0].pk).update(claim="other", attempts=2)
    accepted = adapters.Outcome(adapters.ACCEPTED, provider_id="gw-1")
    worker.record([(m, accepted, "http") for m in claimed], at=NOW + dt.timedelta(minutes=2))
    first = Message.objects.get(pk=claimed[0].pk)
    assert (first.status, first.claim, first.provider_id) == ("sending", "other", "")
    assert set(Message.objects.exclude(pk=first.pk).values_list("status", flat=True)) == {"sent"}


def test_a_zalo_message_refused_falls_back_to_sms_once_and_only_while_claimed():
    make_messages(2, channel="zalo")
    claimed = worker.claim(batch=2, now=NOW + dt.timedelta(minutes=1))
    Message.objects.filter(pk=claimed[1].pk).update(claim="other")
    refused = adapters.Outcome(adapters.PERMANENT, reason="no Zalo account")
    worker.record([(m, refused, "zalo") for m in claimed], at=NOW + dt.timedelta(minutes=2))
    fallback = Message.objects.get(channel="sms")
    assert fallback.fallback_of_id == claimed[0].pk and fallback.status == "created"
    assert Message.objects.get(pk=claimed[0].pk).status == "permanent-failure"
    assert Message.objects.get(pk=claimed[1].pk).status == "sending"


class Stop:
    """A stop event that records the worker's waits and stops it after `after` batches."""

    def __init__(self, after: int) -> None:
        self.waits: list[float] = []
        self.after = after

    def is_set(self) -> bool:
        return self.after <= 0

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return False


def test_an_idle_worker_waits_50_ms_then_twice_as_long_up_to_poll_and_again_50_ms_after_a_batch(monkeypatch):
    sent = iter([0, 0, 0, 0, 0, 0, 0, 3, 0, 0])
    stop = Stop(after=10)

    def run_once(*, batch, pool):
        stop.after -= 1
        return next(sent)

    monkeypatch.setattr(worker, "run_once", run_once)
    monkeypatch.setattr(worker, "reconcile", lambda: (0, 0))
    worker.run(stop=stop, poll=1.0, reconcile_every=3600)
    assert stop.waits == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 0.05, 0.1]
