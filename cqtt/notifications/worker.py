"""The sender: claims due messages in batches, sends them through their channel's adapter, records each
outcome. At most once per message even if the worker is killed between a send and its record: a message found
in `sending` for longer than any send can take is reconciled — sent again with the same reference where the
provider dedupes on it (`Adapter.idempotent`), otherwise marked `technical-failure` for a person to check
(ADR 0016). Several workers may run at once on PostgreSQL (`SKIP LOCKED`); each batch is claimed with a token so
no two workers hold the same message on SQLite either."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from . import adapters, rules, services
from .models import Message, MessageStatus

log = logging.getLogger(__name__)
S = MessageStatus
WAITING = (S.CREATED, S.TEMPORARY_FAILURE)


def conf(name, default):
    return adapters.conf(name, default)


def claim(*, batch: int, now: dt.datetime | None = None) -> list[Message]:
    """Take up to `batch` due messages for this worker: `sending`, one more attempt, stamped with a claim."""
    now = now or timezone.now()
    token = secrets.token_hex(8)
    with transaction.atomic():
        messages = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status__in=WAITING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:batch]
        )
        if not messages:
            return []
        ids = [m.pk for m in messages]
        claimed = Message.objects.filter(pk__in=ids, status__in=WAITING).update(
            status=S.SENDING, sending_since=now, attempts=F("attempts") + 1, claim=token, updated_at=now
        )
    if claimed != len(messages):
        # another worker took some between the read and the update (without row locks): ours hold the token
        return list(Message.objects.filter(pk__in=ids, claim=token, status=S.SENDING))
    for m in messages:  # the rows as the update left them, without reading them again
        m.status = S.SENDING
        m.sending_since = m.updated_at = now
        m.attempts += 1
        m.claim = token
    return messages


def _send(message: Message) -> tuple[Message, adapters.Outcome, str]:
    try:
        adapter = adapters.adapter_for(message.channel)
        return message, adapter.send(message), adapter.name
    except Exception as exc:  # an adapter's bug must not lose the batch
        log.exception("notifications: %s adapter failed on message %s", message.channel, message.pk)
        return message, adapters.Outcome(adapters.TECHNICAL, reason=f"{type(exc).__name__}"), message.channel


def record(results: list[tuple[Message, adapters.Outcome, str]], *, at: dt.datetime | None = None) -> None:
    """Write the outcomes of a batch, each only if the message is still held by that claim. Messages with the
    same outcome are written by one UPDATE (the claim guard in its WHERE, each one's provider id by a CASE on
    its pk); a permanent failure is written alone, since its follow-up (a Zalo message's SMS fallback) depends
    on whether this claim still held it."""
    at = at or timezone.now()
    groups: dict[tuple, list[tuple]] = {}
    with transaction.atomic():
        for message, outcome, provider in results:
            token = message.claim
            fields = services.apply_outcome(message, outcome, provider=provider, at=at)
            values = {f: getattr(message, f) for f in fields if f != "updated_at"}
            if message.status == S.PERMANENT_FAILURE:
                updated = Message.objects.filter(pk=message.pk, claim=token, status=S.SENDING).update(
                    **values, updated_at=at
                )
                if updated:
                    services.sms_fallback(message, at=at)
            else:
                provider_id = values.pop("provider_id", None)
                key = (token, tuple(values.items()), provider_id is not None)
                groups.setdefault(key, []).append((message.pk, provider_id))
            if message.status in (S.TECHNICAL_FAILURE, S.PERMANENT_FAILURE):
                log.warning(
                    "notifications: %s to %s %s: %s",
                    message.channel,
                    rules.mask(message.channel, message.to),
                    message.status,
                    message.failure,
                )
        for (token, items, with_provider_id), members in groups.items():
            values = dict(items)
            if with_provider_id:
                values["provider_id"] = _per_message("provider_id", members)
            Message.objects.filter(pk__in=[pk for pk, _id in members], claim=token, status=S.SENDING).update(
                **values, updated_at=at
            )


def _per_message(field: str, members: list[tuple]):
    """The value of `field` for each message of a group, from (pk, value) pairs: the value itself when they
    share it, else a CASE on the pk."""
    distinct = {value for _pk, value in members}
    if len(distinct) == 1:
        return distinct.pop()
    return Case(
        *(When(pk=pk, then=Value(value)) for pk, value in members),
        default=F(field),
        output_field=CharField(),
    )


def reconcile(*, now: dt.datetime | None = None, stuck_after: float | None = None) -> tuple[int, int]:
    """Messages left in `sending` by a worker that died: (sent again with the same reference, marked for a
    person). Only those older than `stuck_after` seconds (longer than any send's timeout)."""
    now = now or timezone.now()
    stuck_after = stuck_after if stuck_after is not None else conf("STUCK_AFTER_SECONDS", 900)
    cutoff = now - dt.timedelta(seconds=stuck_after)
    again = marked = 0
    with transaction.atomic():
        stuck = list(
            Message.objects.select_for_update(skip_locked=True).filter(
                status=S.SENDING, sending_since__lt=cutoff
            )[:1000]
        )
        for message in stuck:
            try:
                idempotent = adapters.adapter_for(message.channel).idempotent
            except Exception:  # a misconfigured channel: a person must look
                idempotent = False
            if idempotent:
                Message.objects.filter(pk=message.pk).update(
                    status=S.CREATED, next_attempt_at=now, sending_since=None, claim="", updated_at=now
                )
                again += 1
            else:
                Message.objects.filter(pk=message.pk).update(
                    status=S.TECHNICAL_FAILURE,
                    sending_since=None,
                    claim="",
                    failure=_(
                        "Việc gửi bị gián đoạn; không rõ người nhận đã nhận chưa. Kiểm tra rồi gửi lại."
                    ),
                    updated_at=now,
                )
                marked += 1
    if again or marked:
        log.warning(
            "notifications: reconciled %s stuck messages (%s sent again, %s to check)",
            again + marked,
            again,
            marked,
        )
    return again, marked


def run_once(*, batch: int, pool: ThreadPoolExecutor | None = None) -> int:
    """One batch: claim, send (in parallel through the pool), record. Returns the number sent."""
    messages = claim(batch=batch)
    if not messages:
        return 0
    if pool is None:
        results = [_send(m) for m in messages]
    else:
        # e-mails share one SMTP connection: in order, in one thread; the HTTP channels in parallel
        emails = [m for m in messages if m.channel == "email"]
        others = [m for m in messages if m.channel != "email"]
        futures = [pool.submit(_send, m) for m in others]
        results = [_send(m) for m in emails] + [f.result() for f in futures]
    record(results)
    return len(results)


IDLE_FIRST_WAIT = 0.05  # seconds: the first wait once the queue is empty, doubled up to `poll`


def run(
    *,
    stop: threading.Event,
    batch: int = 50,
    threads: int = 8,
    poll: float = 1.0,
    reconcile_every: float = 30.0,
) -> None:
    """The worker's loop until `stop` is set. On an empty queue it waits 50 ms, then twice as long each time
    the queue is still empty, up to `poll` seconds: a message written just after the queue emptied waits tens
    of milliseconds rather than a whole `poll`, and an idle worker still asks once every `poll`."""
    last_reconcile = 0.0
    idle = min(poll, IDLE_FIRST_WAIT)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="notify") as pool:
        while not stop.is_set():
            close_old_connections()
            try:
                if time.monotonic() - last_reconcile >= reconcile_every:
                    reconcile()
                    last_reconcile = time.monotonic()
                sent = run_once(batch=batch, pool=pool)
            except Exception:  # keep the worker alive; the batch is reconciled later
                log.exception("notifications: batch failed")
                stop.wait(poll)
                continue
            if sent:
                idle = min(poll, IDLE_FIRST_WAIT)
            else:
                stop.wait(idle)
                idle = min(poll, idle * 2)
    adapters.reset()
