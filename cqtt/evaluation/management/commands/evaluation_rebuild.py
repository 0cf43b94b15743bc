import time

from django.core.management.base import BaseCommand

from cqtt.evaluation.read_model import facts_rebuild


class Command(BaseCommand):
    help = "Recompute the evaluation read model (facts per unit and month) from the source tables."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = facts_rebuild()
        self.stdout.write(f"evaluation: {rows} unit-month rows in {time.perf_counter() - started:.2f} s")
