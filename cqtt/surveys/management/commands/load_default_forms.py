"""`manage.py load_default_forms`: the built-in survey forms (PKS01–PKS07, SIPAS) that are missing. `migrate` runs
the same step; the demo loader calls it too. Idempotent."""

from django.core.management.base import BaseCommand

from cqtt.surveys.defaults import load_default_forms


class Command(BaseCommand):
    help = "Nạp các biểu mẫu khảo sát có sẵn (PKS01–PKS07, SIPAS) còn thiếu."

    def handle(self, *args, **options):
        self.stdout.write(str(load_default_forms()))
