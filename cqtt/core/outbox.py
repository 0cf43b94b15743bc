"""The event outbox: `emit` writes a domain event in the caller's transaction; after the commit each consumer
subscribed to its kind runs in one task per event (`outbox_event_task`), at most once in effect per (event,
consumer).

A consumer is a dotted path to `handler(event: OutboxEvent) -> None`, subscribed with
`subscribe("dossier.approve", "cqtt.letters.reactions.on_dossier_approved")` (a kind ending in `.*` matches the
whole stream) in its app's `AppConfig.ready`. The handler runs inside a transaction together with the row that
records its delivery: if it fails, neither stays and the task may be run again; if it succeeded, running it
again does nothing. Events whose tasks were lost (a crash between the commit and the enqueue) are found and
handed out again by `manage.py outbox_dispatch`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxDelivery, OutboxEvent

log = logging.getLogger(__name__)
_SUBSCRIBERS: dict[str, list[str]] = defaultdict(list)


def subscribe(kind: str, consumer: str) -> None:
    if consumer not in _SUBSCRIBERS[kind]:
        _SUBSCRIBERS[kind].append(consumer)


def unsubscribe(kind: str, consumer: str) -> None:
    if consumer in _SUBSCRIBERS.get(kind, []):
        _SUBSCRIBERS[kind].remove(consumer)


def consumers_of(kind: str) -> list[str]:
    stream = kind.split(".", 1)[0]
    return [*_SUBSCRIBERS.get(kind, []), *_SUBSCRIBERS.get(f"{stream}.*", [])]


def emit(*, stream: str, aggregate_id: int, action: str, payload: dict, at=None) -> OutboxEvent:
    """Write the event in the current transaction; its consumers' tasks are enqueued when it commits."""
    event = OutboxEvent.objects.create(
        stream=stream,
        aggregate_id=aggregate_id,
        kind=f"{stream}.{action}",
        payload=payload,
        created_at=at or timezone.now(),
    )
    consumers = consumers_of(event.kind)
    if consumers:
        from .tasks import outbox_event_task

        event_id = event.pk
        transaction.on_commit(lambda: outbox_event_task.enqueue(event_id, consumers), robust=True)
    return event


def handle(event_id: int, consumer: str) -> bool:
    """Run `consumer` on the event once: False when it had already handled it."""
    with transaction.atomic():
        if OutboxDelivery.objects.filter(event_id=event_id, consumer=consumer).exists():
            return False
        event = OutboxEvent.objects.get(pk=event_id)
        try:
            with transaction.atomic():
                OutboxDelivery.objects.create(event=event, consumer=consumer, handled_at=timezone.now())
        except IntegrityError:
            return False  # another worker got there first
        import_string(consumer)(event)
    return True


def pending(*, older_than_seconds: int = 60, limit: int = 1000) -> list[tuple[int, str]]:
    """(event id, consumer) pairs not handled yet, for events older than the given age."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    out: list[tuple[int, str]] = []
    for event_id, kind in (
        OutboxEvent.objects.filter(created_at__lt=cutoff).order_by("-id").values_list("id", "kind")[:limit]
    ):
        done = set(OutboxDelivery.objects.filter(event_id=event_id).values_list("consumer", flat=True))
        out += [(event_id, c) for c in consumers_of(kind) if c not in done]
    return out
