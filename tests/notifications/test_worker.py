"""The worker's claim: a batch is claimed in two statements."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqtt.notifications import worker
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
