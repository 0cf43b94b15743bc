from django_tasks import task

from . import outbox


@task()
def outbox_handle_task(event_id: int, consumer: str) -> bool:
    """Hand one outbox event to one consumer (idempotent: a second run does nothing)."""
    return outbox.handle(event_id, consumer)


@task()
def outbox_event_task(event_id: int, consumers: list[str]) -> int:
    """Hand one outbox event to each of its consumers, each in its own transaction (`outbox.handle`): one task
    per event rather than per consumer, so a change enqueues one row. A consumer that fails does not stop the
    others; the task then fails, and `outbox_dispatch` hands the event again to the consumers that did not
    handle it. Returns how many handled it now."""
    handled, failed = 0, []
    for consumer in consumers:
        try:
            handled += bool(outbox.handle(event_id, consumer))
        except Exception as exc:  # one consumer's failure must not stop the others
            failed.append((consumer, exc))
    if failed:
        consumer, exc = failed[0]
        raise RuntimeError(
            f"outbox event {event_id}: {len(failed)} consumer(s) failed, first {consumer}"
        ) from exc
    return handled
