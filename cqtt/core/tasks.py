from django_tasks import task

from . import outbox


@task()
def outbox_handle_task(event_id: int, consumer: str) -> bool:
    """Hand one outbox event to one consumer (idempotent: a second run does nothing)."""
    return outbox.handle(event_id, consumer)
