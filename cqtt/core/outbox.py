"""The event outbox: `emit` writes a domain event in the caller's transaction; after the commit each consumer
subscribed to its kind runs after the commit — by the relay process reading the outbox (`relay_once`,
`manage.py outbox_relay`), or in one task per event (`outbox_event_task`) — at most once in effect per (event,
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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
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


def delivery() -> str:
    """How events reach their consumers (`OUTBOX_DELIVERY`): `relay` — the relay process reads the outbox (no
    work in the request beyond the row); `task` — a task enqueued when the change commits (tests, where the
    immediate task backend runs it at once)."""
    return getattr(settings, "OUTBOX_DELIVERY", "relay")


def emit(*, stream: str, aggregate_id: int, action: str, payload: dict, at=None) -> OutboxEvent:
    """Write the event in the current transaction. An event nobody listens to is written as already handed out;
    the others reach their consumers after the commit (`delivery`)."""
    kind = f"{stream}.{action}"
    consumers = consumers_of(kind)
    at = at or timezone.now()
    event = OutboxEvent.objects.create(
        stream=stream,
        aggregate_id=aggregate_id,
        kind=kind,
        payload=payload,
        created_at=at,
        dispatched_at=None if consumers else at,
    )
    if consumers and delivery() == "task":
        from .tasks import outbox_event_task

        event_id = event.pk
        transaction.on_commit(lambda: outbox_event_task.enqueue(event_id, consumers), robust=True)
    return event


MAX_ATTEMPTS = 10


def relay_once(*, batch: int = 100) -> int:
    """Hand the oldest events not yet handed out to their consumers (each consumer in its own savepoint: one
    that fails does not stop the others) and mark those every consumer handled; an event whose consumer keeps
    failing is tried `MAX_ATTEMPTS` times, then left for `outbox_dispatch` and a person. Several relays may run
    at once on PostgreSQL (`SKIP LOCKED`). Returns the number of events handed out."""
    now = timezone.now()
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")
            .only("id", "kind")[:batch]
        )
        done, failed = [], []
        for event in events:
            ok = True
            for consumer in consumers_of(event.kind):
                try:
                    handle(event.pk, consumer)
                except Exception:  # one consumer's failure must not stop the others
                    log.exception("outbox: %s failed on event %s", consumer, event.pk)
                    ok = False
            (done if ok else failed).append(event.pk)
        if done:
            OutboxEvent.objects.filter(pk__in=done).update(dispatched_at=now)
        if failed:
            OutboxEvent.objects.filter(pk__in=failed).update(attempts=F("attempts") + 1)
    return len(done)


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
