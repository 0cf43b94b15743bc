from django.core.management.base import BaseCommand

from cqtt.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (đơn vị thí điểm, quầy, cán bộ, tài khoản demo, thủ tục) — chạy lại không thay đổi gì."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=300, help="số hồ sơ mẫu (mặc định 300)")

    def handle(self, *args, **options):
        result = demo_load(dossiers=options["dossiers"])
        if result.changed:
            self.stdout.write(f"Dữ liệu mẫu: đã thêm {len(result.created)} mục.")
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không thay đổi gì.")
        self.stdout.write(f"Tài khoản demo (mật khẩu: {DEMO_PASSWORD}):")
        for username, full_name, _position, role, unit_code in DEMO_LOGINS:
            self.stdout.write(f"  {username:<11} {role.label} — {full_name} (đơn vị {unit_code})")
