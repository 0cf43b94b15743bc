from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cqtt.dossiers.services import idempotency_keys_purge


class Command(BaseCommand):
    help = _("Xóa các khóa Idempotency-Key đã quá một ngày (chạy hằng ngày, ví dụ bằng cron).")

    def handle(self, *args, **options):
        deleted = idempotency_keys_purge()
        self.stdout.write(_("Đã xóa %(n)d khóa Idempotency-Key quá hạn.") % {"n": deleted})
