import time

from django.core.management.base import BaseCommand

from cqtt.units.services import units_load_national


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính toàn quốc (34 tỉnh, 3.321 xã) — chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = units_load_national()
        self.stdout.write(
            f"Đơn vị hành chính: thêm {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged} ({time.perf_counter() - started:.2f} s)"
        )
