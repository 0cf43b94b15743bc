"""Demo notices: the demo dossiers' events handed to the notifications app at once (the worker would a moment
later), the old ones shown as sent or delivered, and a few messages in each failure state so the staff pages
have something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cqtt.core import outbox
from cqtt.core.models import OutboxDelivery, OutboxEvent
from cqtt.notifications.models import Message, MessageStatus
from cqtt.units.models import Unit

CONSUMER = "cqtt.notifications.reactions.on_dossier_event"
S = MessageStatus
FAILURES = [
    (S.TEMPORARY_FAILURE, "HTTP 503"),
    (S.PERMANENT_FAILURE, "Số thuê bao không tồn tại"),
    (S.TECHNICAL_FAILURE, "HTTP 401: sai khóa kết nối tổng đài SMS"),
]


def load_demo_notices(*, units: list[Unit], now: dt.datetime | None = None, seed: int = 766) -> int:
    if Message.objects.filter(unit__in=units).exists():
        return 0
    now = now or timezone.now()
    done = OutboxDelivery.objects.filter(event=OuterRef("pk"), consumer=CONSUMER)
    for event_id in (
        OutboxEvent.objects.filter(stream="dossier")
        .filter(~Exists(done))
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        outbox.handle(event_id, CONSUMER)
    rng = random.Random(seed)
    old = Message.objects.filter(unit__in=units, created_at__lt=now - dt.timedelta(hours=2))
    for m in old.only("pk", "created_at", "channel"):
        delivered = m.channel == "sms" and rng.random() < 0.8
        Message.objects.filter(pk=m.pk).update(
            status=S.DELIVERED if delivered else S.SENT,
            attempts=1,
            provider="console" if m.channel == "sms" else m.channel,
            sent_at=m.created_at + dt.timedelta(seconds=rng.randrange(2, 40)),
            delivered_at=m.created_at + dt.timedelta(seconds=rng.randrange(40, 300)) if delivered else None,
        )
    recent = list(
        Message.objects.filter(unit__in=units, channel="sms", status=S.SENT).order_by("-created_at")[:12]
    )
    for i, m in enumerate(recent[: len(FAILURES) * 2]):
        status, reason = FAILURES[i % len(FAILURES)]
        Message.objects.filter(pk=m.pk).update(
            status=status,
            failure=reason,
            attempts=8 if status == S.TECHNICAL_FAILURE else 2,
            sent_at=None,
            delivered_at=None,
            next_attempt_at=now + dt.timedelta(minutes=10),
        )
    waiting = Message.objects.filter(unit__in=units, status=S.CREATED).order_by("created_at").first()
    if waiting is not None:  # one being sent right now (the worker reconciles it if it stays there)
        Message.objects.filter(pk=waiting.pk).update(status=S.SENDING, sending_since=now, attempts=1)
    return Message.objects.filter(unit__in=units).count()
