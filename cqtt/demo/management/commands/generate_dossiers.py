"""Fill the database with synthetic dossiers of one province (load tests, benchmarks)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from cqtt.demo.generator import GenerationRefused, generate
from cqtt.units.models import Unit, UnitLevel


class Command(BaseCommand):
    help = _(
        "Sinh N hồ sơ mẫu trải đều các xã, phường của một tỉnh trong hai năm (COPY trên PostgreSQL). "
        "Từ chối chạy khi cơ sở dữ liệu đã có hồ sơ thật, trừ khi có --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help=_("Số hồ sơ cần sinh."))
        parser.add_argument(
            "--province", required=True, help=_("Mã tỉnh (ví dụ 79 hoặc mã đơn vị của tỉnh).")
        )
        parser.add_argument("--seed", type=int, default=766)
        parser.add_argument("--years", type=int, default=2, help=_("Số năm dữ liệu tính ngược từ hôm nay."))
        parser.add_argument("--batch", type=int, default=20_000, help=_("Số hồ sơ mỗi lần ghi."))
        parser.add_argument(
            "--force", action="store_true", help=_("Sinh thêm dù cơ sở dữ liệu đã có hồ sơ thật.")
        )

    def handle(self, *args, count, province, seed, years, batch, force, **options):
        if count < 1:
            raise CommandError(_("--count phải là số nguyên dương."))
        if not 1 <= years <= 10:
            raise CommandError(_("--years từ 1 đến 10."))
        unit = (
            Unit.objects.filter(level=UnitLevel.PROVINCE)
            .filter(Q(code=province) | Q(province_code=province))
            .first()
        )
        if unit is None:
            raise CommandError(
                _("Không tìm thấy tỉnh có mã “%(c)s”. Đã chạy manage.py load_units chưa?") % {"c": province}
            )
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
                _("Đã sinh %(n)s hồ sơ (%(rows)s dòng) cho %(p)s trong %(s)s s (%(rate)s hồ sơ/s).")
                % {
                    "n": report.dossiers,
                    "rows": rows,
                    "p": unit.name,
                    "s": f"{report.seconds:.1f}",
                    "rate": f"{report.dossiers / max(report.seconds, 1e-6):,.0f}",
                }
            )
        )
        self.stdout.write(
            _("Trạng thái: ") + ", ".join(f"{status}={n}" for status, n in report.statuses.most_common())
        )
