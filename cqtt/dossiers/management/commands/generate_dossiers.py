"""Fill the database with synthetic dossiers of one province (load tests, benchmarks)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cqtt.dossiers.generator import GenerationRefused, generate
from cqtt.units.models import Unit, UnitLevel


class Command(BaseCommand):
    help = (
        "Sinh N hồ sơ mẫu trải đều các xã, phường của một tỉnh trong hai năm (COPY trên PostgreSQL). "
        "Từ chối chạy khi cơ sở dữ liệu đã có hồ sơ thật, trừ khi có --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Số hồ sơ cần sinh.")
        parser.add_argument("--province", required=True, help="Mã tỉnh (ví dụ 79 hoặc mã đơn vị của tỉnh).")
        parser.add_argument("--seed", type=int, default=766)
        parser.add_argument("--years", type=int, default=2, help="Số năm dữ liệu tính ngược từ hôm nay.")
        parser.add_argument("--batch", type=int, default=20_000, help="Số hồ sơ mỗi lần ghi.")
        parser.add_argument(
            "--force", action="store_true", help="Sinh thêm dù cơ sở dữ liệu đã có hồ sơ thật."
        )

    def handle(self, *args, count, province, seed, years, batch, force, **options):
        if count < 1:
            raise CommandError("--count phải là số nguyên dương.")
        if not 1 <= years <= 10:
            raise CommandError("--years từ 1 đến 10.")
        unit = (
            Unit.objects.filter(level=UnitLevel.PROVINCE)
            .filter(Q(code=province) | Q(province_code=province))
            .first()
        )
        if unit is None:
            raise CommandError(f"Không tìm thấy tỉnh có mã “{province}”. Đã chạy manage.py load_units chưa?")
        try:
            report = generate(
                province=unit,
                count=count,
                seed=seed,
                years=years,
                force=force,
                batch=batch,
                progress=lambda line: self.stdout.write(line),
            )
        except GenerationRefused as refused:
            raise CommandError(str(refused)) from None
        rows = sum(report.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {report.dossiers} hồ sơ ({rows} dòng) cho {unit.name} trong {report.seconds:.1f} s "
                f"({report.dossiers / max(report.seconds, 1e-6):,.0f} hồ sơ/s)."
            )
        )
        self.stdout.write(
            "Trạng thái: " + ", ".join(f"{status}={n}" for status, n in report.statuses.most_common())
        )
