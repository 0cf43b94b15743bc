from django.core.management.base import BaseCommand

from cqtt.core import outbox
from cqtt.core.tasks import outbox_handle_task


class Command(BaseCommand):
    help = (
        "Hand out again the outbox events a consumer has not handled (e.g. after a crash before the enqueue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="seconds (default 60)")
        parser.add_argument(
            "--now", action="store_true", help="handle them in this process instead of enqueuing"
        )

    def handle(self, *args, older_than: int, now: bool, **options):
        todo = outbox.pending(older_than_seconds=older_than)
        for event_id, consumer in todo:
            if now:
                outbox.handle(event_id, consumer)
            else:
                outbox_handle_task.enqueue(event_id, consumer)
        self.stdout.write(f"{len(todo)}")
